// Browser mode: the renderer and the contract over HTTP, for demos and for
// machines without Electron. Bound to 127.0.0.1 only. Every API call carries a
// random token the server printed (in the Authorization header, or in the URL
// for the event stream, which EventSource cannot give headers), the Host
// header must name this server (no DNS rebinding), and an Origin, when sent,
// must be this server's (no cross-site calls from another page). No request,
// however malformed, may end the process: every refusal is an answer.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { pipeline, type Duplex } from 'node:stream';
import { isPorchlightError, type ErrorCode } from '../../src-shared/errors.ts';
import { readCallBody } from './call-body.ts';
import { answerClientError, listenOnLoopback } from './http-limits.ts';
import { CONTENT_SECURITY_POLICY } from './content-security-policy.ts';
import { requestTarget } from './request-target.ts';
import type { ServiceHost } from './service-host.ts';
import { contentType, lookupStaticFile } from './static-files.ts';

export interface BrowserServer {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export interface BrowserServerOptions {
  host: ServiceHost;
  rendererDir: string;
  port?: number;
  /** How long a client may take to send its headers, and its whole request (slow or stalled clients are cut off). */
  timeouts?: { headersMs?: number; requestMs?: number };
  /** Where failures of the server itself (not of a request) are told; stderr by default. */
  log?: (message: string) => void;
}

const MAX_BODY = 64 * 1024 * 1024;
const CODES: Record<number, ErrorCode> = { 401: 'UNAUTHENTICATED', 403: 'UNAUTHENTICATED', 404: 'NOT_FOUND', 500: 'INTERNAL' };

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function refuse(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify({ ok: false, error: { code: CODES[status] ?? 'INVALID_ARGUMENT', message } }));
}

export async function startBrowserServer(opts: BrowserServerOptions): Promise<BrowserServer> {
  const token = randomBytes(24).toString('base64url');
  const log = opts.log ?? ((m: string) => process.stderr.write(`porchlight serve: ${m}\n`));
  let port = opts.port ?? 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  const streams = new Set<http.ServerResponse>();
  const unsubscribe = opts.host.onEvent((e) => {
    for (const s of streams) s.write(`data: ${JSON.stringify(e)}\n\n`);
  });

  async function call(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const auth = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!sameToken(auth, token)) return refuse(res, 401, 'missing or wrong token: open the URL porchlight serve printed');
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return refuse(res, 415, 'send application/json');
    let body;
    try {
      body = await readCallBody(req, MAX_BODY);
    } catch (e) {
      const status = isPorchlightError(e) && typeof e.data.status === 'number' ? e.data.status : 400;
      if (status === 413) {
        // The rest of an oversized body is not read: the connection ends once the answer is out, and is never reused.
        res.setHeader('Connection', 'close');
        res.on('finish', () => req.destroy());
      }
      return refuse(res, status, e instanceof Error ? e.message : 'the body could not be read');
    }
    const answer = await opts.host.call(body.channel, body.payload);
    if (res.destroyed) return;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(answer));
  }

  function events(req: http.IncomingMessage, res: http.ServerResponse, query: URLSearchParams): void {
    if (!sameToken(query.get('token'), token)) return refuse(res, 401, 'missing or wrong token');
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    streams.add(res);
    req.on('close', () => streams.delete(res));
  }

  /** Static files of the built renderer; any other path is the single page. */
  function page(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): void {
    let found = lookupStaticFile(opts.rendererDir, pathname);
    if (found.kind === 'refused') return refuse(res, found.status, found.message);
    if (found.kind === 'missing') found = lookupStaticFile(opts.rendererDir, '/');
    if (found.kind !== 'file') return refuse(res, 500, 'the renderer is not built; run npm run build');
    res.writeHead(200, {
      'Content-Type': contentType(found.file),
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'Cache-Control': found.file.endsWith('index.html') ? 'no-store' : 'max-age=3600',
    });
    if (req.method === 'HEAD') return void res.end();
    // A file that vanishes or cannot be read mid-way cuts the response; pipeline closes both ends.
    pipeline(fs.createReadStream(found.file), res, () => {});
  }

  function route(req: http.IncomingMessage, res: http.ServerResponse): void | Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (!allowedHosts().has(req.headers.host ?? '')) return refuse(res, 421, `this server answers only to 127.0.0.1:${port}`);
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) return refuse(res, 403, 'cross-origin requests are refused');
    const target = requestTarget(req.url);
    if (!target) return refuse(res, 400, 'the request target must be a path starting with /');
    if (target.pathname === '/api/call') return req.method === 'POST' ? call(req, res) : refuse(res, 405, 'POST /api/call');
    if (target.pathname === '/api/events') return req.method === 'GET' ? events(req, res, target.query) : refuse(res, 405, 'GET /api/events');
    if (target.pathname.startsWith('/api/')) return refuse(res, 404, `no such API: ${target.pathname.slice(0, 100)}`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed');
    return page(req, res, target.pathname);
  }

  const fail = (res: http.ServerResponse, e: unknown) => {
    if (res.headersSent || res.destroyed) return void res.destroy();
    refuse(res, 500, `internal error: ${e instanceof Error ? e.message : 'unknown'}`);
  };
  const headersMs = opts.timeouts?.headersMs ?? 10_000;
  const server = http.createServer(
    // Node checks these timeouts every connectionsCheckingInterval (30 s by default).
    {
      headersTimeout: headersMs,
      requestTimeout: Math.max(headersMs, opts.timeouts?.requestMs ?? 120_000),
      connectionsCheckingInterval: Math.min(headersMs, 1000),
    },
    (req, res) => {
      req.on('error', () => {});
      res.on('error', () => streams.delete(res));
      try {
        const routed = route(req, res);
        if (routed) routed.catch((e: unknown) => fail(res, e));
      } catch (e) {
        fail(res, e);
      }
    },
  );
  server.on('clientError', (e: NodeJS.ErrnoException, socket: Duplex) =>
    answerClientError(e, socket, (_status, message) => JSON.stringify({ ok: false, error: { code: 'INVALID_ARGUMENT', message } })),
  );

  port = await listenOnLoopback(server, port, log);
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    token,
    port,
    async close() {
      unsubscribe();
      for (const s of streams) s.end();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Stalled clients too: close must not wait for their timeouts.
      server.closeAllConnections();
      await closed;
    },
  };
}

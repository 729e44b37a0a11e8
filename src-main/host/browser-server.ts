// Browser mode: the renderer and the contract over HTTP, for demos and for
// machines without Electron. Bound to 127.0.0.1 only. Every API call carries a
// random token the server printed (in the Authorization header, or in the URL
// for the event stream, which EventSource cannot give headers), the Host
// header must name this server (no DNS rebinding), and an Origin, when sent,
// must be this server's (no cross-site calls from another page).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { ServiceHost } from './service-host.ts';

export interface BrowserServer {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024 * 1024;

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // CodeMirror writes its theme as style elements.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startBrowserServer(opts: { host: ServiceHost; rendererDir: string; port?: number }): Promise<BrowserServer> {
  const token = randomBytes(24).toString('base64url');
  let port = opts.port ?? 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  const streams = new Set<http.ServerResponse>();
  const unsubscribe = opts.host.onEvent((e) => {
    for (const s of streams) s.write(`data: ${JSON.stringify(e)}\n\n`);
  });

  const refuse = (res: http.ServerResponse, status: number, message: string) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify({ ok: false, error: { code: status === 401 ? 'UNAUTHENTICATED' : 'INVALID_ARGUMENT', message } }));
  };

  const server = http.createServer((req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (!allowedHosts().has(req.headers.host ?? '')) return refuse(res, 421, `this server answers only to 127.0.0.1:${port}`);
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) return refuse(res, 403, 'cross-origin requests are refused');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);

    if (url.pathname === '/api/call' && req.method === 'POST') {
      const auth = req.headers.authorization?.replace(/^Bearer /, '');
      if (!sameToken(auth, token)) return refuse(res, 401, 'missing or wrong token: open the URL porchlight serve printed');
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return refuse(res, 415, 'send application/json');
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) {
          refuse(res, 413, `request larger than ${MAX_BODY / 1024 / 1024} MB`);
          req.destroy();
        } else chunks.push(c);
      });
      req.on('end', async () => {
        if (res.headersSent) return;
        let body: { channel?: unknown; payload?: unknown };
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return refuse(res, 400, 'the body is not JSON');
        }
        const answer = await opts.host.call(body?.channel, body?.payload);
        res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
        res.end(JSON.stringify(answer));
      });
      return;
    }

    if (url.pathname === '/api/events' && req.method === 'GET') {
      if (!sameToken(url.searchParams.get('token'), token)) return refuse(res, 401, 'missing or wrong token');
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed');
    // Static files of the built renderer; anything else is the single page.
    const rel = decodeURIComponent(url.pathname).replace(/^\/+/, '');
    let file = path.resolve(opts.rendererDir, rel || 'index.html');
    if (!file.startsWith(path.resolve(opts.rendererDir) + path.sep) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      file = path.join(opts.rendererDir, 'index.html');
    }
    if (!fs.existsSync(file)) return refuse(res, 500, 'the renderer is not built; run npm run build');
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
      'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'max-age=3600',
    });
    fs.createReadStream(file).pipe(res);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    token,
    port,
    async close() {
      unsubscribe();
      for (const s of streams) s.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
    },
  };
}

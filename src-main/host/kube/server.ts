// Porch's Kubernetes API on 127.0.0.1, so kubectl, porchctl, the CaD web UI
// and Nephio's controllers work against the running service. Over TLS (kubectl
// sends a bearer token only over TLS) with a bearer token checked in constant
// time on every request, the Host header checked (no DNS rebinding), and no
// browser Origin but our own. As with browser mode, no request, however
// malformed, may end the process: every refusal is a Status answer.
import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { answerClientError, listenOnLoopback } from '../http-limits.ts';
import YAML from 'yaml';
import type { ServiceHost } from '../service-host.ts';
import { requestTarget } from '../request-target.ts';
import { ChangeFeed, type ChangeFeedOptions } from './change-feed.ts';
import { apiGroupDocument, apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery.ts';
import { representationOf } from './negotiate.ts';
import { OPENAPI_DOCUMENTS, openApiIndex } from './openapi.ts';
import { serveResource, type Reply } from './resource-request.ts';
import type { DoorContext, ResourceHandler } from './resources/handler.ts';
import { packageRevisions } from './resources/package-revisions.ts';
import { packageRevisionResources } from './resources/package-revision-resources.ts';
import { packages } from './resources/packages.ts';
import { repositories } from './resources/repositories.ts';
import { SecretStash } from './resources/secret-stash.ts';
import { secrets } from './resources/secrets.ts';
import { events, namespaces } from './resources/namespaces.ts';
import { serviceClient } from './service-client.ts';
import { kubeError, statusOf } from './status.ts';
import { parseRoute } from './routes.ts';

export interface KubeApiServerOptions {
  host: Pick<ServiceHost, 'call' | 'onEvent'>;
  token: string;
  /** PEM serving certificate and key; without them the server speaks plain HTTP (kubectl then sends no token: tests of raw requests only). */
  tls?: { certPem: string; keyPem: string };
  port?: number;
  feed?: ChangeFeedOptions;
  /** Bookmark interval and the longest watch (tests shorten them). */
  watch?: { bookmarkMs?: number; maxTimeoutSeconds?: number };
  timeouts?: { headersMs?: number; requestMs?: number };
  log?: (message: string) => void;
}

export interface KubeApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const HANDLERS: ReadonlyMap<string, ResourceHandler> = new Map(
  [packageRevisions, packageRevisionResources, packages, repositories, secrets, namespaces, events].map((h) => [`${h.kind.group}/${h.kind.plural}`, h]),
);

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A Warning header value (RFC 7234 form, as the API server sends them; kubectl prints the text). */
const warningHeader = (text: string) => `299 - ${JSON.stringify(text.replace(/[\r\n]+/g, ' ').slice(0, 1000))}`;

export async function startKubeApiServer(opts: KubeApiServerOptions): Promise<KubeApiServer> {
  const log = opts.log ?? ((m: string) => process.stderr.write(`porchlight kube api: ${m}\n`));
  const service = serviceClient(opts.host);
  const feed = new ChangeFeed(service, { log, ...opts.feed });
  const stash = new SecretStash();
  const createdNamespaces = new Set<string>();
  const watchLimits = {
    bookmarkMs: opts.watch?.bookmarkMs ?? 60_000,
    maxTimeoutSeconds: opts.watch?.maxTimeoutSeconds ?? 1800,
    open: new Set<http.ServerResponse>(),
  };
  let port = opts.port ?? 0;
  const scheme = opts.tls ? 'https' : 'http';
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const ownOrigins = () => new Set([`${scheme}://127.0.0.1:${port}`, `${scheme}://localhost:${port}`]);

  function send(req: http.IncomingMessage, res: http.ServerResponse, reply: Reply, warnings: string[] = [], yaml = false): void {
    if (res.headersSent || res.destroyed) return;
    const body = yaml ? YAML.stringify(reply.body) : JSON.stringify(reply.body);
    const headers: http.OutgoingHttpHeaders = { 'Content-Type': yaml ? 'application/yaml' : 'application/json', 'Cache-Control': 'no-store' };
    if (warnings.length) headers.Warning = warnings.map(warningHeader);
    res.writeHead(reply.status, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  const fail = (req: http.IncomingMessage, res: http.ServerResponse, e: unknown, warnings: string[] = []) => {
    if (res.headersSent || res.destroyed) return void res.destroy();
    const status = statusOf(e);
    if (status.code === 413) {
      // The rest of an oversized body is not read: the connection ends once the answer is out.
      res.setHeader('Connection', 'close');
      res.on('finish', () => req.destroy());
    }
    send(req, res, { status: status.code, body: status }, warnings);
  };

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (!allowedHosts().has(req.headers.host ?? '')) throw kubeError(421, 'BadRequest', `this server answers only to 127.0.0.1:${port}`);
    const origin = req.headers.origin;
    if (origin !== undefined && !ownOrigins().has(origin)) throw kubeError(403, 'Forbidden', 'cross-origin requests are refused');
    const auth = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!sameToken(auth, opts.token)) throw kubeError(401, 'Unauthorized', 'Unauthorized');
    const target = requestTarget(req.url);
    if (!target) throw kubeError(400, 'BadRequest', 'the request target must be a path starting with /');
    const r = parseRoute(target.pathname);
    if (!r) throw kubeError(404, 'NotFound', 'the server could not find the requested resource');
    const representation = representationOf(req.headers.accept);
    const readOnly = req.method === 'GET' || req.method === 'HEAD';
    if (r.kind !== 'resource' && !readOnly) throw kubeError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    const json = (body: unknown) => send(req, res, { status: 200, body });
    const missing = () => {
      throw kubeError(404, 'NotFound', 'the server could not find the requested resource');
    };
    switch (r.kind) {
      case 'version':
        return json(versionInfo());
      case 'health':
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        return void res.end('ok');
      case 'api':
        return json(apiVersions(`127.0.0.1:${port}`));
      case 'apis':
        return json(apiGroupList());
      case 'group':
        return json(apiGroupDocument(r.group) ?? missing());
      case 'group-version':
        return json(apiResourceList(r.group, r.version) ?? missing());
      case 'openapi-index':
        return json(openApiIndex());
      case 'openapi-v2':
        return missing();
      case 'openapi': {
        const doc = OPENAPI_DOCUMENTS.get(r.path) ?? missing();
        res.writeHead(200, { 'Content-Type': 'application/json', ETag: `"${doc.hash}"`, 'Cache-Control': 'public, immutable' });
        return void res.end(doc.body);
      }
      case 'resource': {
        if (representation.kind === 'none')
          throw kubeError(406, 'NotAcceptable', 'only application/json, application/yaml and Table (as=Table;g=meta.k8s.io;v=v1) are served');
        const ctx: DoorContext = { service, feed, stash, namespaces: createdNamespaces, warnings: [] };
        try {
          const reply = await serveResource({ req, res, route: r, query: target.query, ctx, handlers: HANDLERS, representation, watchLimits });
          if (reply) send(req, res, reply, ctx.warnings, representation.kind === 'yaml');
        } catch (e) {
          fail(req, res, e, ctx.warnings);
        }
        return;
      }
    }
  }

  const headersMs = opts.timeouts?.headersMs ?? 10_000;
  const serverOptions = {
    headersTimeout: headersMs,
    requestTimeout: Math.max(headersMs, opts.timeouts?.requestMs ?? 120_000),
    connectionsCheckingInterval: Math.min(headersMs, 1000),
  };
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    req.on('error', () => {});
    res.on('error', () => {});
    try {
      route(req, res).catch((e: unknown) => fail(req, res, e));
    } catch (e) {
      fail(req, res, e);
    }
  };
  const server = opts.tls
    ? https.createServer({ ...serverOptions, cert: opts.tls.certPem, key: opts.tls.keyPem }, listener)
    : http.createServer(serverOptions, listener);
  server.on('clientError', (e: NodeJS.ErrnoException, socket: Duplex) =>
    answerClientError(e, socket, (status, message) => JSON.stringify(statusOf(kubeError(status, 'BadRequest', message)))),
  );
  // A TLS handshake that fails (a client that does not trust the CA, or plain HTTP to the TLS port) ends that socket only.
  server.on('tlsClientError', (_e: Error, socket: Duplex) => socket.destroy());

  port = await listenOnLoopback(server, port, log);
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    async close() {
      feed.close();
      for (const w of watchLimits.open) w.end();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

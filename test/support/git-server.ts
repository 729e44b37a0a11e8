// A real Git smart-HTTP server for tests and benchmarks: native
// `git http-backend` (the same CGI Gitea and cgit wrap) behind a Node `http`
// server on 127.0.0.1. isomorphic-git speaks only smart HTTP, so this is the
// closest a laptop test gets to Porch's Gitea without a container.
import { spawn, execFileSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface GitServerOptions {
  /** Directory holding bare repositories (`<root>/<name>.git`). */
  root: string;
  /** When both are set, every request must carry matching Basic credentials. */
  username?: string;
  password?: string;
  /** Leading path segments ignored when locating a repository (Porch's Gitea uses `/nephio/<repo>.git`). */
  prefixes?: string[];
  /** Allow pushes to every repository under root (default true). */
  receivePack?: boolean;
  /** Fixed port; default is a random free one. */
  port?: number;
  /** Repositories anyone may fetch without credentials, as a public repository on Gitea (pushing still needs them). */
  publicRead?: string[];
}

export interface GitRequestLogEntry {
  method: string;
  /** Path and query as the client sent them. */
  url: string;
  /** Repository directory relative to root, when one was found. */
  repo?: string;
  /** `git-upload-pack` / `git-receive-pack` when the request named one. */
  service?: string;
  status: number;
  /** Request Content-Encoding (native git gzips large negotiation bodies). */
  encoding?: string;
  /** Whatever http-backend printed on stderr; empty when all went well. */
  stderr?: string;
  /** The request carried an Authorization header (whose value is never logged). */
  authorization?: true;
}

/**
 * What the server does instead of serving, to simulate a sick Git host.
 * 'hang' answers nothing at all; 'hang-push' serves fetches but takes a push's
 * pack and never answers it (a client killed then dies mid-push).
 * {holdMs} holds every request that long, then serves it (a slow host).
 */
export type GitServerFault = { status: number; body?: string } | { holdMs: number } | 'hang' | 'hang-push';

export interface GitServer {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  origin: string;
  port: number;
  /** `http://127.0.0.1:PORT/<name>.git`; with prefix: `.../<prefix>/<name>.git`. */
  baseUrl(name: string, prefix?: string): string;
  /** Same URL with credentials embedded, for native git on the command line. */
  authUrl(name: string, prefix?: string): string;
  /** Every request seen since start or the last clearLog(), 401s included. */
  readonly requestLog: readonly GitRequestLogEntry[];
  requestCount(): number;
  clearLog(): void;
  /** Stop listening and drop open connections; repos stay. Clients get ECONNREFUSED. */
  pause(): Promise<void>;
  /** Listen again on the same port. */
  resume(): Promise<void>;
  /** null restores normal service. */
  setFault(fault: GitServerFault | null): void;
  stop(): Promise<void>;
}

const GIT_EXEC_PATH = execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim();
const HTTP_BACKEND = join(GIT_EXEC_PATH, 'git-http-backend');

// What follows the repository in a smart or dumb HTTP Git URL.
const GIT_SUFFIX = /^(.*?)(\/(?:info\/refs|git-upload-pack|git-receive-pack|HEAD|objects\/.+|info\/.+))$/;

function isGitDir(dir: string): boolean {
  try {
    return statSync(dir).isDirectory() && existsSync(join(dir, 'HEAD')) && existsSync(join(dir, 'objects'));
  } catch {
    return false;
  }
}

/** Maps a URL repository path to a directory under root, trying `.git` and prefix-less forms. */
function resolveRepo(root: string, repoPath: string, prefixes: string[]): string | undefined {
  const segments = repoPath.split('/').filter(Boolean);
  if (segments.some((s) => s === '..' || s === '.')) return undefined;
  const candidates = [segments];
  if (segments.length > 1 && prefixes.includes(segments[0] ?? '')) candidates.push(segments.slice(1));
  for (const c of candidates) {
    const bare = c.join('/').replace(/\.git$/, '');
    for (const rel of [`${bare}.git`, bare]) {
      if (rel && isGitDir(join(root, rel))) return rel;
    }
  }
  return undefined;
}

function expectedAuth(username?: string, password?: string): string | undefined {
  if (username === undefined) return undefined;
  return `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
}

/** Splits CGI output headers (`Status: 404 Not Found`, CRLF or LF) from the body. */
function parseCgiHeaders(head: string): { status: number; headers: [string, string][] } {
  let status = 200;
  const headers: [string, string][] = [];
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim();
    const value = line.slice(i + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers.push([name, value]);
  }
  return { status, headers };
}

function findHeaderEnd(buf: Buffer): { end: number; sep: number } | undefined {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { end: crlf, sep: 4 };
  if (lf >= 0) return { end: lf, sep: 2 };
  return undefined;
}

export async function startGitServer(options: GitServerOptions): Promise<GitServer> {
  const { root, prefixes = ['nephio'], receivePack = true } = options;
  if (!isDirectory(root)) throw new Error(`git server root ${root} is not a directory`);
  const auth = expectedAuth(options.username, options.password);
  const log: GitRequestLogEntry[] = [];
  const sockets = new Set<Socket>();
  let fault: GitServerFault | null = null;
  let port = options.port ?? 0;

  function handle(req: IncomingMessage, res: ServerResponse, held = false): void {
    if (!held && fault && typeof fault === 'object' && 'holdMs' in fault) {
      // Held, then served as if nothing had happened.
      setTimeout(() => {
        if (!res.destroyed) handle(req, res, true);
      }, fault.holdMs).unref();
      return;
    }
    const entry: GitRequestLogEntry = { method: req.method ?? 'GET', url: req.url ?? '/', status: 0 };
    if (req.headers['content-encoding']) entry.encoding = req.headers['content-encoding'];
    if (req.headers.authorization !== undefined) entry.authorization = true;
    log.push(entry);
    // No keep-alive: a pooled socket would turn "server paused" into
    // ECONNRESET on the next request instead of the ECONNREFUSED a dead host gives.
    res.shouldKeepAlive = false;
    res.on('finish', () => {
      entry.status = res.statusCode;
    });
    const reply = (status: number, body: string, headers: Record<string, string> = {}): void => {
      req.resume(); // drain the body so the connection can be reused
      res.writeHead(status, { 'Content-Type': 'text/plain', ...headers });
      res.end(body);
    };

    if (fault === 'hang') return; // keep the socket open, answer nothing
    if (fault === 'hang-push' && req.method === 'POST' && (req.url ?? '').includes('/git-receive-pack')) return;
    if (fault && typeof fault === 'object' && 'status' in fault) return reply(fault.status, fault.body ?? 'injected fault\n');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const wantsPush = url.searchParams.get('service') === 'git-receive-pack' || url.pathname.endsWith('/git-receive-pack');
    const isPublic =
      !wantsPush &&
      (options.publicRead ?? []).some((name) => url.pathname.endsWith(`/${name}.git/info/refs`) || url.pathname.endsWith(`/${name}.git/git-upload-pack`));
    if (auth && req.headers.authorization !== auth && !isPublic) {
      return reply(401, 'authentication required\n', { 'WWW-Authenticate': 'Basic realm="porchlight-test-git"' });
    }

    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return reply(400, 'malformed path\n');
    }
    const m = GIT_SUFFIX.exec(pathname);
    const repo = m ? resolveRepo(root, m[1] ?? '', prefixes) : undefined;
    if (!m || !repo) return reply(404, 'repository not found\n');
    entry.repo = repo;
    entry.service = url.searchParams.get('service') ?? (/git-(upload|receive)-pack$/.test(pathname) ? pathname.split('/').pop() : undefined);

    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: `/${repo}${m[2]}`,
      REQUEST_METHOD: req.method ?? 'GET',
      QUERY_STRING: url.search.replace(/^\?/, ''),
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      // http-backend enables receive-pack by default only for authenticated users.
      REMOTE_USER: options.username ?? 'anonymous',
      GIT_CONFIG_NOSYSTEM: '1',
      // Command-line scope config: tar fixtures come with a foreign owner uid,
      // and pushes must work without touching each repository's config.
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: 'safe.directory',
      GIT_CONFIG_VALUE_0: '*',
      GIT_CONFIG_KEY_1: 'http.receivepack',
      GIT_CONFIG_VALUE_1: receivePack ? 'true' : 'false',
    };
    const h = req.headers;
    if (h['content-type']) env.CONTENT_TYPE = h['content-type'];
    if (h['content-length']) env.CONTENT_LENGTH = h['content-length'];
    // http-backend inflates gzip request bodies itself when told about them.
    if (h['content-encoding']) env.HTTP_CONTENT_ENCODING = h['content-encoding'];
    // Protocol v2 (native git's default) is negotiated through this header.
    const proto = h['git-protocol'];
    if (typeof proto === 'string') {
      env.HTTP_GIT_PROTOCOL = proto;
      env.GIT_PROTOCOL = proto;
    }

    const child = spawn(HTTP_BACKEND, [], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderr += d;
      entry.stderr = stderr;
    });
    child.on('error', (err) => {
      if (!res.headersSent) reply(500, `cannot run git http-backend: ${err.message}\n`);
      else res.destroy(err);
    });
    // A client that goes away mid-pack must not leave http-backend running.
    res.on('close', () => {
      if (child.exitCode === null) child.kill();
    });
    child.stdin.on('error', () => {}); // http-backend may exit before reading everything
    req.pipe(child.stdin);

    let head = Buffer.alloc(0);
    let parsed = false;
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const found = findHeaderEnd(head);
      if (!found) return;
      parsed = true;
      child.stdout.off('data', onData);
      child.stdout.pause();
      const { status, headers } = parseCgiHeaders(head.subarray(0, found.end).toString('latin1'));
      res.statusCode = status;
      for (const [k, v] of headers) res.setHeader(k, v);
      const rest = head.subarray(found.end + found.sep);
      if (rest.length > 0) res.write(rest);
      child.stdout.pipe(res); // streams the pack, with backpressure
    };
    child.stdout.on('data', onData);
    child.stdout.on('end', () => {
      // Exited without a complete header block: treat as a server error.
      if (!parsed && !res.headersSent) {
        reply(500, `git http-backend produced no headers\n${stderr}`);
      }
    });
  }

  const server: Server = createServer(handle);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  async function close(): Promise<void> {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sockets) s.destroy(); // keep-alive sockets would hold close() open
    await closed;
  }

  await listen();
  const origin = `http://127.0.0.1:${port}`;
  const repoUrl = (base: string, name: string, prefix?: string): string =>
    `${base}/${prefix ? `${prefix.replace(/^\/|\/$/g, '')}/` : ''}${name.replace(/\.git$/, '')}.git`;
  const credentials = options.username !== undefined ? `${encodeURIComponent(options.username)}:${encodeURIComponent(options.password ?? '')}@` : '';

  return {
    origin,
    port,
    baseUrl: (name, prefix) => repoUrl(origin, name, prefix),
    authUrl: (name, prefix) => repoUrl(`http://${credentials}127.0.0.1:${port}`, name, prefix),
    requestLog: log,
    requestCount: () => log.length,
    clearLog: () => {
      log.length = 0;
    },
    pause: close,
    resume: listen,
    setFault: (f) => {
      fault = f;
    },
    stop: close,
  };
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

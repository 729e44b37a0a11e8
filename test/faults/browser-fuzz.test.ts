// Browser mode's HTTP server under a bounded, seeded fuzz: random paths,
// methods, headers and bodies (deep JSON, bad percent-encoding, huge headers),
// malformed request lines on raw sockets, and clients that stall. Whatever
// arrives, the process sees no uncaught exception or unhandled rejection, no
// answer is a 5xx, nothing outside the renderer's folder is served, nothing
// without the token reaches the service, and afterwards the server and the
// real service behind it (PGlite on its worker thread) still answer.
// A failing run prints its seed: PORCHLIGHT_FUZZ_SEED=<seed> replays it.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserServer, type BrowserServer } from '../../src-main/host/browser-server.ts';
import { startServiceHost, type ServiceHost } from '../../src-main/host/service-host.ts';
import { rng } from './killable-child.ts';
import { rawExchange, type Reply } from '../support/raw-exchange.ts';

const exchange = (port: number, parts: (string | Buffer)[], timeoutMs: number, gapMs = 0) =>
  rawExchange(() => net.connect(port, '127.0.0.1'), 'connect', parts, timeoutMs, gapMs);

const SECRET = 'porchlight-fuzz-secret-outside-the-renderer';
const REQUESTS = 1500;
const PARALLEL = 8;
const HEADERS_MS = 500;

function request(method: string, target: string, headers: [string, string][], body: Buffer | string = '', length: 'exact' | 'none' | 'more' = 'exact'): Buffer {
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const all = [...headers];
  if (length === 'exact' && (b.length || method === 'POST')) all.push(['Content-Length', String(b.length)]);
  if (length === 'more') all.push(['Content-Length', String(b.length + 1000)]);
  const head = `${method} ${target} HTTP/1.1\r\n${all.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), b]);
}

const deep = (n: number, open = '[', close = ']') => open.repeat(n) + close.repeat(n);
const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

describe('browser mode under a seeded fuzz', () => {
  let work: string;
  let rendererDir: string;
  let host: ServiceHost;
  let server: BrowserServer;
  const crashes: string[] = [];
  const onUncaught = (e: unknown) => void crashes.push(`uncaughtException: ${e instanceof Error ? e.stack : String(e)}`);
  const onUnhandled = (e: unknown) => void crashes.push(`unhandledRejection: ${e instanceof Error ? e.stack : String(e)}`);
  const hostHeader = () => `127.0.0.1:${server.port}`;
  const good = () =>
    request(
      'POST',
      '/api/call',
      [
        ['Host', hostHeader()],
        ['Authorization', `Bearer ${server.token}`],
        ['Content-Type', 'application/json'],
        ['Connection', 'close'],
      ],
      JSON.stringify({ channel: 'repositories.list', payload: {} }),
    );

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-fuzz-'));
    rendererDir = path.join(work, 'renderer');
    fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>porchlight</title>');
    fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(work, 'secret.txt'), SECRET);
    fs.mkdirSync(path.join(work, 'outside'));
    fs.writeFileSync(path.join(work, 'outside', 'secret.txt'), SECRET);
    // Symlinks inside the renderer's folder that point out of it.
    fs.symlinkSync(path.join(work, 'secret.txt'), path.join(rendererDir, 'leak.txt'));
    fs.symlinkSync(path.join(work, 'outside'), path.join(rendererDir, 'linkdir'));
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUnhandled);
    host = await startServiceHost({ dataHome: path.join(work, 'home'), env: {}, backgroundSync: false });
    server = await startBrowserServer({ host, rendererDir, timeouts: { headersMs: HEADERS_MS, requestMs: 2000 } });
  }, 60_000);

  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUnhandled);
    await server?.close();
    await host?.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('answers the requests that used to end the process with 400, and keeps serving', async () => {
    const h = hostHeader();
    expect((await exchange(server.port, [`GET /% HTTP/1.1\r\nHost: ${h}\r\nConnection: close\r\n\r\n`], 5000)).status).toBe(400);
    expect((await exchange(server.port, [`GET http://[ HTTP/1.1\r\nHost: ${h}\r\nConnection: close\r\n\r\n`], 5000)).status).toBe(400);
    const token = [
      ['Host', h],
      ['Authorization', `Bearer ${server.token}`],
      ['Content-Type', 'application/json'],
      ['Connection', 'close'],
    ] as [string, string][];
    const tooDeep = await exchange(server.port, [request('POST', '/api/call', token, `{"channel":"repositories.list","payload":${deep(10_000)}}`)], 10_000);
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.text).toContain('nests deeper than');
    await new Promise((r) => setTimeout(r, 50));
    expect(crashes).toEqual([]);
    const after = await exchange(server.port, [good()], 10_000);
    expect(after.status).toBe(200);
    expect(after.text).toContain('"ok":true');
  });

  it('serves nothing outside the renderer folder, however the path is spelled', async () => {
    const h = hostHeader();
    const cases: [string, number][] = [
      ['/%2e%2e/secret.txt', 400],
      ['/%2E%2E%2Fsecret.txt', 400],
      ['/assets/..%2f..%2fsecret.txt', 400],
      ['/..%5csecret.txt', 400],
      ['/%5c..%5csecret.txt', 400],
      ['/index.html%00.js', 400],
      ['/%00', 400],
      ['/leak.txt', 404],
      ['/linkdir/secret.txt', 404],
      ['/%e0%a4', 400],
    ];
    for (const [target, status] of cases) {
      const reply = await exchange(server.port, [`GET ${target} HTTP/1.1\r\nHost: ${h}\r\nConnection: close\r\n\r\n`], 5000);
      expect(reply.status, target).toBe(status);
      expect(reply.text, target).not.toContain(SECRET);
    }
    const page = await exchange(server.port, [`GET /assets/app.js HTTP/1.1\r\nHost: ${h}\r\nConnection: close\r\n\r\n`], 5000);
    expect(page.status).toBe(200);
    expect(page.text).toContain('console.log(1)');
  });

  it('survives a seeded fuzz of requests, then answers a good one and the service still works', async () => {
    const seed = Number(process.env.PORCHLIGHT_FUZZ_SEED ?? Date.now() % 2 ** 31);
    console.log(`browser fuzz seed: ${seed} (replay with PORCHLIGHT_FUZZ_SEED=${seed})`);
    const random = rng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const h = hostHeader();
    const token = server.token;

    const paths = [
      '/',
      '/index.html',
      '/assets/app.js',
      '/%',
      '/%zz',
      '/%e0%a4',
      '/%c0%ae%c0%ae/secret.txt',
      '/%2e%2e/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/%00',
      '/a%00b',
      '/\\..\\secret.txt',
      '/leak.txt',
      '/linkdir/secret.txt',
      '/api/call',
      '/api/call?x=%',
      '/api/events',
      '/api/events?token=%',
      `/api/events?token=${token}`,
      `/api/events?token=${token}%`,
      '/api/nothing',
      '/api%2fcall',
      '//evil.example/',
      '/assets/',
      `/${'a'.repeat(8000)}`,
      '/\u00ff\u00fe',
      '/%ff%fe%fd',
      '/?%',
      '/#frag',
      '*',
      'http://[',
      `http://127.0.0.1:${server.port}/api/call`,
      '',
      ' ',
    ];
    const methods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'FOO', 'get', 'CONNECT'];
    const hosts = [h, h, h, `localhost:${server.port}`, `rebound.example:${server.port}`, '', '127.0.0.1', '[', '%'];
    const origins = [undefined, undefined, `http://${h}`, 'https://evil.example', 'null', '%'];
    const auths = [undefined, `Bearer ${token}`, `Bearer ${token}`, 'Bearer nope', `Bearer ${token}x`, token, 'Basic %'];
    const types = ['application/json', 'application/json', 'text/plain', undefined, 'application/json; charset=%'];
    const readChannels = [
      'repositories.list',
      'revisions.page',
      'revisions.get',
      'revisions.resources',
      'settings.get',
      'approvals.list',
      'catalogs.list',
      'cache.stats',
      'database.backgroundMigrations',
    ];
    const writeChannels = [
      'repositories.register',
      'revisions.save',
      'revisions.lifecycle',
      'settings.setDatabase',
      'demo.create',
      'catalogs.create',
      'cache.setPolicy',
    ];
    const bodies: (() => string | Buffer)[] = [
      () => '',
      () => '{not json',
      () => 'null',
      () => '42',
      () => '[]',
      () => '"x"',
      () => deep(pick([65, 1000, 10_000, 100_000])),
      () => `{"channel":"repositories.list","payload":${deep(pick([65, 1000, 10_000]), '{"a":', '}')}}`,
      () => deepObject(pick([70, 5000])),
      () => '['.repeat(50_000),
      () => JSON.stringify({ channel: pick(readChannels), payload: pick([{}, { name: 'x' }, { namespace: '%' }, { limit: 5 }, { search: '%' }]) }),
      // Write channels only with payloads no schema accepts: nothing is created.
      () => JSON.stringify({ channel: pick(writeChannels), payload: pick([42, 'x', [], true]) }),
      () => JSON.stringify({ channel: { deep: [[[[1]]]] }, payload: {} }),
      () => JSON.stringify({ channel: 'no.such.channel' }),
      () => '{"channel":"repositories.list","payload":{"__proto__":{"polluted":true}},"constructor":{"prototype":{"x":1}}}',
      () => '{"channel":"repositories.list","payload":{"n":1e999}}',
      () => Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
      () => `{"channel":"repositories.list","payload":{"pad":"${'x'.repeat(pick([10, 100_000, 1_000_000]))}"}}`,
      () => Buffer.from(Array.from({ length: 200 }, () => Math.floor(random() * 256))),
    ];
    const raws: (() => (string | Buffer)[])[] = [
      () => [`GET http://[ HTTP/1.1\r\nHost: ${h}\r\n\r\n`],
      () => [`GET /% HTTP/1.1\r\nHost: ${h}\r\n\r\n`],
      () => ['GARBAGE\r\n\r\n'],
      () => [Buffer.from([0, 1, 2, 3, 0xff, 0x0d, 0x0a, 0x0d, 0x0a])],
      () => [`GET / HTTP/9.9\r\nHost: ${h}\r\n\r\n`],
      () => [`GET  /  HTTP/1.1\r\nHost: ${h}\r\n\r\n`],
      () => [`GET / HTTP/1.1\nHost: ${h}\n\n`],
      () => [`GET / HTTP/1.1\r\nHost ${h}\r\n\r\n`],
      () => [`GET / HTTP/1.1\r\nHost: ${h}\r\nX-Big: ${'x'.repeat(pick([17_000, 100_000]))}\r\n\r\n`],
      () => [`GET / HTTP/1.1\r\nHost: ${h}\r\n${Array.from({ length: 3000 }, (_, i) => `X-${i}: y`).join('\r\n')}\r\n\r\n`],
      () => [`POST /api/call HTTP/1.1\r\nHost: ${h}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: -1\r\n\r\n{}`],
      () => [
        `POST /api/call HTTP/1.1\r\nHost: ${h}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`,
      ],
      () => [
        `POST /api/call HTTP/1.1\r\nHost: ${h}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
      ],
      () => [
        `POST /api/call HTTP/1.1\r\nHost: ${h}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
      ],
      () => [
        `POST /api/call HTTP/1.1\r\nHost: ${h}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n{}`,
      ],
      () => [`GET / HTTP/1.1\r\nHost: ${h}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`],
      () => [`GET / HTTP/1.1\r\nHost: ${h}\r\n\r\nGET /% HTTP/1.1\r\nHost: ${h}\r\n\r\nGARBAGE\r\n\r\n`],
      () => [`GET / HTTP/1.1\r\nHost: ${h}\r\n`, 'X-Half: '],
    ];

    let fuzzed = 0;
    const failures: string[] = [];
    const statuses = new Map<number | undefined, number>();
    const check = (label: string, reply: Reply, authorized: boolean, apiPath: boolean) => {
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      if (reply.status !== undefined && reply.status >= 500) failures.push(`${label}: answered ${reply.status}: ${reply.text.slice(0, 300)}`);
      if (reply.text.includes(SECRET)) failures.push(`${label}: served a file from outside the renderer folder`);
      if (apiPath && !authorized && reply.status === 200) failures.push(`${label}: answered 200 without a valid token, Host and Origin`);
    };

    // Each request draws all its random numbers before its first await, so request #i is the same for a seed whatever the timing.
    async function one(i: number): Promise<void> {
      const label = `#${i} (seed ${seed})`;
      const kind = random();
      if (kind < 0.15) {
        const parts = pick(raws)();
        check(`${label} raw ${JSON.stringify(String(parts[0]).slice(0, 80))}`, await exchange(server.port, parts, 300, pick([0, 0, 20])), false, false);
        return;
      }
      // Mostly one or two things wrong with a good call, so every check on the way to the service is reached.
      const or = <T>(goodValue: T, others: readonly T[], p: number): T => (random() < p ? goodValue : pick(others));
      const method = or('POST', methods, 0.5);
      const target = or('/api/call', paths, 0.4);
      const hostValue = or(h, hosts, 0.75);
      const origin = or(undefined, origins, 0.75);
      const auth = or(`Bearer ${token}`, auths, 0.75);
      const type = or('application/json', types, 0.75);
      const headers: [string, string][] = [];
      if (hostValue) headers.push(['Host', hostValue]);
      if (origin) headers.push(['Origin', origin]);
      if (auth) headers.push(['Authorization', auth]);
      if (type) headers.push(['Content-Type', type]);
      if (random() < 0.1) headers.push(['X-Junk', Buffer.from(Array.from({ length: 40 }, () => 0x20 + Math.floor(random() * 95))).toString('latin1')]);
      const close = random() < 0.7;
      if (close) headers.push(['Connection', 'close']);
      const body = method === 'GET' && random() < 0.7 ? '' : pick(bodies)();
      // Now and then a body that never arrives in full: the client gives up, the server must not care.
      const length = random() < 0.05 ? 'more' : 'exact';
      // The event stream takes the token in its URL (EventSource sends no headers).
      const tokenGiven = target.startsWith('/api/call') ? auth === `Bearer ${token}` : target === `/api/events?token=${token}`;
      const authorized = [h, `localhost:${server.port}`].includes(hostValue) && (origin === undefined || origin === `http://${h}`) && tokenGiven;
      const label2 = `${label} ${method} ${target.slice(0, 60)} host=${hostValue} origin=${origin} auth=${auth === `Bearer ${token}` ? 'token' : auth}`;
      // A kept-alive connection stays open after its answer: the client stops listening soon, as one closing a tab would.
      const reply = await exchange(server.port, [request(method, target, headers, body, length)], length === 'more' || !close ? 300 : 5000);
      check(label2, reply, authorized, target.startsWith('/api/'));
    }

    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < REQUESTS) {
          const i = next++;
          await one(i);
          fuzzed++;
        }
      }),
    );
    // Slowloris: header lines trickling in must be cut off by the server itself, with 408.
    const slow = await Promise.all(
      Array.from({ length: 6 }, () =>
        exchange(server.port, [`GET / HTTP/1.1\r\nHost: ${h}\r\n`, ...Array.from({ length: 100 }, (_, i) => `X-Slow-${i}: y\r\n`)], HEADERS_MS + 5000, 100),
      ),
    );
    console.log(`browser fuzz: ${fuzzed} requests in ${Date.now() - started} ms; answers by status: ${JSON.stringify(Object.fromEntries(statuses))}`);

    expect(failures).toEqual([]);
    // The fuzz reached every door it means to: the service, each refusal, and the HTTP parser's own.
    for (const status of [200, 400, 401, 403, 404, 405, 415, 421, 431]) expect(statuses.get(status), `no answer ${status}`).toBeGreaterThan(0);
    for (const s of slow) {
      expect(s.closedByServer).toBe(true);
      expect(s.status).toBe(408);
    }
    // Let anything the fuzz set off settle before judging.
    await new Promise((r) => setTimeout(r, 200));
    expect(crashes).toEqual([]);

    const after = await exchange(server.port, [good()], 10_000);
    expect(after.status).toBe(200);
    expect(after.text).toContain('"ok":true');
    // The service behind it: its database still answers, directly too.
    expect(await host.call('settings.get', {})).toMatchObject({ ok: true });
    expect(await host.call('repositories.list', {})).toEqual({ ok: true, value: [] });
  }, 120_000);
});

// The Kubernetes door under a bounded, seeded fuzz, as browser mode is tested:
// random methods, resource paths, selectors, Accept and Content-Type headers
// and bodies (deep, huge, binary, patches of every type), malformed request
// lines on raw TLS sockets, and slow clients. Whatever arrives, the process
// sees no uncaught exception or unhandled rejection, no answer is a 5xx,
// nothing without the token, a good Host and no foreign Origin is answered 2xx,
// and afterwards the door and the service behind it still answer.
// A failing run prints its seed: PORCHLIGHT_FUZZ_SEED=<seed> replays it.
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rng } from '../../faults/killable-child.ts';
import { startKubeFixture, type KubeFixture } from './kube-harness.ts';
import { rawExchange } from '../../support/raw-exchange.ts';

const exchange = (f: KubeFixture, parts: (string | Buffer)[], timeoutMs: number, gapMs = 0) =>
  rawExchange(() => tls.connect({ port: f.door.port, host: '127.0.0.1', ca: f.door.caPem, servername: 'localhost' }), 'secureConnect', parts, timeoutMs, gapMs);

const REQUESTS = 800;
const PARALLEL = 8;
const HEADERS_MS = 500;

function request(method: string, target: string, headers: [string, string][], body: Buffer | string = ''): Buffer {
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const all = [...headers];
  if (b.length || method === 'POST' || method === 'PUT' || method === 'PATCH') all.push(['Content-Length', String(b.length)]);
  const head = `${method} ${target} HTTP/1.1\r\n${all.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), b]);
}

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

describe('the Kubernetes door under a seeded fuzz', () => {
  let f: KubeFixture;
  const crashes: string[] = [];
  const onUncaught = (e: unknown) => void crashes.push(`uncaughtException: ${e instanceof Error ? e.stack : String(e)}`);
  const onUnhandled = (e: unknown) => void crashes.push(`unhandledRejection: ${e instanceof Error ? e.stack : String(e)}`);

  beforeAll(async () => {
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUnhandled);
    f = await startKubeFixture({ door: { timeouts: { headersMs: HEADERS_MS, requestMs: 3000 }, watch: { maxTimeoutSeconds: 1 } } });
  }, 120_000);

  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUnhandled);
    await f?.close();
  });

  it('survives a seeded fuzz, then answers a good request and the service still works', async () => {
    const seed = Number(process.env.PORCHLIGHT_FUZZ_SEED ?? Date.now() % 2 ** 31);
    console.log(`kube fuzz seed: ${seed} (replay with PORCHLIGHT_FUZZ_SEED=${seed})`);
    const random = rng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const h = `127.0.0.1:${f.door.port}`;
    const token = f.door.token;
    const porch = '/apis/porch.kpt.dev/v1alpha1';
    const paths = [
      '/version',
      '/api',
      '/apis',
      '/api/v1',
      `${porch}`,
      '/openapi/v3',
      '/openapi/v3/apis/porch.kpt.dev/v1alpha1',
      '/openapi/v3/%',
      `${porch}/packagerevisions`,
      `${porch}/namespaces/default/packagerevisions`,
      `${porch}/namespaces/default/packagerevisions/blueprints.basens.v1`,
      `${porch}/namespaces/default/packagerevisions/blueprints.basens.v1/approval`,
      `${porch}/namespaces/default/packagerevisions/blueprints.basens.v1/status`,
      `${porch}/namespaces/default/packagerevisionresources/blueprints.basens.v1`,
      `${porch}/namespaces/default/packages`,
      `${porch}/namespaces/%/packagerevisions`,
      `${porch}/namespaces/default/packagerevisions/%zz`,
      `${porch}/namespaces/default/packagerevisions/${'a'.repeat(5000)}`,
      `${porch}/namespaces/default/packagerevisions?fieldSelector=${pick(['spec.revision%3D1', 'x', '%', 'spec.packageName!%3Dx', 'spec.revision%3Dabc'])}`,
      `${porch}/namespaces/default/packagerevisions?labelSelector=${pick(['a%20in%20(', '!!', 'kpt.dev/latest-revision%3Dtrue', '%'])}`,
      `${porch}/namespaces/default/packagerevisions?limit=${pick(['-1', 'x', '2', '99999999999999999999'])}&continue=${pick(['', 'x', '%', 'eyJ2IjoxfQ'])}`,
      `${porch}/namespaces/default/packagerevisions?watch=true&timeoutSeconds=1&resourceVersion=${pick(['0', '', '1', 'x', '99999999999999999999999'])}`,
      '/apis/config.porch.kpt.dev/v1alpha1/namespaces/default/repositories',
      '/apis/config.porch.kpt.dev/v1alpha1/namespaces/default/repositories/blueprints',
      '/api/v1/namespaces',
      '/api/v1/namespaces/default/secrets',
      '/api/v1/namespaces/default/secrets/x',
      '/api/v1/namespaces/default/events',
      '/apis/nothing/v1/things',
      '/%',
      '//',
      '*',
      'http://[',
    ];
    const methods = ['GET', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'FOO'];
    const hosts = [h, h, h, `localhost:${f.door.port}`, `rebound.example:${f.door.port}`, '', '%'];
    const origins = [undefined, undefined, undefined, 'https://evil.example', 'null'];
    const auths = [`Bearer ${token}`, `Bearer ${token}`, `Bearer ${token}`, undefined, 'Bearer nope', `Bearer ${token}x`, 'Basic %'];
    const types = [
      'application/json',
      'application/yaml',
      'application/merge-patch+json',
      'application/json-patch+json',
      'application/strategic-merge-patch+json',
      'application/apply-patch+yaml',
      'text/plain',
      undefined,
    ];
    const accepts = [
      undefined,
      'application/json',
      'application/json;as=Table;v=v1;g=meta.k8s.io',
      'application/vnd.kubernetes.protobuf',
      'application/yaml',
      '%;;;==',
    ];
    const bodies: (() => string | Buffer)[] = [
      () => '',
      () => '{not json',
      () => 'null',
      () => '[]',
      () => deep(pick([65, 10_000, 100_000])),
      () => '['.repeat(50_000),
      () =>
        JSON.stringify({
          apiVersion: 'porch.kpt.dev/v1alpha1',
          kind: 'PackageRevision',
          metadata: { name: 'x' },
          spec: pick([{}, { revision: 'x' }, { tasks: 'x' }, { lifecycle: 'Published' }]),
        }),
      () => JSON.stringify({ metadata: { resourceVersion: pick(['1', 'x', '']) }, spec: { lifecycle: pick(['Proposed', 'Bogus', 'Published']) } }),
      () => JSON.stringify([{ op: pick(['add', 'remove', 'test', 'bogus']), path: pick(['/spec/x', '', '/metadata/labels/a', '~', 'x']), value: 1 }]),
      () => JSON.stringify({ $patch: 'delete' }),
      () => '{"__proto__":{"polluted":true},"metadata":{"__proto__":{"x":1}}}',
      () => `{"spec":{"pad":"${'x'.repeat(pick([10, 100_000]))}"}}`,
      () => 'a: [\n  - b: &x {}\n',
      () => Buffer.from(Array.from({ length: 200 }, () => Math.floor(random() * 256))),
    ];
    const raws: (() => (string | Buffer)[])[] = [
      () => [`GET /% HTTP/1.1\r\nHost: ${h}\r\n\r\n`],
      () => ['GARBAGE\r\n\r\n'],
      () => [`GET / HTTP/9.9\r\nHost: ${h}\r\n\r\n`],
      () => [`GET / HTTP/1.1\r\nHost: ${h}\r\nX-Big: ${'x'.repeat(pick([17_000, 100_000]))}\r\n\r\n`],
      () => [`POST ${porch}/namespaces/default/packagerevisions HTTP/1.1\r\nHost: ${h}\r\nAuthorization: Bearer ${token}\r\nContent-Length: -1\r\n\r\n{}`],
      () => [`GET / HTTP/1.1\r\nHost: ${h}\r\n`, 'X-Half: '],
    ];

    const failures: string[] = [];
    const statuses = new Map<number | undefined, number>();
    async function one(i: number): Promise<void> {
      const label = `#${i} (seed ${seed})`;
      if (random() < 0.1) {
        const parts = pick(raws)();
        const reply = await exchange(f, parts, 300);
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        if (reply.status !== undefined && reply.status >= 500) failures.push(`${label} raw: answered ${reply.status}`);
        return;
      }
      // Mostly one or two things wrong with a good request, so every check on the way to the service is reached.
      const or = <T>(goodValue: T, others: readonly T[], p: number): T => (random() < p ? goodValue : pick(others));
      const method = pick(methods);
      const target = pick(paths);
      const hostValue = or(h, hosts, 0.8);
      const origin = or(undefined, origins, 0.85);
      const auth = or(`Bearer ${token}`, auths, 0.8);
      const type = pick(types);
      const accept = pick(accepts);
      const body = method === 'GET' || method === 'DELETE' ? '' : pick(bodies)();
      const headers: [string, string][] = [['Connection', 'close']];
      if (hostValue) headers.push(['Host', hostValue]);
      if (origin) headers.push(['Origin', origin]);
      if (auth) headers.push(['Authorization', auth]);
      if (type) headers.push(['Content-Type', type]);
      if (accept) headers.push(['Accept', accept]);
      const authorized = auth === `Bearer ${token}` && [h, `localhost:${f.door.port}`].includes(hostValue) && origin === undefined;
      const reply = await exchange(f, [request(method, target, headers, body)], 5000);
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      const what = `${label} ${method} ${target.slice(0, 80)} type=${type} accept=${accept}`;
      if (reply.status !== undefined && reply.status >= 500) failures.push(`${what}: answered ${reply.status}: ${reply.text.slice(0, 400)}`);
      if (!authorized && reply.status !== undefined && reply.status < 300)
        failures.push(`${what}: answered ${reply.status} without a valid token, Host and Origin`);
    }

    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < REQUESTS) await one(next++);
      }),
    );
    const slow = await Promise.all(
      Array.from({ length: 4 }, () =>
        exchange(f, [`GET /version HTTP/1.1\r\nHost: ${h}\r\n`, ...Array.from({ length: 100 }, (_, i) => `X-Slow-${i}: y\r\n`)], HEADERS_MS + 5000, 100),
      ),
    );
    console.log(`kube fuzz: answers by status ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(failures).toEqual([]);
    for (const status of [200, 400, 401, 403, 404, 405, 415, 421]) expect(statuses.get(status), `no answer ${status}`).toBeGreaterThan(0);
    for (const s of slow) expect(s.closedByServer).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(crashes).toEqual([]);
    // (The fuzz may have unregistered the repository: DELETE of it is a request like any other.)
    const after = await f.raw('GET', '/apis/porch.kpt.dev/v1alpha1/namespaces/default/packagerevisions');
    expect(after.status).toBe(200);
    expect(after.json()).toMatchObject({ kind: 'PackageRevisionList' });
    expect(await f.host.call('repositories.list', {})).toMatchObject({ ok: true });
  }, 180_000);
});

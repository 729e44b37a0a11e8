// `npm run bench -- kube`: the Kubernetes door at 10,000 revisions (issue 18).
// Seeds the revisions straight into a fresh database (test/support/seed-revisions.ts),
// starts the real service on its worker thread and the door in front of it,
// and measures:
//   - the wall time of the real `kubectl get packagerevisions -A` (a table of
//     every revision, in kubectl's default 500-row chunks), discovery cached
//     as after any first use; target < 1 s. kubectl's client allows itself 5
//     requests a second after a burst of 10, so 20 chunks wait about 2 s in
//     kubectl whatever the server does: the same command with --chunk-size=0
//     (one request) and the door's own time for the 20 pages (raw HTTPS, no
//     kubectl) are measured beside it;
//   - how soon a watch (a raw HTTPS watch stream, as client-go's) sees a
//     change made by another door (the service host called directly, as the
//     window or the CLI would): propose / reject of a draft, alternately, from
//     the call's return to the MODIFIED event's arrival; target p99 < 100 ms.
//
// Options: --revisions N (10000) --repositories N (10) --runs N (7 kubectl runs)
//          --changes N (200) --engine pglite|postgres|both (both when
//          PORCHLIGHT_BENCH_PG_URL or PORCHLIGHT_TEST_PG_URL names a server)
//          --kubectl PATH --out FILE
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src-main/db/open-database.ts';
import { startKubeDoor, type KubeDoor } from '../src-main/host/kube/kube-door.ts';
import { startServiceHost, type ServiceHost } from '../src-main/host/service-host.ts';
import { benchLogger, errorText, machineInfo, median, percentile, renderTable, round1, writeJson, type ResultRow } from './measure.ts';
import { benchAdminUrl, benchEngines, type EngineKind, PgDatabases } from './pg-databases.ts';
import { seedRevisions } from '../test/support/seed-revisions.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TARGET = { getMs: 1000, watchP99Ms: 100 };
const log = benchLogger('kube');

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; stdout: string }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { env, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || error.message}`)) : resolve({ ms: performance.now() - t0, stdout }),
    ),
  );
}

/** A watch stream from the door; resolves once the initial events are over (the first bookmark). */
function openWatch(door: KubeDoor, onEvent: (e: { type: string; object: { metadata: { name: string }; spec?: { lifecycle?: string } } }) => void) {
  return new Promise<() => void>((resolve, reject) => {
    const req = https.request(
      new URL('/apis/porch.kpt.dev/v1alpha1/packagerevisions?watch=true&allowWatchBookmarks=true&sendInitialEvents=true', door.url),
      { ca: door.caPem, headers: { Authorization: `Bearer ${door.token}`, Accept: 'application/json' } },
      (res) => {
        let buffer = '';
        let ready = false;
        res.on('data', (d: Buffer) => {
          buffer += d.toString('utf8');
          const lines = buffer.split('\n');
          buffer = lines.pop()!;
          for (const line of lines) {
            if (!line) continue;
            const e = JSON.parse(line);
            if (e.type === 'BOOKMARK' && !ready) {
              ready = true;
              resolve(() => req.destroy());
            } else onEvent(e);
          }
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

interface EngineResult {
  engine: EngineKind;
  revisions: number;
  getMs: number[];
  unchunkedMs: number[];
  doorPagesMs: number[];
  rows: number;
  watchMs: number[];
}

/** Every row of the table in kubectl's 500-row pages, straight from the door: its own time, without kubectl. */
async function doorPages(door: KubeDoor): Promise<number> {
  const t0 = performance.now();
  let next: string | undefined;
  do {
    const body = await new Promise<string>((resolve, reject) => {
      const query = `limit=500${next ? `&continue=${encodeURIComponent(next)}` : ''}`;
      https
        .get(
          new URL(`/apis/porch.kpt.dev/v1alpha1/packagerevisions?${query}`, door.url),
          { ca: door.caPem, headers: { Authorization: `Bearer ${door.token}`, Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
          },
        )
        .on('error', reject);
    });
    next = (JSON.parse(body) as { metadata: { continue?: string } }).metadata.continue;
  } while (next);
  return performance.now() - t0;
}

async function measureEngine(
  engine: EngineKind,
  o: { revisions: number; repositories: number; runs: number; changes: number; kubectl: string; work: string; pgdbs?: PgDatabases },
): Promise<EngineResult> {
  const home = path.join(o.work, `home-${engine}`);
  const pgdb = engine === 'postgres' ? await o.pgdbs!.create() : undefined;
  const db = await openDatabase({ db: pgdb?.url, env: {}, dataHome: home });
  let seeded: number;
  try {
    const perRepository = Math.ceil(o.revisions / o.repositories);
    const seed = await seedRevisions(db, { repositories: o.repositories, revisionsPerRepository: perRepository, resourcesPerRevision: 1, analyze: 'like-app' });
    seeded = seed.revisions;
    log(`${engine}: seeded ${seed.revisions} revisions in ${seed.repositories.length} repositories, ${(seed.ms / 1000).toFixed(1)} s`);
  } finally {
    await db.close();
  }
  let host: ServiceHost | undefined;
  let door: KubeDoor | undefined;
  try {
    host = await startServiceHost({ dataHome: home, db: pgdb?.url, env: {}, backgroundSync: false });
    door = await startKubeDoor({ host, dataHome: home });
    const kubeconfig = path.join(o.work, `kubeconfig-${engine}`);
    fs.writeFileSync(kubeconfig, door.kubeconfig(), { mode: 0o600 });
    const env = { PATH: process.env.PATH ?? '', HOME: path.join(o.work, `kube-home-${engine}`), KUBECONFIG: kubeconfig };
    // The first run fills kubectl's discovery cache, as any first use does; it is not counted.
    const warm = await run(o.kubectl, ['get', 'packagerevisions', '-A'], env);
    const rows = warm.stdout.trim().split('\n').length - 1;
    if (rows !== seeded) throw new Error(`kubectl listed ${rows} revisions, ${seeded} were seeded`);
    const getMs: number[] = [];
    for (let i = 0; i < o.runs; i++) getMs.push((await run(o.kubectl, ['get', 'packagerevisions', '-A'], env)).ms);
    log(`${engine}: kubectl get packagerevisions -A: ${getMs.map((m) => Math.round(m)).join(', ')} ms`);
    const unchunkedMs: number[] = [];
    for (let i = 0; i < o.runs; i++) unchunkedMs.push((await run(o.kubectl, ['get', 'packagerevisions', '-A', '--chunk-size=0'], env)).ms);
    const doorPagesMs: number[] = [];
    for (let i = 0; i < o.runs; i++) doorPagesMs.push(await doorPages(door));
    log(`${engine}: --chunk-size=0 ${Math.round(median(unchunkedMs))} ms; the door's 20 pages ${Math.round(median(doorPagesMs))} ms`);

    const call = async (channel: string, payload: unknown) => {
      const a = await host!.call(channel, payload);
      if (!a.ok) throw new Error(`${channel}: ${a.error.message}`);
      return a.value;
    };
    const drafts = (await call('revisions.page', { namespace: 'default', lifecycle: 'Draft', limit: 1 })) as { items: { name: string }[] };
    const name = drafts.items[0]?.name;
    if (!name) throw new Error('the seed has no draft to propose');
    let waiting: { lifecycle: string; resolve: (at: number) => void } | undefined;
    const stop = await openWatch(door, (e) => {
      if (e.type === 'MODIFIED' && e.object.metadata.name === name && waiting && e.object.spec?.lifecycle === waiting.lifecycle)
        waiting.resolve(performance.now());
    });
    const watchMs: number[] = [];
    try {
      for (let i = 0; i < o.changes; i++) {
        const [verb, lifecycle] = i % 2 === 0 ? ['propose', 'Proposed'] : ['reject', 'Draft'];
        const seen = new Promise<number>((resolve, reject) => {
          waiting = { lifecycle, resolve };
          setTimeout(() => reject(new Error(`no MODIFIED ${lifecycle} event for ${name} within 10 s`)), 10_000).unref();
        });
        await call('revisions.lifecycle', { name, verb });
        const changedAt = performance.now();
        watchMs.push((await seen) - changedAt);
      }
    } finally {
      stop();
    }
    log(`${engine}: watch latency p50 ${median(watchMs).toFixed(1)} ms, p99 ${percentile(watchMs, 99).toFixed(1)} ms over ${watchMs.length} changes`);
    return { engine, revisions: seeded, getMs, unchunkedMs, doorPagesMs, rows, watchMs };
  } finally {
    await door?.close();
    await host?.close();
  }
}

export async function runKubeBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      revisions: { type: 'string', default: '10000' },
      repositories: { type: 'string', default: '10' },
      runs: { type: 'string', default: '7' },
      changes: { type: 'string', default: '200' },
      engine: { type: 'string' },
      kubectl: { type: 'string', default: process.env.PORCHLIGHT_KUBECTL ?? 'kubectl' },
      out: { type: 'string', default: path.join(HERE, 'results', 'kube.json') },
    },
  });
  const [revisions, repositories, runs, changes] = [values.revisions, values.repositories, values.runs, values.changes].map(Number) as [
    number,
    number,
    number,
    number,
  ];
  if (![revisions, repositories, runs, changes].every((n) => Number.isInteger(n) && n >= 1)) {
    process.stderr.write('--revisions, --repositories, --runs and --changes must be positive integers\n');
    return 1;
  }
  const adminUrl = benchAdminUrl();
  const chosen = benchEngines(values.engine, adminUrl);
  if ('error' in chosen) {
    process.stderr.write(`${chosen.error}\n`);
    return 1;
  }
  const warnings = chosen.warning ? [chosen.warning] : [];
  for (const w of warnings) log(`!!! ${w} !!!`);
  try {
    await run(values.kubectl, ['version', '--client'], process.env);
  } catch {
    process.stderr.write(`kubectl is missing (${values.kubectl}): install kubectl 1.32, or pass --kubectl PATH\n`);
    return 1;
  }
  const machine = await machineInfo();
  const load = os.loadavg()[0]!;
  const pgdbs = adminUrl ? new PgDatabases(adminUrl) : undefined;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-bench-kube-'));
  const results: EngineResult[] = [];
  const rows: ResultRow[] = [];
  try {
    for (const engine of chosen.engines) {
      try {
        results.push(
          await measureEngine(engine, { revisions, repositories: Math.min(repositories, revisions), runs, changes, kubectl: values.kubectl, work, pgdbs }),
        );
      } catch (e) {
        log(`${engine}: ERROR ${errorText(e)}`);
        rows.push({ engine, figure: 'kubectl get packagerevisions -A', value: null, unit: 'ms', target: '', verdict: 'ERROR', note: errorText(e) });
      }
    }
  } finally {
    await pgdbs?.dropAll();
    fs.rmSync(work, { recursive: true, force: true });
  }
  for (const r of results) {
    const get = median(r.getMs);
    const p99 = percentile(r.watchMs, 99);
    rows.push(
      {
        engine: r.engine,
        figure: `kubectl get packagerevisions -A (${r.revisions} revisions), p50 wall`,
        value: get,
        unit: 'ms',
        target: `< ${TARGET.getMs} ms`,
        verdict: get < TARGET.getMs ? 'PASS' : 'FAIL',
        note: `max ${Math.round(Math.max(...r.getMs))} ms over ${r.getMs.length} runs, ${r.rows} rows`,
      },
      {
        engine: r.engine,
        figure: 'kubectl get packagerevisions -A --chunk-size=0 (one request), p50',
        value: median(r.unchunkedMs),
        unit: 'ms',
        target: '',
        verdict: 'INFO',
      },
      {
        engine: r.engine,
        figure: "the door's time for the same 20 table pages (no kubectl), p50",
        value: median(r.doorPagesMs),
        unit: 'ms',
        target: '',
        verdict: 'INFO',
      },
      {
        engine: r.engine,
        figure: 'watch sees a change made by another door, p99',
        value: p99,
        unit: 'ms',
        target: `< ${TARGET.watchP99Ms} ms`,
        verdict: p99 < TARGET.watchP99Ms ? 'PASS' : 'FAIL',
        note: `p50 ${median(r.watchMs).toFixed(1)} ms, max ${Math.max(...r.watchMs).toFixed(1)} ms over ${r.watchMs.length} changes`,
      },
    );
  }
  process.stdout.write(`${renderTable(rows)}\n`);
  for (const w of warnings) process.stdout.write(`!!! ${w} !!!\n`);
  await writeJson(values.out, {
    ranAt: new Date().toISOString(),
    machine,
    options: { revisions, repositories, runs, changes, engines: chosen.engines },
    loadAverage: [round1(load), round1(os.loadavg()[0]!)],
    warnings,
    rows,
    raw: Object.fromEntries(
      results.map((r) => [
        r.engine,
        { getMs: r.getMs.map(round1), unchunkedMs: r.unchunkedMs.map(round1), doorPagesMs: r.doorPagesMs.map(round1), watchMs: r.watchMs.map(round1) },
      ]),
    ),
  });
  return results.length > 0 ? 0 : 1;
}

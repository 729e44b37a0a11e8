// `npm run bench -- scale`: issue 6's figures at 100,000 package revisions.
//
// Shape: 500 repositories x 200 revisions (4 per package: the placeholder,
// published v1.., a few drafts, proposals and deletion proposals), 15
// resources each (a Kptfile and 14 ConfigMaps): 100,000 revisions and
// 1,500,000 resource rows, seeded straight into the database by
// test/support/seed-revisions.ts in three calls so a catalog has something to
// resolve: 497 repositories `synthetic-NNNN` of 200, two `catalog-a-NNNN` of
// 100 (25 packages) and one `catalog-e-0001` of 400 (100 packages); package
// paths are `pkg-NNNNN` in every repository, so a path beyond a small member's
// last package is found only further down the catalog. Planner statistics are
// left as the app leaves them (a sync ANALYZEs only after caching 500 or more
// revisions of one repository; PGlite has no autovacuum, so at 200 per
// repository it has none; PostgreSQL's autovacuum analyzes when it gets to
// it): the table says which existed. Seeded once per engine; every figure
// reads that one database.
//
// Figures (targets from the issue), all through the service's calls (the dispatcher every door uses), timed per call:
//   - keyset page of one repository, first page and the next one (`after`),
//     100 rows, random repositories: the window's call (revisions.page ->
//     pageRevisionSummaries) and pagePackageRevisions; p50 < 2 ms
//   - readResources of random published revisions (15 files); p50 < 5 ms
//   - search namespace-wide (limit 100) by name and by file path
//     (scale-child.ts says which substrings), both page calls; p50 < 30 ms
//   - resolveInCatalog in a catalog of 5 repositories: paths found in the
//     1st, 3rd and last member, and a miss; p50 < 2 ms each
//   - cold open: a fresh child process opens the closed database
//     (openDatabase, the service, the window's first page); PGlite < 2 s
//   - RSS: a child per size opens the database, runs the same reads and
//     reports RSS after two forced GCs (scale-child.ts explains what that
//     counts): at 100,000 < 400 MB, and <= 1.3x the RSS at 10,000 (50
//     repositories, same shape, a database of its own)
//   - cleanup: one more repository of 10,000 revisions x 15 resources is
//     seeded, unregistered with force through the service running as a
//     window runs it (background cleanup worker; its background syncs are
//     stopped: the seeded remotes do not exist), and the worker deletes it;
//     rows deleted (revisions, resources, packages, the repository) per
//     second, from the unregister call to the worker's DELETE of the
//     repository row (timed where that statement returns: the worker's
//     database is wrapped to time its statements, which the table lists)
//     > 20,000 rows/s. Meanwhile the same process reads pages of other
//     repositories (revisions.page, one due every --read-interval-ms while
//     none is outstanding) until the worker is idle (on PGlite that includes
//     its closing VACUUM); a read's latency runs from when it fell due, so
//     the time PGlite's synchronous statements keep the event loop from even
//     starting it counts, as a window's request would wait: p99 < 10 ms.
// The benchmark exits 0 whatever the verdicts, 1 only when no engine could run.
//
// Options: --engine pglite|postgres|both (default both when
//          PORCHLIGHT_BENCH_PG_URL or PORCHLIGHT_TEST_PG_URL names a server)
//          --repositories N (500) --revisions-per-repository N (200)
//          --resources-per-revision N (15) --small-repositories N (50)
//          --cleanup-revisions N (10000) --samples N (300 per page figure)
//          --analyze like-sync|full|none (like-sync) --read-interval-ms N (50)
//          --cold-opens N (3) --keep (leave the databases) --out FILE
import { runUpkeep } from '../src-main/cache/pglite-upkeep.ts';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database, Queryable } from '../src-main/db/database.ts';
import { openDatabase } from '../src-main/db/open-database.ts';
import { cleanupNow } from '../src-main/service/cleanup.ts';
import { openService } from '../src-main/service/service.ts';
import { machineInfo, MB, renderTable, round1, writeJson, type ResultRow, benchLogger, errorText, percentile } from './measure.ts';
import { benchAdminUrl, benchEngines, type EngineKind, PgDatabases } from './pg-databases.ts';
import { filePathSearchTerms, nameSearchTerms, pick, rng, type ChildRequest, type ChildResult, type SearchTerm, type WorkloadOptions } from './scale-child.ts';
import { seedRevisions, verifySeeded, type SeedOptions, type SeedResult } from '../test/support/seed-revisions.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const NAMESPACE = 'default';
const TARGET = {
  pageMs: 2,
  getMs: 5,
  searchMs: 30,
  catalogMs: 2,
  coldOpenMs: 2000,
  rssMB: 400,
  rssRatio: 1.3,
  cleanupRowsPerS: 20_000,
  cleanupReadP99Ms: 10,
};
/** The memory children's reads (same for both sizes). */
const WORKLOAD: Omit<WorkloadOptions, 'seed'> = { repositoryPages: 150, gets: 300, searches: 24, namespacePages: 20 };
const CATALOG = 'scale-bench';

const log = benchLogger('scale');

// ---- statistics ----------------------------------------------------------------

interface Dist {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function dist(values: readonly number[]): Dist {
  return {
    n: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: values.length ? Math.max(...values) : Number.NaN,
  };
}

const ms = (v: number) => (Number.isNaN(v) ? 'n/a' : v < 10 ? `${v.toFixed(2)} ms` : `${Math.round(v)} ms`);
const distNote = (d: Dist) => `p95 ${ms(d.p95)}, p99 ${ms(d.p99)}, max ${ms(d.max)}, n=${d.n}`;

/** Times `fn` once per sample after `warmup` untimed calls; stops early after `budgetMs` (with at least 5 samples). */
async function timeCalls(samples: number, budgetMs: number, fn: (i: number) => Promise<unknown>, warmup = 5): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const out: number[] = [];
  const began = performance.now();
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
    if (out.length >= 5 && performance.now() - began > budgetMs) break;
  }
  return out;
}

// ---- database helpers --------------------------------------------------------------

interface PlannerStats {
  revisionPartitions: number;
  resourcePartitions: number;
  others: string[];
}

async function plannerStats(q: Queryable): Promise<PlannerStats> {
  const res = await q.query<{ tablename: string }>(`SELECT DISTINCT tablename FROM pg_stats WHERE schemaname = current_schema()`);
  const names = res.rows.map((r) => r.tablename);
  return {
    revisionPartitions: names.filter((n) => /^package_revisions_p\d+$/.test(n)).length,
    resourcePartitions: names.filter((n) => /^resources_p\d+$/.test(n)).length,
    others: names.filter((n) => ['package_revisions', 'resources', 'packages', 'repositories'].includes(n)).sort(),
  };
}

function describeStats(s: PlannerStats): string {
  return `package_revisions ${s.revisionPartitions}/16 partitions, resources ${s.resourcePartitions}/16${s.others.length ? `, ${s.others.join(', ')}` : ', no parent tables'}`;
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) total += dirBytes(p);
    else if (entry.isFile()) total += fs.statSync(p).size;
  }
  return total;
}

async function databaseMB(db: Database, target: Target): Promise<number> {
  if (target.kind === 'pglite') return dirBytes(target.db) / MB;
  const res = await db.query<{ bytes: number }>(`SELECT pg_database_size(current_database())::bigint AS bytes`);
  return Number(res.rows[0]!.bytes) / MB;
}

async function countRows(q: Queryable, repositoryId: number): Promise<{ revisions: number; resources: number; packages: number }> {
  const res = await q.query<{ revisions: number; resources: number; packages: number }>(
    `SELECT (SELECT count(*)::int FROM package_revisions WHERE repository_id = $1) AS revisions,
            (SELECT count(*)::int FROM resources WHERE repository_id = $1) AS resources,
            (SELECT count(*)::int FROM packages WHERE repository_id = $1) AS packages`,
    [repositoryId],
  );
  return res.rows[0]!;
}

/** A full GC when the process allows one (node --expose-gc, or turned on here). */
function collectGarbage(): void {
  try {
    let gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) {
      v8.setFlagsFromString('--expose_gc');
      gc = vm.runInNewContext('gc') as () => void;
    }
    gc();
  } catch {
    // no GC on demand: the figures carry whatever the heap does
  }
}

// ---- child processes -----------------------------------------------------------------

async function runChild(req: ChildRequest): Promise<ChildResult & { wallMs: number }> {
  const script = path.join(HERE, 'scale-child.ts');
  const started = performance.now();
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', script, JSON.stringify(req)], {
    cwd: path.resolve(HERE, '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
  });
  const wallMs = performance.now() - started;
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`${req.mode} child exited ${code} without a result: ${err.slice(-2000)}`);
  const result = JSON.parse(line.slice('RESULT '.length)) as ChildResult;
  if (!result.ok) throw new Error(`${req.mode} child failed: ${result.error ?? err.slice(-2000)}`);
  return { ...result, wallMs };
}

// ---- one engine ---------------------------------------------------------------------

interface Target {
  kind: EngineKind;
  /** PGlite directory or postgres:// URL. */
  db: string;
  dataHome: string;
  pgName?: string;
}

interface Options {
  repositories: number;
  perRepository: number;
  resourcesPerRevision: number;
  smallRepositories: number;
  cleanupRevisions: number;
  samples: number;
  analyze: NonNullable<SeedOptions['analyze']>;
  readIntervalMs: number;
  coldOpens: number;
  keep: boolean;
  work: string;
  pgdbs?: PgDatabases;
}

type SeedSummary = Omit<SeedResult, 'repositories'> & { repositories: number };

function summary(s: SeedResult): SeedSummary {
  const { repositories, ...rest } = s;
  return { ...rest, repositories: repositories.length };
}

function addSeeds(results: SeedResult[]): SeedSummary {
  const byLifecycle: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.byLifecycle)) byLifecycle[k] = (byLifecycle[k] ?? 0) + v;
  const msTotal = results.reduce((n, r) => n + r.ms, 0);
  const revisions = results.reduce((n, r) => n + r.revisions, 0);
  const resources = results.reduce((n, r) => n + r.resources, 0);
  return {
    namespace: results[0]!.namespace,
    repositories: results.reduce((n, r) => n + r.repositories.length, 0),
    packages: results.reduce((n, r) => n + r.packages, 0),
    revisions,
    resources,
    byLifecycle,
    ms: msTotal,
    analyzeMs: results.reduce((n, r) => n + r.analyzeMs, 0),
    revisionsPerSecond: revisions / (msTotal / 1000),
    resourcesPerSecond: resources / (msTotal / 1000),
  };
}

interface CatalogCase {
  label: string;
  /** Index of the member expected to answer; undefined: a miss. */
  member?: number;
  paths: string[];
}

interface EngineResult {
  engine: EngineKind;
  load: { start: number; end: number };
  seed: { main: SeedSummary; small: SeedSummary; cleanup?: SeedSummary; wallMs: number };
  sizeMB: { main: number; small: number };
  stats: { atMeasure: PlannerStats; afterCleanup?: PlannerStats };
  samples: Record<string, number[]>;
  searchKinds: Record<string, Record<string, number[]>>;
  catalog: { members: string[]; cases: CatalogCase[] };
  coldOpen: (ChildResult & { wallMs: number })[];
  rss: { small?: ChildResult & { wallMs: number }; big?: ChildResult & { wallMs: number }; error?: string };
  cleanup?: {
    rows: { revisions: number; resources: number; packages: number; repositories: number; total: number };
    unregisterMs: number;
    deleteMs: number;
    idleMs: number;
    /** The worker's closing VACUUM (PGlite), as the statement returned. */
    vacuumMs: number;
    reads: { atMs: number; ms: number; queryMs: number; phase: 'deleting' | 'finishing' }[];
    /** The worker's transactions and its costliest statements while it ran. */
    transactions: StatementStats;
    statements: { sql: string; n: number; ms: number; maxMs: number }[];
    /** The process's event loop while the worker ran (perf_hooks.monitorEventLoopDelay). */
    eventLoopMaxMs: number;
    eventLoopP99Ms: number;
    leftOver: { revisions: number; resources: number; packages: number };
    timedOut: boolean;
  };
  errors: string[];
}

async function createTarget(kind: EngineKind, label: string, opts: Options): Promise<Target> {
  const dataHome = path.join(opts.work, `${kind}-${label}`, 'home');
  fs.mkdirSync(dataHome, { recursive: true });
  if (kind === 'pglite') return { kind, db: path.join(opts.work, `${kind}-${label}`, 'db'), dataHome };
  const created = await opts.pgdbs!.create();
  return { kind, db: created.url, dataHome, pgName: created.name };
}

const dropped = new WeakSet<Target>();

async function dropTarget(t: Target, opts: Options): Promise<void> {
  if (dropped.has(t)) return;
  dropped.add(t);
  if (opts.keep) {
    log(`kept ${t.kind === 'pglite' ? t.db : t.pgName}`);
    return;
  }
  if (t.pgName) await opts.pgdbs!.drop(t.pgName).catch((e: unknown) => log(`could not drop ${t.pgName}: ${errorText(e)}`));
  else fs.rmSync(path.dirname(t.db), { recursive: true, force: true });
}

function progress(kind: EngineKind, what: string, every: number) {
  return (p: { repositoriesDone: number; revisions: number; resources: number; ms: number }) => {
    if (p.repositoriesDone % every === 0)
      log(`${kind}: ${what}: ${p.repositoriesDone} repositories, ${p.revisions} revisions, ${p.resources} resources, ${(p.ms / 1000).toFixed(1)} s`);
  };
}

async function seedSmall(kind: EngineKind, t: Target, opts: Options): Promise<{ seed: SeedSummary; sizeMB: number }> {
  const db = await openDatabase({ db: t.db, dataHome: t.dataHome, env: {} });
  try {
    const seed = await seedRevisions(db, {
      namespace: NAMESPACE,
      repositories: opts.smallRepositories,
      revisionsPerRepository: opts.perRepository,
      resourcesPerRevision: opts.resourcesPerRevision,
      analyze: opts.analyze,
    });
    await verifySeeded(db, seed, { dataHome: t.dataHome });
    log(`${kind}: small database: ${seed.revisions} revisions, ${seed.resources} resources in ${(seed.ms / 1000).toFixed(1)} s`);
    return { seed: summary(seed), sizeMB: await databaseMB(db, t) };
  } finally {
    await db.close();
  }
}

/** The 100,000: three seeds (see the top of the file), then the catalog. */
async function seedMain(kind: EngineKind, t: Target, opts: Options): Promise<{ seed: SeedSummary; members: string[]; sizeMB: number }> {
  const db = await openDatabase({ db: t.db, dataHome: t.dataHome, env: {} });
  try {
    const half = Math.floor(opts.perRepository / 2);
    const common = { namespace: NAMESPACE, resourcesPerRevision: opts.resourcesPerRevision, analyze: opts.analyze } as const;
    const a = await seedRevisions(db, { ...common, repositories: 2, revisionsPerRepository: half, repositoryPrefix: 'catalog-a' });
    const main = await seedRevisions(db, {
      ...common,
      repositories: opts.repositories - 3,
      revisionsPerRepository: opts.perRepository,
      onProgress: progress(kind, 'seeding', 50),
    });
    const e = await seedRevisions(db, {
      ...common,
      repositories: 1,
      revisionsPerRepository: 2 * opts.perRepository + (opts.perRepository - 2 * half),
      repositoryPrefix: 'catalog-e',
    });
    await verifySeeded(db, main, { dataHome: t.dataHome });
    const all = addSeeds([a, main, e]);
    log(`${kind}: seeded ${all.revisions} revisions, ${all.resources} resources in ${all.repositories} repositories, ${(all.ms / 1000).toFixed(1)} s`);

    const service = openService({ db, dataHome: t.dataHome });
    const members = [
      a.repositories[0]!.name,
      a.repositories[1]!.name,
      main.repositories[Math.floor(main.repositories.length / 5)]!.name,
      main.repositories[Math.floor((3 * main.repositories.length) / 5)]!.name,
      e.repositories[0]!.name,
    ];
    await service.call('catalogs.create', { namespace: NAMESPACE, name: CATALOG, repositories: members, description: 'scale benchmark: small members first' });
    // The cleanup figure runs the service as the window does; the seeded
    // revisions are dated 2025 and a policy run would evict their files.
    await service.call('cache.setPolicy', { namespace: NAMESPACE, enabled: false });
    return { seed: all, members, sizeMB: await databaseMB(db, t) };
  } finally {
    await db.close();
  }
}

/** Which paths answer at which member: computed from the rows, then checked against the resolve. */
async function catalogCases(db: Queryable, members: string[], random: () => number): Promise<CatalogCase[]> {
  const res = await db.query<{ repository: string; package_path: string }>(
    `SELECT r.name AS repository, p.package_path
       FROM repositories r
       JOIN packages p ON p.repository_id = r.id AND p.status = 'default'
       JOIN package_revisions pr ON pr.repository_id = r.id AND pr.package_id = p.id
      WHERE r.namespace = $1 AND r.name = ANY($2::text[]) AND r.status = 'default'
        AND pr.status = 'default' AND pr.latest AND pr.lifecycle = 'Published'`,
    [NAMESPACE, members],
  );
  const resolvable = members.map((m) => new Set(res.rows.filter((r) => r.repository === m).map((r) => r.package_path)));
  const answeringAt = (k: number) => [...resolvable[k]!].filter((p) => !resolvable.slice(0, k).some((s) => s.has(p))).sort();
  const cases: CatalogCase[] = [];
  for (const [label, k] of [
    ['1st member', 0],
    ['3rd member', 2],
    ['last member', members.length - 1],
  ] as const) {
    const paths = answeringAt(k);
    if (paths.length === 0) throw new Error(`no package path answers first at catalog member ${k + 1} (${members[k]})`);
    cases.push({ label, member: k, paths: Array.from({ length: 8 }, () => pick(random, paths)) });
  }
  cases.push({ label: 'miss', paths: ['pkg-99999', 'apps/pkg-99998', 'team/not-here'] });
  return cases;
}

async function measureInProcess(kind: EngineKind, t: Target, opts: Options, members: string[], r: EngineResult, random: () => number): Promise<void> {
  // What the seeding and the children left behind (closed PGlite instances'
  // memory) is collected now, not in the middle of a figure.
  collectGarbage();
  const db = await openDatabase({ db: t.db, dataHome: t.dataHome, env: {} });
  const service = openService({ db, dataHome: t.dataHome });
  try {
    r.stats.atMeasure = await plannerStats(db);
    log(`${kind}: planner statistics: ${describeStats(r.stats.atMeasure)}`);
    const repos = (await service.call('repositories.list', { namespace: NAMESPACE })).map((x) => x.metadata.name);
    const n = opts.samples;

    // Keyset pages of one repository: the first, and the next with `after`.
    // Cursors come from one untimed first page per repository.
    const cursors = new Map<string, string | undefined>();
    const cursorOf = async (repository: string) => {
      if (!cursors.has(repository)) cursors.set(repository, (await service.call('revisions.page', { namespace: NAMESPACE, repository, limit: 100 })).next);
      return cursors.get(repository);
    };
    const pageRepos = Array.from({ length: n + 10 }, () => pick(random, repos));
    for (const repo of pageRepos) await cursorOf(repo);
    log(`${kind}: keyset pages`);
    // The four page calls take turns on each repository, so a slow moment
    // (a GC, the machine) falls on all four figures alike.
    const pageCalls: [string, (repository: string) => Promise<unknown>][] = [
      ['windowFirst', (repository) => service.call('revisions.page', { namespace: NAMESPACE, repository, limit: 100 })],
      [
        'windowLater',
        async (repository) => service.call('revisions.page', { namespace: NAMESPACE, repository, limit: 100, after: await cursorOf(repository) }),
      ],
      ['fullFirst', (repository) => service.call('revisions.pageFull', { namespace: NAMESPACE, repository, limit: 100 })],
      [
        'fullLater',
        async (repository) => service.call('revisions.pageFull', { namespace: NAMESPACE, repository, limit: 100, after: await cursorOf(repository) }),
      ],
    ];
    for (const [key] of pageCalls) r.samples[key] = [];
    for (let i = -5; i < n; i++) {
      const repository = pageRepos.at(i)!;
      for (const [key, call] of pageCalls) {
        const t0 = performance.now();
        await call(repository);
        if (i >= 0) r.samples[key]!.push(performance.now() - t0);
      }
    }
    // For context: the window's "All repositories" page at a random cursor.
    const nsCursors = Array.from({ length: 60 }, () => `${pick(random, repos)}.`);
    r.samples.windowNamespace = await timeCalls(50, 20_000, (i) =>
      service.call('revisions.page', { namespace: NAMESPACE, limit: 100, after: nsCursors.at(i)! }),
    );

    // readResources of random published revisions.
    log(`${kind}: readResources`);
    const published = await db.query<{ name: string }>(
      `SELECT name FROM package_revisions WHERE status = 'default' AND lifecycle = 'Published' AND revision > 0 AND namespace = $1 ORDER BY random() LIMIT $2`,
      [NAMESPACE, n + 10],
    );
    const names = published.rows.map((x) => x.name);
    let files = 0;
    r.samples.get = await timeCalls(n, 30_000, async (i) => {
      const got = await service.call('revisions.resources', { namespace: NAMESPACE, name: names.at(i)! });
      if (i >= 0) files += got.files.length;
    });
    if (files !== r.samples.get.length * opts.resourcesPerRevision)
      throw new Error(`readResources returned ${files} files for ${r.samples.get.length} revisions`);

    // Search, by name and by file path, through both page calls.
    const searchSamples = Math.max(24, Math.round(n / 5));
    const nameTerms = nameSearchTerms(random, repos, searchSamples + 5);
    const fileTerms = filePathSearchTerms(random, searchSamples + 5);
    const search = async (key: string, terms: SearchTerm[], call: (t: SearchTerm) => Promise<unknown>) => {
      log(`${kind}: ${key}`);
      const kinds: Record<string, number[]> = {};
      r.samples[key] = await timeCalls(searchSamples, 45_000, async (i) => {
        const term = terms.at(i)!;
        const t0 = performance.now();
        await call(term);
        if (i >= 0) (kinds[term.kind] ??= []).push(performance.now() - t0);
      });
      r.searchKinds[key] = kinds;
    };
    await search('searchFull', nameTerms, (x) => service.call('revisions.pageFull', { namespace: NAMESPACE, limit: 100, search: x.text }));
    await search('searchWindow', nameTerms, (x) => service.call('revisions.page', { namespace: NAMESPACE, limit: 100, search: x.text }));
    await search('fileFull', fileTerms, (x) => service.call('revisions.pageFull', { namespace: NAMESPACE, limit: 100, filePath: x.text }));
    await search('fileWindow', fileTerms, (x) => service.call('revisions.page', { namespace: NAMESPACE, limit: 100, filePath: x.text }));

    // Catalog resolves.
    log(`${kind}: catalog resolves`);
    const cases = await catalogCases(db, members, random);
    r.catalog = { members, cases };
    for (const c of cases) {
      // Each answer checked once: the right member, or NOT_FOUND naming all five.
      for (const p of new Set(c.paths)) {
        const outcome = await service.call('catalogs.resolve', { namespace: NAMESPACE, catalog: CATALOG, packagePath: p }).then(
          (x) => x.repository,
          (e: unknown) => (e as { code?: string }).code ?? errorText(e),
        );
        const expected = c.member === undefined ? 'NOT_FOUND' : members[c.member];
        if (outcome !== expected) throw new Error(`resolveInCatalog(${p}) answered ${outcome}, expected ${expected}`);
      }
      r.samples[`catalog ${c.label}`] = await timeCalls(Math.round(n / 2), 20_000, (i) =>
        service.call('catalogs.resolve', { namespace: NAMESPACE, catalog: CATALOG, packagePath: c.paths.at(i % c.paths.length)! }).catch((e: unknown) => {
          if ((e as { code?: string }).code !== 'NOT_FOUND') throw e;
        }),
      );
    }

    await cleanupFigure(kind, db, t, opts, repos, r, random);
  } finally {
    await service.close();
  }
}

// ---- the cleanup figure -------------------------------------------------------------

interface StatementStats {
  n: number;
  ms: number;
  max: number;
}

/**
 * The database as the cleanup service sees it, with every statement and
 * transaction timed where it returns to JavaScript. Observation only: the
 * same calls reach the same driver. `close` is left to the owner.
 */
function observed(
  db: Database,
  onStatement: (sql: string, params: readonly unknown[] | undefined, startedAt: number, ms: number) => void,
  onTransaction: (ms: number) => void,
): Database {
  const wrap = (q: Queryable): Queryable => ({
    async query<Row>(sql: string, params?: readonly unknown[]) {
      const t = performance.now();
      try {
        return await q.query<Row>(sql, params);
      } finally {
        onStatement(sql, params, t, performance.now() - t);
      }
    },
    async exec(sql: string) {
      const t = performance.now();
      try {
        await q.exec(sql);
      } finally {
        onStatement(sql, undefined, t, performance.now() - t);
      }
    },
  });
  const outer = wrap(db);
  return {
    kind: db.kind,
    location: db.location,
    query: outer.query,
    exec: outer.exec,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const t = performance.now();
      try {
        return await db.transaction((tx) => fn(wrap(tx)));
      } finally {
        onTransaction(performance.now() - t);
      }
    },
    idleForMs: () => db.idleForMs(),
    close: async () => {},
  };
}

const statementKey = (sql: string) => sql.replace(/\s+/g, ' ').trim().slice(0, 100);

/**
 * One more repository of opts.cleanupRevisions, unregistered with force
 * through a service running as the window runs it (background cleanup
 * worker), deleted by that worker while this process keeps reading pages of
 * other repositories through the same database.
 */
async function cleanupFigure(kind: EngineKind, db: Database, t: Target, opts: Options, repos: string[], r: EngineResult, random: () => number): Promise<void> {
  log(`${kind}: seeding the repository to clean up (${opts.cleanupRevisions} revisions)`);
  const extra = await seedRevisions(db, {
    namespace: NAMESPACE,
    repositories: 1,
    revisionsPerRepository: opts.cleanupRevisions,
    resourcesPerRevision: opts.resourcesPerRevision,
    repositoryPrefix: 'cleanup',
    analyze: opts.analyze,
  });
  r.seed.cleanup = summary(extra);
  const victim = extra.repositories[0]!;
  const before = await countRows(db, victim.id);
  const rows = { ...before, repositories: 1, total: before.revisions + before.resources + before.packages + 1 };
  log(`${kind}: ${victim.name}: ${rows.total} rows in ${(extra.ms / 1000).toFixed(1)} s; unregistering`);

  // The worker's statements, timed as they return: the repository row's
  // DELETE is the end of the deletion (a poll could not tell: on PGlite a
  // statement holds the event loop, so timers fire late).
  const statements = new Map<string, StatementStats>();
  const transactions: StatementStats = { n: 0, ms: 0, max: 0 };
  let measuring = false;
  let deletedAt: number | undefined;
  let vacuumMs = 0;
  const add = (s: StatementStats, ms: number) => {
    s.n++;
    s.ms += ms;
    s.max = Math.max(s.max, ms);
  };
  const workerDb = observed(
    db,
    (sql, params, startedAt, ms) => {
      if (!measuring) return;
      const key = statementKey(sql);
      let st = statements.get(key);
      if (!st) statements.set(key, (st = { n: 0, ms: 0, max: 0 }));
      add(st, ms);
      if (/^DELETE FROM repositories WHERE id = \$1/.test(key) && Number(params?.[0]) === victim.id) deletedAt = startedAt + ms;
      if (/^VACUUM/i.test(key)) vacuumMs += ms;
    },
    (ms) => measuring && add(transactions, ms),
  );
  const workerErrors: string[] = [];
  const upkeepRuns: string[] = [];
  const service = openService({
    db: workerDb,
    dataHome: t.dataHome,
    // Failures are errors of the run; the upkeep's runs are what happened after.
    log: (message, fields) => (/failed|error/.test(message) ? workerErrors : upkeepRuns).push(`${message} ${JSON.stringify(fields ?? {})}`),
  });
  // As the window runs it: long-lived front doors start the background work,
  // so an unregister only marks and kicks the cleanup worker. The background
  // syncs this also schedules are stopped at once, before any timer can fire:
  // the seeded remotes do not exist. The namespace's cleanup policy was
  // disabled at seeding: the seeded revisions are dated 2025.
  (await service.startBackground()).syncManager.stop();
  // The app has been open and idle before the user unregisters: its PGlite
  // upkeep has analyzed what the seeding wrote. Done here to the end, so the
  // figure measures the cleanup, not a reader arriving during an ANALYZE.
  await runUpkeep(db);

  // The window's reads: one page request every readIntervalMs while none is
  // outstanding. A read's latency runs from the moment it was due to its
  // answer, so it includes any time the event loop could not even start it:
  // PGlite runs each statement synchronously on the calling thread, and a
  // request arriving from a window waits the same way.
  // (A service of their own over the plain database: the worker's statement
  // counts stay the worker's.)
  const window = openService({ db, dataHome: t.dataHome });
  const cursors = new Map<string, string | undefined>();
  const timed: { atMs: number; ms: number; queryMs: number }[] = [];
  let stop = false;
  let stoppedAt = Number.POSITIVE_INFINITY;
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  const reader = async (t0: number) => {
    let due = t0;
    for (let i = 0; !stop; i++) {
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      // A read that fell due before the worker went idle is still made: the
      // window sent it and waits for it (its timer may fire late).
      if (stop && due > stoppedAt) break;
      const repository = pick(random, repos);
      const later = i % 2 === 1 && cursors.get(repository);
      const issued = performance.now();
      const page = await window.call('revisions.page', { namespace: NAMESPACE, repository, limit: 100, ...(later ? { after: later } : {}) });
      const answered = performance.now();
      timed.push({ atMs: due - t0, ms: answered - due, queryMs: answered - issued });
      if (!later) cursors.set(repository, page.next);
      // The next one is due at the first tick after this answer.
      due += opts.readIntervalMs * Math.max(1, Math.ceil((answered - due) / opts.readIntervalMs));
    }
  };

  const budgetMs = 300_000;
  let unregisterMs: number;
  let idleAt: number | undefined;
  let timedOut = false;
  measuring = true;
  loopDelay.enable();
  const t0 = performance.now();
  const reading = reader(t0);
  try {
    await service.call('repositories.unregister', { namespace: NAMESPACE, name: victim.name, force: true });
    unregisterMs = performance.now() - t0;
    while (deletedAt === undefined && workerErrors.length === 0) {
      if (performance.now() - t0 > budgetMs) {
        timedOut = true;
        break;
      }
      await sleep(20);
    }
    // runCleanup waits for the worker's run in progress (on PGlite its
    // closing VACUUM ANALYZE), then finds nothing left: the worker is idle.
    if (!timedOut) {
      await cleanupNow(service.ctx);
      idleAt = performance.now();
    }
  } finally {
    stoppedAt = performance.now();
    stop = true;
    await reading;
    loopDelay.disable();
    measuring = false;
    await service.close();
  }
  if (upkeepRuns.length) log(`${kind}: upkeep during and after the cleanup: ${upkeepRuns.join('; ')}`);
  const deleteMs = (deletedAt ?? performance.now()) - t0;
  const reads = timed.map((x) => ({ ...x, phase: x.atMs < deleteMs ? ('deleting' as const) : ('finishing' as const) }));
  const leftOver = await countRows(db, victim.id);
  r.errors.push(...workerErrors.map((e) => `cleanup worker: ${e}`));
  r.cleanup = {
    rows,
    unregisterMs,
    deleteMs,
    idleMs: (idleAt ?? performance.now()) - t0,
    vacuumMs,
    reads,
    leftOver,
    timedOut,
    eventLoopMaxMs: loopDelay.max / 1e6,
    eventLoopP99Ms: loopDelay.percentile(99) / 1e6,
    transactions,
    statements: [...statements.entries()]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, 12)
      .map(([sql, st]) => ({ sql, n: st.n, ms: round1(st.ms), maxMs: round1(st.max) })),
  };
  r.stats.afterCleanup = await plannerStats(db);
  log(
    `${kind}: cleanup: ${rows.total} rows in ${(deleteMs / 1000).toFixed(1)} s (${Math.round(rows.total / (deleteMs / 1000))} rows/s), ` +
      `idle after ${(r.cleanup.idleMs / 1000).toFixed(1)} s (VACUUM ${Math.round(vacuumMs)} ms); ${reads.length} reads, p99 ${ms(
        percentile(
          reads.map((x) => x.ms),
          99,
        ),
      )}; ` +
      `longest transaction ${Math.round(transactions.max)} ms, event loop stalled up to ${Math.round(r.cleanup.eventLoopMaxMs)} ms`,
  );
}

async function measureEngine(kind: EngineKind, opts: Options): Promise<EngineResult> {
  const r: EngineResult = {
    engine: kind,
    load: { start: os.loadavg()[0]!, end: Number.NaN },
    seed: {} as EngineResult['seed'],
    sizeMB: { main: Number.NaN, small: Number.NaN },
    stats: {} as EngineResult['stats'],
    samples: {},
    searchKinds: {},
    catalog: { members: [], cases: [] },
    coldOpen: [],
    rss: {},
    errors: [],
  };
  const random = rng(kind === 'pglite' ? 6 : 7);
  const seedStarted = performance.now();
  const small = await createTarget(kind, 'small', opts);
  const big = await createTarget(kind, 'main', opts);
  try {
    log(`${kind}: seeding the 10,000-revision database`);
    const s = await seedSmall(kind, small, opts);
    r.seed.small = s.seed;
    r.sizeMB.small = s.sizeMB;
    log(`${kind}: seeding ${opts.repositories * opts.perRepository} revisions`);
    const m = await seedMain(kind, big, opts);
    r.seed.main = m.seed;
    r.sizeMB.main = m.sizeMB;
    r.seed.wallMs = performance.now() - seedStarted;

    // Fresh processes on the closed databases: cold opens, then memory.
    for (let i = 0; i < opts.coldOpens; i++) {
      const c = await runChild({ mode: 'cold-open', db: big.db, dataHome: big.dataHome, namespace: NAMESPACE });
      r.coldOpen.push(c);
      log(
        `${kind}: cold open ${i + 1}: ${Math.round(c.openToFirstPageMs!)} ms (open ${Math.round(c.openMs!)}, first page ${Math.round(c.firstPageMs!)}; ${Math.round(c.processToFirstPageMs!)} ms since the process started)`,
      );
    }
    try {
      r.rss.small = await runChild({ mode: 'rss', db: small.db, dataHome: small.dataHome, namespace: NAMESPACE, workload: { ...WORKLOAD, seed: 11 } });
      r.rss.big = await runChild({ mode: 'rss', db: big.db, dataHome: big.dataHome, namespace: NAMESPACE, workload: { ...WORKLOAD, seed: 11 } });
      log(
        `${kind}: RSS after GC: ${Math.round(r.rss.small.rssAfterGc! / MB)} MB at ${r.seed.small.revisions}, ${Math.round(r.rss.big.rssAfterGc! / MB)} MB at ${r.seed.main.revisions}`,
      );
    } catch (e) {
      r.rss.error = errorText(e);
      log(`${kind}: memory children: ${r.rss.error}`);
    }
    await dropTarget(small, opts);

    await measureInProcess(kind, big, opts, m.members, r, random);
  } finally {
    await dropTarget(small, opts).catch(() => {});
    await dropTarget(big, opts).catch(() => {});
    r.load.end = os.loadavg()[0]!;
  }
  return r;
}

// ---- the table --------------------------------------------------------------------------

function check(value: number, ok: boolean): ResultRow['verdict'] {
  return Number.isNaN(value) ? 'ERROR' : ok ? 'PASS' : 'FAIL';
}

function latencyRow(engine: string, figure: string, values: number[] | undefined, targetMs: number | undefined, extra = ''): ResultRow {
  const d = dist(values ?? []);
  return {
    engine,
    figure,
    value: d.p50,
    unit: 'ms',
    target: targetMs === undefined ? '' : `p50 < ${targetMs} ms`,
    verdict: targetMs === undefined ? 'INFO' : check(d.p50, d.p50 < targetMs),
    note: `p50 ${ms(d.p50)}; ${distNote(d)}${extra ? `; ${extra}` : ''}`,
  };
}

function kindsNote(kinds: Record<string, number[]> | undefined): string {
  if (!kinds) return '';
  return Object.entries(kinds)
    .map(([k, v]) => `${k} ${ms(percentile(v, 50))}`)
    .join(', ');
}

function rowsFor(r: EngineResult, opts: Options): ResultRow[] {
  const e = r.engine;
  const rows: ResultRow[] = [];
  const seedNote = (s: SeedSummary | undefined) =>
    s
      ? `${s.repositories} repositories, ${s.revisions} revisions, ${s.resources} resources in ${(s.ms / 1000).toFixed(1)} s (${Math.round(s.revisionsPerSecond)} revisions/s, ${Math.round(s.resourcesPerSecond)} resources/s)`
      : 'n/a';
  rows.push({
    engine: e,
    figure: 'seeded, 100k database',
    value: r.seed.main?.revisions ?? null,
    unit: 'rows',
    target: '',
    verdict: 'INFO',
    note: `${seedNote(r.seed.main)}; ${JSON.stringify(r.seed.main?.byLifecycle ?? {})}; ${Math.round(r.sizeMB.main)} MB`,
  });
  rows.push({
    engine: e,
    figure: 'seeded, 10k database',
    value: r.seed.small?.revisions ?? null,
    unit: 'rows',
    target: '',
    verdict: 'INFO',
    note: `${seedNote(r.seed.small)}; ${Math.round(r.sizeMB.small)} MB; both seeds ${((r.seed.wallMs ?? NaN) / 1000).toFixed(1)} s wall`,
  });
  if (r.stats.atMeasure)
    rows.push({
      engine: e,
      figure: 'planner statistics when measured',
      value: null,
      unit: 'rows',
      target: '',
      verdict: 'INFO',
      note: `${describeStats(r.stats.atMeasure)}${r.stats.afterCleanup ? ` / after the cleanup: ${describeStats(r.stats.afterCleanup)}` : ''}`,
    });

  const s = r.samples;
  rows.push(latencyRow(e, 'window page of a repository, first (pageRevisionSummaries)', s.windowFirst, TARGET.pageMs));
  rows.push(latencyRow(e, 'window page of a repository, next (after)', s.windowLater, TARGET.pageMs));
  rows.push(latencyRow(e, 'pagePackageRevisions of a repository, first', s.fullFirst, TARGET.pageMs));
  rows.push(latencyRow(e, 'pagePackageRevisions of a repository, next (after)', s.fullLater, TARGET.pageMs));
  rows.push(latencyRow(e, 'window page, all repositories, random cursor', s.windowNamespace, undefined));
  rows.push(latencyRow(e, `readResources (${opts.resourcesPerRevision} files) of a published revision`, s.get, TARGET.getMs));
  const searchTarget = TARGET.searchMs;
  const onPg = e === 'postgres' ? ' (the issue sets it for PGlite)' : '';
  rows.push(latencyRow(e, 'search by name, pagePackageRevisions', s.searchFull, searchTarget, `by kind: ${kindsNote(r.searchKinds.searchFull)}${onPg}`));
  rows.push(latencyRow(e, 'search by name, window page', s.searchWindow, searchTarget, `by kind: ${kindsNote(r.searchKinds.searchWindow)}`));
  rows.push(latencyRow(e, 'search by file path, pagePackageRevisions', s.fileFull, searchTarget, `by kind: ${kindsNote(r.searchKinds.fileFull)}`));
  rows.push(latencyRow(e, 'search by file path, window page', s.fileWindow, searchTarget, `by kind: ${kindsNote(r.searchKinds.fileWindow)}`));
  for (const c of r.catalog.cases) {
    rows.push(
      latencyRow(
        e,
        `resolveInCatalog, ${c.label}`,
        s[`catalog ${c.label}`],
        TARGET.catalogMs,
        c.member === undefined ? `NOT_FOUND after all ${r.catalog.members.length} members` : `answered by ${r.catalog.members[c.member]}`,
      ),
    );
  }

  if (r.coldOpen.length) {
    const open = r.coldOpen.map((c) => c.openToFirstPageMs!);
    const med = percentile(open, 50);
    rows.push({
      engine: e,
      figure: 'cold open to the first page (fresh process), median',
      value: med,
      unit: 'ms',
      target: e === 'pglite' ? `< ${TARGET.coldOpenMs} ms` : '',
      verdict: e === 'pglite' ? check(med, med < TARGET.coldOpenMs) : 'INFO',
      note:
        `openDatabase + service + revisions.page; runs ${open.map((x) => Math.round(x)).join(' / ')} ms ` +
        `(open ${r.coldOpen.map((c) => Math.round(c.openMs!)).join(' / ')}, page ${r.coldOpen.map((c) => Math.round(c.firstPageMs!)).join(' / ')}); ` +
        `since process start ${r.coldOpen.map((c) => Math.round(c.processToFirstPageMs!)).join(' / ')} ms (adds Node + tsx compiling sources); OS file cache warm`,
    });
  }

  const big = r.rss.big;
  const small = r.rss.small;
  if (r.rss.error) rows.push({ engine: e, figure: 'RSS (child processes)', value: null, unit: 'MB', target: '', verdict: 'ERROR', note: r.rss.error });
  const rssNote = (c: ChildResult) =>
    `after open ${Math.round(c.rssAfterOpen! / MB)} MB, after the reads ${Math.round(c.rssAfterWorkload! / MB)} MB, peak ${Math.round(c.peakRss! / MB)} MB, V8 heap ${Math.round(c.heapUsed! / MB)} MB; ${c.workload!.calls} calls${e === 'postgres' ? '; the server is another process, not counted' : ''}`;
  if (big) {
    const v = big.rssAfterGc! / MB;
    rows.push({
      engine: e,
      figure: `RSS after GC, ${r.seed.main.revisions} revisions (child)`,
      value: v,
      unit: 'MB',
      target: `< ${TARGET.rssMB} MB`,
      verdict: check(v, v < TARGET.rssMB),
      note: rssNote(big),
    });
  }
  if (small)
    rows.push({
      engine: e,
      figure: `RSS after GC, ${r.seed.small.revisions} revisions (child)`,
      value: small.rssAfterGc! / MB,
      unit: 'MB',
      target: '',
      verdict: 'INFO',
      note: rssNote(small),
    });
  if (big && small) {
    const ratio = big.rssAfterGc! / small.rssAfterGc!;
    rows.push({
      engine: e,
      figure: 'RSS 100k / 10k',
      value: ratio,
      unit: 'x',
      target: `<= ${TARGET.rssRatio}x`,
      verdict: check(ratio, ratio <= TARGET.rssRatio),
    });
  }

  const c = r.cleanup;
  if (c) {
    const rate = c.rows.total / (c.deleteMs / 1000);
    rows.push({
      engine: e,
      figure: `cleanup of a ${r.seed.cleanup?.revisions ?? '?'}-revision repository`,
      value: c.timedOut ? null : rate,
      unit: 'rows',
      target: `> ${TARGET.cleanupRowsPerS} rows/s`,
      verdict: c.timedOut || c.leftOver.revisions + c.leftOver.resources + c.leftOver.packages > 0 ? 'ERROR' : check(rate, rate > TARGET.cleanupRowsPerS),
      note:
        `${c.rows.total} rows (${c.rows.revisions} revisions, ${c.rows.resources} resources, ${c.rows.packages} packages, 1 repository) in ${(c.deleteMs / 1000).toFixed(2)} s ` +
        `from the unregister call (${ms(c.unregisterMs)}) to the worker's DELETE of the repository row; background worker, reads running; ` +
        `${c.transactions.n} worker transactions, longest ${ms(c.transactions.max)}; costliest: ${c.statements
          .slice(0, 3)
          .map((x) => `${x.sql.slice(0, 40)}… ${ms(x.ms)} (${x.n}x)`)
          .join('; ')}` +
        `${c.vacuumMs ? `; then VACUUM ${ms(c.vacuumMs)}` : ''}${c.timedOut ? '; TIMED OUT' : ''}`,
    });
    const all = c.reads.map((x) => x.ms);
    const deleting = c.reads.filter((x) => x.phase === 'deleting').map((x) => x.ms);
    const finishing = c.reads.filter((x) => x.phase === 'finishing').map((x) => x.ms);
    const p99 = percentile(all, 99);
    rows.push({
      engine: e,
      figure: 'window page of another repository during the cleanup, p99',
      value: p99,
      unit: 'ms',
      target: `p99 < ${TARGET.cleanupReadP99Ms} ms`,
      verdict: check(p99, p99 < TARGET.cleanupReadP99Ms),
      note:
        `${all.length} reads (one due every ${opts.readIntervalMs} ms when none is outstanding; latency from when it was due) until the worker was idle (${(c.idleMs / 1000).toFixed(1)} s); ` +
        `p50 ${ms(percentile(all, 50))}, max ${ms(Math.max(...all))}; the query alone p99 ${ms(
          percentile(
            c.reads.map((x) => x.queryMs),
            99,
          ),
        )}; longest event-loop stall ${ms(c.eventLoopMaxMs)}; ` +
        `while deleting p99 ${ms(percentile(deleting, 99))} (n=${deleting.length}), after it (the worker's closing work${c.vacuumMs ? `, VACUUM ${ms(c.vacuumMs)}` : ''}, ${((c.idleMs - c.deleteMs) / 1000).toFixed(1)} s) p99 ${ms(percentile(finishing, 99))} (n=${finishing.length})`,
    });
    rows.push({
      engine: e,
      figure: 'seeded, repository to clean up',
      value: r.seed.cleanup?.revisions ?? null,
      unit: 'rows',
      target: '',
      verdict: 'INFO',
      note: seedNote(r.seed.cleanup),
    });
  }
  for (const err of r.errors) rows.push({ engine: e, figure: 'error', value: null, unit: 'ms', target: '', verdict: 'ERROR', note: err });
  rows.push({
    engine: e,
    figure: 'machine load average (1 min), start / end',
    value: null,
    unit: 'rows',
    target: '',
    verdict: 'INFO',
    note: `${r.load.start.toFixed(2)} / ${r.load.end.toFixed(2)} on ${os.availableParallelism?.() ?? os.cpus().length} cores`,
  });
  return rows;
}

// ---- entry point ----------------------------------------------------------------------------

export async function runScaleBench(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        engine: { type: 'string' },
        repositories: { type: 'string', default: '500' },
        'revisions-per-repository': { type: 'string', default: '200' },
        'resources-per-revision': { type: 'string', default: '15' },
        'small-repositories': { type: 'string', default: '50' },
        'cleanup-revisions': { type: 'string', default: '10000' },
        samples: { type: 'string', default: '300' },
        analyze: { type: 'string', default: 'like-app' },
        'read-interval-ms': { type: 'string', default: '50' },
        'cold-opens': { type: 'string', default: '3' },
        keep: { type: 'boolean', default: false },
        out: { type: 'string', default: path.join(HERE, 'results', 'scale.json') },
      },
    }));
  } catch (e) {
    process.stderr.write(`${errorText(e)}\n`);
    return 1;
  }
  const num = (k: keyof typeof values) => Number(values[k]);
  const opts: Options = {
    repositories: num('repositories'),
    perRepository: num('revisions-per-repository'),
    resourcesPerRevision: num('resources-per-revision'),
    smallRepositories: num('small-repositories'),
    cleanupRevisions: num('cleanup-revisions'),
    samples: num('samples'),
    analyze: values.analyze as Options['analyze'],
    readIntervalMs: num('read-interval-ms'),
    coldOpens: num('cold-opens'),
    keep: values.keep === true,
    work: '',
  };
  for (const [k, v] of Object.entries(opts)) {
    if (typeof v === 'number' && !(Number.isInteger(v) && v >= (k === 'readIntervalMs' || k === 'coldOpens' ? 0 : 1))) {
      process.stderr.write(`--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be a positive integer\n`);
      return 1;
    }
  }
  if (opts.repositories < 6) {
    process.stderr.write('--repositories must be at least 6 (the catalog needs five of them)\n');
    return 1;
  }
  if (!['like-sync', 'like-app', 'full', 'none'].includes(opts.analyze)) {
    process.stderr.write(`--analyze must be like-sync, like-app, full or none, not "${values.analyze}"\n`);
    return 1;
  }
  const adminUrl = benchAdminUrl();
  const chosen = benchEngines(values.engine, adminUrl);
  if ('error' in chosen) {
    process.stderr.write(`${chosen.error}\n`);
    return 1;
  }
  const { engines } = chosen;
  const warnings = chosen.warning ? [chosen.warning] : [];
  for (const w of warnings) log(`!!! ${w} !!!`);

  const machine = await machineInfo();
  // What was measured: the commit, and any uncommitted change to the code under test.
  let source = 'unknown';
  try {
    const git = (...a: string[]) => execFileSync('git', a, { cwd: path.resolve(HERE, '..'), encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--', 'src-main', 'src-shared', 'migrations').split('\n').filter(Boolean);
    source = `${git('rev-parse', '--short', 'HEAD')}${dirty.length ? ` + uncommitted: ${dirty.map((l) => l.trim()).join(', ')}` : ''}`;
  } catch {
    // not a checkout
  }
  const loadStart = os.loadavg();
  const pgdbs = adminUrl && engines.includes('postgres') ? new PgDatabases(adminUrl) : undefined;
  const pgVersion = pgdbs ? await pgdbs.version().catch(() => 'unknown') : undefined;
  let pgliteVersion = 'unknown';
  try {
    pgliteVersion = (
      JSON.parse(fs.readFileSync(path.resolve(HERE, '..', 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string }
    ).version;
  } catch {
    // reported as unknown
  }
  opts.work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-bench-scale-'));
  opts.pgdbs = pgdbs;
  const started = performance.now();
  const results: EngineResult[] = [];
  const errors: { engine: EngineKind; error: string }[] = [];
  try {
    for (const engine of engines) {
      try {
        results.push(await measureEngine(engine, opts));
      } catch (e) {
        log(`${engine}: ERROR ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        errors.push({ engine, error: errorText(e) });
      }
    }
  } finally {
    if (!opts.keep) {
      await pgdbs?.dropAll();
      fs.rmSync(opts.work, { recursive: true, force: true });
    }
  }
  const totalMs = performance.now() - started;

  const rows: ResultRow[] = [];
  for (const r of results) rows.push(...rowsFor(r, opts));
  for (const e of errors) rows.push({ engine: e.engine, figure: 'scale benchmark', value: null, unit: 'ms', target: '', verdict: 'ERROR', note: e.error });
  const loadEnd = os.loadavg();
  const header = [
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB} GiB RAM; ${machine.platform}; Node ${machine.node}; PGlite ${pgliteVersion}${pgVersion ? `; PostgreSQL ${pgVersion}` : ''}`,
    `load average (1/5/15 min): ${loadStart.map((x) => x.toFixed(2)).join(' ')} at the start, ${loadEnd.map((x) => x.toFixed(2)).join(' ')} at the end; the whole run took ${(totalMs / 1000).toFixed(0)} s`,
    `source: ${source}`,
    `shape: ${opts.repositories} repositories x ${opts.perRepository} revisions x ${opts.resourcesPerRevision} resources; 10k database ${opts.smallRepositories} x ${opts.perRepository}; cleanup of 1 x ${opts.cleanupRevisions}; statistics: ${opts.analyze}`,
  ];
  process.stdout.write(`${header.join('\n')}\n\n${renderTable(rows)}\n`);
  for (const w of warnings) process.stdout.write(`!!! ${w} !!!\n`);
  await writeJson(values.out!, {
    ranAt: new Date().toISOString(),
    source,
    machine: {
      ...machine,
      loadAverage: { start: loadStart.map(round1), end: loadEnd.map(round1) },
      pglite: pgliteVersion,
      ...(pgVersion ? { postgres: pgVersion } : {}),
    },
    options: { ...opts, work: undefined, pgdbs: undefined, engines },
    totalMs: round1(totalMs),
    warnings,
    rows,
    errors,
    raw: Object.fromEntries(
      results.map((r) => [
        r.engine,
        {
          load: r.load,
          seed: r.seed,
          sizeMB: r.sizeMB,
          stats: r.stats,
          samplesMs: Object.fromEntries(Object.entries(r.samples).map(([k, v]) => [k, v.map(round1)])),
          searchKindsMs: Object.fromEntries(
            Object.entries(r.searchKinds).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).map(([kk, vv]) => [kk, vv.map(round1)]))]),
          ),
          catalog: r.catalog,
          coldOpen: r.coldOpen,
          rss: r.rss,
          cleanup: r.cleanup && {
            ...r.cleanup,
            reads: r.cleanup.reads.map((x) => ({ atMs: round1(x.atMs), ms: round1(x.ms), queryMs: round1(x.queryMs), phase: x.phase })),
          },
          errors: r.errors,
        },
      ]),
    ),
  });
  return results.length > 0 ? 0 : 1;
}

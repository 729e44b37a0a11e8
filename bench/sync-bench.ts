// `npm run bench -- sync`: a generated repository of 1,000 packages x 3
// revisions served over real smart HTTP, synced into PGlite and (when a server
// is given) PostgreSQL, beside a floor of native tools doing the same work.
//
// Targets (from the issue): first sync within 4x of the floor, unchanged
// re-sync under 50 ms, one new tag under 300 ms, RSS at 3,000 revisions within
// 1.3x of RSS at 300. The benchmark exits 0 whatever the verdicts.
//
// Options: --packages N (1000) --small N (100) --revisions N (3) --files N (5)
//          --engines pglite,postgres  --no-memory  --out bench/results/sync.json
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import type { Database } from '../src-main/db/database.ts';
import { openDatabase } from '../src-main/db/open-database.ts';
import { openService, type Service } from '../src-main/service/service.ts';
import type { SyncStats } from '../src-shared/domain.ts';
import type { ErrorShape } from '../src-shared/errors.ts';
import { startGitServer, type GitServer } from '../test/support/git-server.ts';
import { lsRemote, measureFloor, mirrorFetch, type FloorTimes } from './floor.ts';
import { addOneTag, generateRepo } from '../test/support/generate-repo.ts';
import { benchAdminUrl, PgDatabases } from './pg-databases.ts';
import { machineInfo, MB, median, memory, renderTable, round1, timed, writeJson, type MachineInfo, type ResultRow, benchLogger, errorText } from './measure.ts';
import type { ChildRequest, ChildResult } from './sync-child.ts';

const execFileAsync = promisify(execFile);
const HERE = dirname(fileURLToPath(import.meta.url));
const USER = 'bench';
const PASSWORD = 'bench-secret';
const NAMESPACE = 'default';
const REPO_NAME = 'bench';

const TARGET = {
  firstSyncRatio: 4,
  unchangedMs: 50,
  newTagMs: 300,
  rssRatio: 1.3,
};
const UNCHANGED_RUNS = 5;
const NEW_TAG_RUNS = 3;

type EngineKind = 'pglite' | 'postgres';

interface EngineResult {
  engine: EngineKind;
  error?: string;
  openMs?: number;
  floor?: FloorTimes;
  /** Native context for the re-sync targets: `git ls-remote` (median of 5), `git fetch` of one new tag into the floor mirror (median of 3). */
  lsRemoteMs?: number[];
  fetchNewTagMs?: number[];
  firstSyncMs?: number;
  firstSyncStats?: SyncStats;
  /** What the sync logged about its own phases (when it does), per sync in order. */
  syncPhases?: Record<string, unknown>[];
  revisionsAfterFirstSync?: number;
  rssAfterFirstSyncMB?: number;
  unchangedMs?: number[];
  unchangedStats?: SyncStats[];
  newTagMs?: number[];
  newTagStats?: SyncStats[];
  revisionsAfterNewTags?: number;
  memory?: { small?: ChildResult; big?: ChildResult; error?: string };
}

const log = benchLogger('sync');

function isStats(s: SyncStats | ErrorShape): s is SyncStats {
  return !('code' in s);
}

async function runChild(req: ChildRequest): Promise<ChildResult> {
  const script = join(HERE, 'sync-child.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(req)], { cwd: resolve(HERE, '..'), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const code = await new Promise<number>((res, rej) => {
    child.on('error', rej);
    child.on('close', (c) => res(c ?? 1));
  });
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`memory child exited ${code} without a result: ${err.slice(-2000)}`);
  const result = JSON.parse(line.slice('RESULT '.length)) as ChildResult;
  if (!result.ok) throw new Error(`memory child failed: ${result.error ?? err.slice(-2000)}`);
  return result;
}

async function openTarget(kind: EngineKind, dir: string, pgdbs: PgDatabases | undefined): Promise<{ target: string; dropName?: string }> {
  if (kind === 'pglite') return { target: join(dir, 'db') };
  const created = await pgdbs!.create();
  return { target: created.url, dropName: created.name };
}

interface Setup {
  work: string;
  srv: string;
  server: GitServer;
  bigTemplate: string;
  smallTemplate: string;
  packages: string[];
  files: number;
}

async function runEngine(kind: EngineKind, setup: Setup, pgdbs: PgDatabases | undefined, withMemory: boolean): Promise<EngineResult> {
  const result: EngineResult = { engine: kind };
  const dir = join(setup.work, kind);
  await mkdir(dir, { recursive: true });
  const repoName = `sync-${kind}`;
  const repoDir = join(setup.srv, `${repoName}.git`);
  await cp(setup.bigTemplate, repoDir, { recursive: true });
  const url = setup.server.baseUrl(repoName);

  let dropName: string | undefined;
  let db: Database | undefined;
  let service: Service | undefined;
  try {
    const t = await openTarget(kind, dir, pgdbs);
    dropName = t.dropName;
    const dataHome = join(dir, 'home');
    const opened = await timed(() => openDatabase({ db: t.target, dataHome }));
    db = opened.value;
    result.openMs = opened.ms;
    log(`${kind}: database open and migrated in ${Math.round(opened.ms)} ms`);

    result.floor = await measureFloor({ url: setup.server.authUrl(repoName), cloneDir: join(dir, 'floor.git'), db });
    log(
      `${kind}: floor ${Math.round(result.floor.totalMs)} ms (clone ${Math.round(result.floor.cloneMs)}, read ${Math.round(result.floor.readMs)}, insert ${Math.round(result.floor.insertMs)})`,
    );

    const phases: Record<string, unknown>[] = (result.syncPhases = []);
    service = openService({
      db,
      dataHome,
      log: (message, fields) => {
        if (/phase/i.test(message) && fields) phases.push(fields);
      },
    });
    const svc = service;
    log(`${kind}: first sync ...`);
    const first = await timed(() => svc.call('repositories.register', { url, name: REPO_NAME, namespace: NAMESPACE, username: USER, password: PASSWORD }));
    if (!isStats(first.value.sync)) throw new Error(`first sync failed: ${first.value.sync.message}`);
    result.firstSyncMs = first.ms;
    result.firstSyncStats = first.value.sync;
    result.rssAfterFirstSyncMB = memory().rss / MB;
    result.revisionsAfterFirstSync = (await svc.call('revisions.list', { namespace: NAMESPACE })).length;
    log(`${kind}: first sync ${Math.round(first.ms)} ms, ${result.revisionsAfterFirstSync} revisions`);

    result.lsRemoteMs = [];
    for (let i = 0; i < UNCHANGED_RUNS; i++) result.lsRemoteMs.push(await lsRemote(setup.server.authUrl(repoName)));

    result.unchangedMs = [];
    result.unchangedStats = [];
    for (let i = 0; i < UNCHANGED_RUNS; i++) {
      const r = await timed(() => svc.call('repositories.sync', { namespace: NAMESPACE, name: REPO_NAME }));
      result.unchangedMs.push(r.ms);
      result.unchangedStats.push(r.value);
    }
    log(`${kind}: unchanged re-sync ${result.unchangedMs.map((m) => Math.round(m)).join(', ')} ms`);

    result.newTagMs = [];
    result.newTagStats = [];
    for (let i = 0; i < NEW_TAG_RUNS; i++) {
      // A different package each time, spread over the repository.
      const pkg = setup.packages[Math.floor(((i + 0.5) * setup.packages.length) / NEW_TAG_RUNS)]!;
      await addOneTag(repoDir, pkg, setup.files);
      result.fetchNewTagMs = [...(result.fetchNewTagMs ?? []), await mirrorFetch(join(dir, 'floor.git'))];
      const r = await timed(() => svc.call('repositories.sync', { namespace: NAMESPACE, name: REPO_NAME }));
      result.newTagMs.push(r.ms);
      result.newTagStats.push(r.value);
    }
    result.revisionsAfterNewTags = (await svc.call('revisions.list', { namespace: NAMESPACE })).length;
    log(`${kind}: one new tag re-sync ${result.newTagMs.map((m) => Math.round(m)).join(', ')} ms`);
  } catch (e) {
    result.error = errorText(e);
    log(`${kind}: ERROR ${result.error}`);
  } finally {
    if (service) await service.close().catch(() => {});
    else if (db) await db.close().catch(() => {});
    if (dropName) await pgdbs!.drop(dropName).catch((e: unknown) => log(`could not drop ${dropName}: ${errorText(e)}`));
    await rm(dir, { recursive: true, force: true });
    await rm(repoDir, { recursive: true, force: true });
  }

  if (withMemory) result.memory = await measureMemory(kind, setup, pgdbs);
  return result;
}

/** The same first sync at two sizes, each in a process of its own. */
async function measureMemory(kind: EngineKind, setup: Setup, pgdbs: PgDatabases | undefined): Promise<EngineResult['memory']> {
  const out: NonNullable<EngineResult['memory']> = {};
  for (const size of ['small', 'big'] as const) {
    const dir = join(setup.work, `${kind}-mem-${size}`);
    let dropName: string | undefined;
    try {
      await mkdir(dir, { recursive: true });
      const t = await openTarget(kind, dir, pgdbs);
      dropName = t.dropName;
      log(`${kind}: memory child, ${size} repository ...`);
      const name = size === 'small' ? 'tpl-small' : 'tpl-big';
      out[size] = await runChild({ db: t.target, dataHome: join(dir, 'home'), url: setup.server.baseUrl(name), username: USER, password: PASSWORD });
      log(`${kind}: ${size}: ${out[size]!.revisions} revisions, RSS ${Math.round(out[size]!.rssAfterSync / MB)} MB`);
    } catch (e) {
      out.error = errorText(e);
      log(`${kind}: memory ERROR ${out.error}`);
      break;
    } finally {
      if (dropName) await pgdbs!.drop(dropName).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    }
  }
  return out;
}

/** `fetch 948, discover 1250, ...` from the sync's own phase log, if it wrote one. */
function phaseNote(p: Record<string, unknown> | undefined): string {
  if (!p) return 'no phase log';
  return `phases ms: ${Object.entries(p)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => `${k} ${v as number}`)
    .join(', ')}`;
}

function verdict(ok: boolean | undefined): ResultRow['verdict'] {
  return ok === undefined ? 'ERROR' : ok ? 'PASS' : 'FAIL';
}

function rowsFor(r: EngineResult, sizes: { big: number; small: number }): ResultRow[] {
  const e = r.engine;
  const rows: ResultRow[] = [];
  const f = r.floor;
  if (r.openMs !== undefined) rows.push({ engine: e, figure: 'open + migrate (not timed in sync)', value: r.openMs, unit: 'ms', target: '', verdict: 'INFO' });
  if (f) {
    rows.push({ engine: e, figure: 'floor: git clone --mirror', value: f.cloneMs, unit: 'ms', target: '', verdict: 'INFO' });
    rows.push({
      engine: e,
      figure: 'floor: for-each-ref + cat-file',
      value: f.readMs,
      unit: 'ms',
      target: '',
      verdict: 'INFO',
      note: `${f.objectsRead.commits} commits, ${f.objectsRead.trees} trees, ${f.objectsRead.blobs} blobs`,
    });
    rows.push({
      engine: e,
      figure: 'floor: bulk insert',
      value: f.insertMs,
      unit: 'ms',
      target: '',
      verdict: 'INFO',
      note: `${f.revisions} revision + ${f.resourceRows} resource rows, 500 a statement`,
    });
    rows.push({ engine: e, figure: 'floor total', value: f.totalMs, unit: 'ms', target: '', verdict: 'INFO' });
  }
  const ratio = f && r.firstSyncMs !== undefined ? r.firstSyncMs / f.totalMs : undefined;
  rows.push({
    engine: e,
    figure: 'first sync (register)',
    value: r.firstSyncMs ?? null,
    unit: 'ms',
    target: f ? `<= ${Math.round(TARGET.firstSyncRatio * f.totalMs)} ms` : `<= ${TARGET.firstSyncRatio}x floor`,
    verdict: verdict(ratio === undefined ? undefined : ratio <= TARGET.firstSyncRatio),
    note: r.firstSyncStats ? `${r.revisionsAfterFirstSync} revisions listed; ${phaseNote(r.syncPhases?.[0])}` : r.error,
  });
  rows.push({
    engine: e,
    figure: 'first sync / floor',
    value: ratio ?? null,
    unit: 'x',
    target: `<= ${TARGET.firstSyncRatio}x`,
    verdict: verdict(ratio === undefined ? undefined : ratio <= TARGET.firstSyncRatio),
  });
  if (r.lsRemoteMs?.length) {
    rows.push({
      engine: e,
      figure: 'native: git ls-remote (median of 5)',
      value: median(r.lsRemoteMs),
      unit: 'ms',
      target: '',
      verdict: 'INFO',
      note: 'what an unchanged re-sync must do at least',
    });
  }
  const unchanged = r.unchangedMs?.length ? median(r.unchangedMs) : undefined;
  rows.push({
    engine: e,
    figure: `unchanged re-sync (median of ${UNCHANGED_RUNS})`,
    value: unchanged ?? null,
    unit: 'ms',
    target: `< ${TARGET.unchangedMs} ms`,
    verdict: verdict(unchanged === undefined ? undefined : unchanged < TARGET.unchangedMs),
    note: r.unchangedMs?.length
      ? `runs ${r.unchangedMs.map((m) => Math.round(m)).join('/')} ms; remoteUnchanged=${r.unchangedStats?.every((s) => s.remoteUnchanged)}`
      : undefined,
  });
  const newTag = r.newTagMs?.length ? median(r.newTagMs) : undefined;
  rows.push({
    engine: e,
    figure: `one new tag re-sync (median of ${NEW_TAG_RUNS})`,
    value: newTag ?? null,
    unit: 'ms',
    target: `< ${TARGET.newTagMs} ms`,
    verdict: verdict(newTag === undefined ? undefined : newTag < TARGET.newTagMs),
    note: r.newTagStats?.length
      ? `runs ${r.newTagMs!.map((m) => Math.round(m)).join('/')} ms; inserted ${r.newTagStats.map((s) => s.externalOnly).join('/')}, removed ${r.newTagStats
          .map((s) => s.cachedOnly)
          .join('/')}; ${r.revisionsAfterNewTags} revisions after`
      : undefined,
  });
  if (r.fetchNewTagMs?.length) {
    rows.push({
      engine: e,
      figure: 'native: git fetch of one new tag (median)',
      value: median(r.fetchNewTagMs),
      unit: 'ms',
      target: '',
      verdict: 'INFO',
      note: 'into the floor mirror; what a new-tag re-sync must do at least',
    });
  }
  if (r.rssAfterFirstSyncMB !== undefined) {
    rows.push({
      engine: e,
      figure: 'RSS after first sync (this process)',
      value: r.rssAfterFirstSyncMB,
      unit: 'MB',
      target: '',
      verdict: 'INFO',
      note: 'includes the git server and floor data',
    });
  }
  const m = r.memory;
  if (m) {
    const small = m.small;
    const big = m.big;
    const memoryRow = (revisions: number, sample: typeof small) =>
      sample &&
      rows.push({
        engine: e,
        figure: `RSS, child, ${revisions} revisions`,
        value: sample.rssAfterSync / MB,
        unit: 'MB',
        target: '',
        verdict: 'INFO',
        note: `after open ${Math.round(sample.rssAfterOpen / MB)} MB, peak ${Math.round(sample.peakRss / MB)} MB, sync ${Math.round(sample.syncMs)} ms`,
      });
    memoryRow(sizes.small * 3, small);
    memoryRow(sizes.big * 3, big);
    const rssRatio = small && big ? big.rssAfterSync / small.rssAfterSync : undefined;
    rows.push({
      engine: e,
      figure: 'RSS big / small',
      value: rssRatio ?? null,
      unit: 'x',
      target: `<= ${TARGET.rssRatio}x`,
      verdict: verdict(rssRatio === undefined ? undefined : rssRatio <= TARGET.rssRatio),
      note: m.error ?? (small && big ? `peak ratio ${(big.peakRss / small.peakRss).toFixed(2)}x` : undefined),
    });
  }
  return rows;
}

export async function runSyncBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      packages: { type: 'string', default: '1000' },
      small: { type: 'string', default: '100' },
      revisions: { type: 'string', default: '3' },
      files: { type: 'string', default: '5' },
      engines: { type: 'string', default: 'pglite,postgres' },
      'no-memory': { type: 'boolean', default: false },
      out: { type: 'string', default: join(HERE, 'results', 'sync.json') },
    },
  });
  const started = performance.now();
  const packages = Number(values.packages);
  const small = Number(values.small);
  const revisions = Number(values.revisions);
  const files = Number(values.files);
  const wanted = new Set(values.engines.split(',').map((s) => s.trim()));
  const machine: MachineInfo = await machineInfo();
  const loadBefore = os.loadavg();

  const adminUrl = benchAdminUrl();
  const warnings: string[] = [];
  let pgdbs: PgDatabases | undefined;
  let pgVersion: string | undefined;
  if (wanted.has('postgres')) {
    if (!adminUrl) {
      warnings.push(
        'PostgreSQL NOT MEASURED: set PORCHLIGHT_BENCH_PG_URL (or PORCHLIGHT_TEST_PG_URL) to an admin URL such as postgres://porchlight:porchlight@127.0.0.1:5432/postgres',
      );
    } else {
      pgdbs = new PgDatabases(adminUrl);
      try {
        pgVersion = await pgdbs.version();
      } catch (e) {
        warnings.push(`PostgreSQL NOT MEASURED: cannot reach the server at PORCHLIGHT_BENCH_PG_URL: ${errorText(e)}`);
        pgdbs = undefined;
      }
    }
  }
  const engines: EngineKind[] = [];
  if (wanted.has('pglite')) engines.push('pglite');
  if (pgdbs) engines.push('postgres');
  for (const w of warnings) log(`!!! ${w} !!!`);

  const work = await mkdtemp(join(os.tmpdir(), 'porchlight-bench-sync-'));
  const srv = join(work, 'srv');
  await mkdir(srv, { recursive: true });
  let server: GitServer | undefined;
  const results: EngineResult[] = [];
  let repoInfo: Record<string, unknown>;
  try {
    log(`generating ${packages} x ${revisions} and ${small} x ${revisions} repositories in ${work}`);
    const big = await timed(() => generateRepo({ dir: join(srv, 'tpl-big.git'), packages, revisions, filesPerPackage: files }));
    const smallRepo = await generateRepo({ dir: join(srv, 'tpl-small.git'), packages: small, revisions, filesPerPackage: files });
    const { stdout: size } = await execFileAsync('du', ['-sk', join(srv, 'tpl-big.git')]);
    repoInfo = {
      packages,
      revisions,
      filesPerPackage: files,
      tags: big.value.tags,
      generateMs: Math.round(big.ms),
      sizeKiB: Number(size.split('\t')[0]),
      smallPackages: small,
      smallTags: smallRepo.tags,
    };
    server = await startGitServer({ root: srv, username: USER, password: PASSWORD });
    const setup: Setup = {
      work,
      srv,
      server,
      bigTemplate: join(srv, 'tpl-big.git'),
      smallTemplate: join(srv, 'tpl-small.git'),
      packages: big.value.packages,
      files,
    };
    for (const kind of engines) results.push(await runEngine(kind, setup, pgdbs, !values['no-memory']));
  } finally {
    await server?.stop().catch(() => {});
    await pgdbs?.dropAll();
    await rm(work, { recursive: true, force: true });
  }

  const rows = results.flatMap((r) => rowsFor(r, { big: packages, small }));
  const totalS = (performance.now() - started) / 1000;
  const loadAfter = os.loadavg();
  const busy = Math.max(loadBefore[0]!, loadAfter[0]!, loadAfter[1]!) > machine.cores * 0.75;
  if (busy) {
    warnings.push(
      `machine was busy (load average ${loadBefore.map((l) => l.toFixed(1)).join('/')} before, ${loadAfter.map((l) => l.toFixed(1)).join('/')} after, ${machine.cores} cores): figures are noisy`,
    );
  }
  const lines = [
    '',
    `Porchlight sync benchmark: ${packages} packages x ${revisions} revisions (${files} files each), git http-backend on 127.0.0.1`,
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB} GiB RAM, ${machine.platform}`,
    `node ${machine.node}, git ${machine.git}, PGlite ${pgliteVersion()}${pgVersion ? `, PostgreSQL ${pgVersion}` : ''}, ${machine.date}`,
    '',
    renderTable(rows),
    '',
    ...warnings.map((w) => `!!! ${w} !!!`),
    `total benchmark time ${totalS.toFixed(0)} s; results written to ${values.out}`,
    '',
  ];
  process.stdout.write(lines.join('\n'));

  await writeJson(values.out, {
    benchmark: 'sync',
    machine: { ...machine, pglite: pgliteVersion(), postgres: pgVersion ?? null, loadBefore, loadAfter },
    repository: repoInfo,
    targets: TARGET,
    warnings,
    rows: rows.map((r) => ({ ...r, value: r.value === null ? null : round1(r.value) })),
    raw: results,
    totalSeconds: round1(totalS),
  });
  return 0;
}

function pgliteVersion(): string {
  try {
    return (JSON.parse(readFileSync(resolve(HERE, '..', 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

// `npm run bench -- lifecycle`: the write side's latency in a repository that
// already holds many package revisions, served over real smart HTTP on
// loopback, on PGlite and (when a server is given) PostgreSQL.
//
// Targets (from the issue): saving one edited resource of a draft p50 < 20 ms,
// propose p50 < 20 ms, approve (with the push) p50 < 500 ms and flat from 100
// to 10,000 revisions (here: the 10,000 p50 within 1.5x of the 100 p50).
//
// Options: --small N (100) --big N (10000) revisions; --saves N (30)
//          --proposals N (15) --approvals N (7) --engines pglite,postgres
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { openDatabase } from '../src-main/db/open-database.ts';
import { openService } from '../src-main/service/service.ts';
import { startGitServer, type GitServer } from '../test/support/git-server.ts';
import { generateRepo } from '../test/support/generate-repo.ts';
import { benchAdminUrl, PgDatabases } from './pg-databases.ts';
import { machineInfo, median, renderTable, round1, timed, writeJson, type ResultRow, benchLogger } from './measure.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const execFileAsync = promisify(execFile);
const USER = 'bench';
const PASSWORD = 'bench-secret';
const REVISIONS_PER_PACKAGE = 4;
const TARGET = { saveMs: 20, proposeMs: 20, approveMs: 500, flatRatio: 1.5 };

type EngineKind = 'pglite' | 'postgres';

interface SizeResult {
  revisions: number;
  syncMs: number;
  saveMs: number[];
  proposeMs: number[];
  approveMs: number[];
  /** Of each approval, the Git server's time answering the push (its checks and ref updates). */
  serverMs: number[];
}

const log = benchLogger('lifecycle');

const configMap = (i: number) => Buffer.from(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: edited\ndata:\n  value: "${i}"\n`);

async function measureSize(
  engine: EngineKind,
  server: GitServer,
  repoName: string,
  work: string,
  pgdbs: PgDatabases | undefined,
  counts: { saves: number; proposals: number; approvals: number },
): Promise<SizeResult> {
  const home = join(work, `${engine}-${repoName}`);
  const pgdb = engine === 'postgres' ? await pgdbs!.create() : undefined;
  const db = await openDatabase({ db: pgdb?.url ?? join(home, 'db'), env: {}, dataHome: home });
  const serverMs: number[] = [];
  const service = openService({
    db,
    dataHome: home,
    log: (message, fields) => {
      if (message === 'approval: pushed') serverMs.push(Number(fields?.serverMs ?? 0));
    },
  });
  try {
    const sync = await timed(() => service.call('repositories.register', { url: server.baseUrl(repoName), name: 'bench', username: USER, password: PASSWORD }));
    if ('code' in sync.value.sync) throw new Error(`first sync failed: ${sync.value.sync.message}`);
    const revisions = (await service.call('revisions.list', {})).length;
    log(`${engine} ${repoName}: ${revisions} revisions cached in ${Math.round(sync.ms)} ms`);

    // Autosave: one edited resource written into a draft, again and again.
    const draft = await service.call('revisions.init', { repository: 'bench', name: 'bench-edit', workspace: 'w1' });
    let rv = draft.metadata.resourceVersion!;
    const saveMs: number[] = [];
    for (let i = 0; i < counts.saves; i++) {
      const t = await timed(() =>
        service.call('revisions.save', {
          name: draft.metadata.name,
          resourceVersion: rv,
          files: [{ path: 'edited.yaml', base64: configMap(i).toString('base64') }],
        }),
      );
      rv = t.value.metadata.resourceVersion!;
      saveMs.push(t.ms);
    }

    const proposeMs: number[] = [];
    const approveMs: number[] = [];
    serverMs.length = 0;
    for (let i = 0; i < Math.max(counts.proposals, counts.approvals); i++) {
      const d = await service.call('revisions.init', { repository: 'bench', name: `bench-new-${i}`, workspace: 'w1' });
      const p = await timed(() => service.call('revisions.lifecycle', { name: d.metadata.name, verb: 'propose' }));
      if (i < counts.proposals) proposeMs.push(p.ms);
      if (i < counts.approvals) {
        const a = await timed(() => service.call('revisions.lifecycle', { name: d.metadata.name, verb: 'approve' }));
        approveMs.push(a.ms);
      }
    }
    return { revisions, syncMs: sync.ms, saveMs, proposeMs, approveMs, serverMs: [...serverMs] };
  } finally {
    await service.close();
    if (pgdb) await pgdbs!.drop(pgdb.name).catch(() => {});
  }
}

export async function runLifecycleBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      small: { type: 'string', default: '100' },
      big: { type: 'string', default: '10000' },
      saves: { type: 'string', default: '30' },
      proposals: { type: 'string', default: '15' },
      approvals: { type: 'string', default: '7' },
      engines: { type: 'string', default: 'pglite,postgres' },
      out: { type: 'string', default: join(HERE, 'results', 'lifecycle.json') },
    },
  });
  const counts = { saves: Number(values.saves), proposals: Number(values.proposals), approvals: Number(values.approvals) };
  const sizes = [Number(values.small), Number(values.big)];
  const adminUrl = benchAdminUrl();
  const pgdbs = adminUrl ? new PgDatabases(adminUrl) : undefined;
  const engines = values.engines.split(',').map((s) => s.trim()) as EngineKind[];
  const warnings: string[] = [];
  if (engines.includes('postgres') && !adminUrl) {
    warnings.push('PostgreSQL NOT MEASURED: set PORCHLIGHT_BENCH_PG_URL (or PORCHLIGHT_TEST_PG_URL)');
    engines.splice(engines.indexOf('postgres'), 1);
  }
  for (const w of warnings) log(`!!! ${w} !!!`);
  const machine = await machineInfo();
  const work = await mkdtemp(join(os.tmpdir(), 'porchlight-bench-lifecycle-'));
  const srv = join(work, 'srv');
  await mkdir(srv);
  let server: GitServer | undefined;
  const results: Record<string, SizeResult[]> = {};
  try {
    // One repository per engine and size: approvals push into it.
    for (const engine of engines) {
      for (const size of sizes) {
        const dir = join(srv, `${engine}-${size}.git`);
        await generateRepo({ dir, packages: Math.ceil(size / REVISIONS_PER_PACKAGE), revisions: REVISIONS_PER_PACKAGE, filesPerPackage: 5 });
        // A Git host's repositories are gc'd, and gc writes a commit-graph (gc.writeCommitGraph
        // defaults to true); without one, the server's connectivity check after each push
        // walks every tag's commit.
        await execFileAsync('git', ['--git-dir', dir, 'commit-graph', 'write', '--reachable']);
      }
    }
    server = await startGitServer({ root: srv, username: USER, password: PASSWORD });
    for (const engine of engines) {
      results[engine] = [];
      for (const size of sizes) results[engine]!.push(await measureSize(engine, server, `${engine}-${size}`, work, pgdbs, counts));
    }
  } finally {
    await server?.stop();
    await rm(work, { recursive: true, force: true });
  }

  const rows: ResultRow[] = [];
  for (const [engine, bySize] of Object.entries(results)) {
    for (const r of bySize) {
      const n = `${r.revisions} revisions`;
      const save = median(r.saveMs);
      const propose = median(r.proposeMs);
      const approve = median(r.approveMs);
      rows.push({
        engine,
        figure: `save one resource p50, ${n}`,
        value: save,
        unit: 'ms',
        target: `< ${TARGET.saveMs} ms`,
        verdict: save < TARGET.saveMs ? 'PASS' : 'FAIL',
      });
      rows.push({
        engine,
        figure: `propose p50, ${n}`,
        value: propose,
        unit: 'ms',
        target: `< ${TARGET.proposeMs} ms`,
        verdict: propose < TARGET.proposeMs ? 'PASS' : 'FAIL',
      });
      rows.push({
        engine,
        figure: `approve + push p50, ${n}`,
        value: approve,
        unit: 'ms',
        target: `< ${TARGET.approveMs} ms`,
        verdict: approve < TARGET.approveMs ? 'PASS' : 'FAIL',
      });
      rows.push({
        engine,
        figure: `  of which Git server p50, ${n}`,
        value: median(r.serverMs),
        unit: 'ms',
        target: '',
        verdict: 'INFO',
        note: 'git http-backend answering the push',
      });
    }
    const [small, big] = bySize;
    if (small && big) {
      // Flat: Porchlight's own work per approval (the total less the Git
      // server's answer to the push, which grows with the refs a repository
      // holds whoever pushes) stays within 1.5x over 100x the revisions.
      const own = (r: SizeResult) => median(r.approveMs.map((ms, i) => ms - (r.serverMs[i] ?? 0)));
      const ratio = own(big) / own(small);
      rows.push({
        engine,
        figure: `approve p50 ${big.revisions} / ${small.revisions}, total`,
        value: median(big.approveMs) / median(small.approveMs),
        unit: 'x',
        target: '',
        verdict: 'INFO',
        note: 'Porch: grows linearly',
      });
      rows.push({
        engine,
        figure: `approve p50 ${big.revisions} / ${small.revisions}, Porchlight's own`,
        value: ratio,
        unit: 'x',
        target: `< ${TARGET.flatRatio}x (flat)`,
        verdict: ratio < TARGET.flatRatio ? 'PASS' : 'FAIL',
        note: `${Math.round(own(small))} -> ${Math.round(own(big))} ms`,
      });
    }
  }
  process.stdout.write(`${renderTable(rows)}\n`);
  for (const w of warnings) process.stdout.write(`!!! ${w} !!!\n`);
  await writeJson(values.out, {
    ranAt: new Date().toISOString(),
    machine,
    warnings,
    rows,
    raw: Object.fromEntries(
      Object.entries(results).map(([e, rs]) => [
        e,
        rs.map((r) => ({
          ...r,
          syncMs: round1(r.syncMs),
          saveMs: r.saveMs.map(round1),
          proposeMs: r.proposeMs.map(round1),
          approveMs: r.approveMs.map(round1),
          serverMs: r.serverMs.map(round1),
        })),
      ]),
    ),
  });
  return 0;
}

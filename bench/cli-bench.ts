// `npm run bench -- cli`: the `porchlight` command as a user meets it, whole
// processes (spawn to exit), median of N. With a service holding the data home
// (`porchlight service start --detach`) and without one, on a cache of 10,000
// revisions; Porch's porchctl scripts today (the CLI of the commit this tree
// is based on, from its TypeScript sources through tsx) and now; and `repo
// register` of a 1,000 x 3 repository against the native floor (bench/floor.ts).
//
// Targets (issue 16): with the service, rpkg get < 250 ms at 10,000
// revisions, rpkg propose < 300 ms, --help < 150 ms; without it, rpkg get on
// PGlite < 1.5 s and on PostgreSQL < 600 ms; the porchctl scripts at least 3x
// faster than today; register within 3x of the floor.
//
// Options: --runs N (10) latency samples; --script-runs N (3), --today-runs N (2)
//          full passes of the scripts (interleaved); --register-runs N (5); --engine pglite|postgres|both;
//          --skip scripts,register,today; --today-commit REV (the CLI before issue 16)
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { openDatabase } from '../src-main/db/open-database.ts';
import { measureFloor } from './floor.ts';
import { generateRepo } from '../test/support/generate-repo.ts';
import { startGitServer } from '../test/support/git-server.ts';
import { machineInfo, median, renderTable, round1, writeJson, benchLogger, type ResultRow, errorText } from './measure.ts';
import { benchAdminUrl, benchEngines, PgDatabases, type EngineKind } from './pg-databases.ts';
import { functionSteps, loadScript, PORCH_GITEA, preparePorchRepositories, runScript, SCRIPTS, SCRIPTS_DIR } from '../test/support/porchctl-scripts.ts';
import { seedRevisions } from '../test/support/seed-revisions.ts';

const execFileAsync = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = path.join(ROOT, 'bin', 'porchlight.mjs');
const WORK = path.join(ROOT, 'bench', '.work', 'cli');
const log = benchLogger('cli');

const TARGET = { helpMs: 150, getServiceMs: 250, proposeServiceMs: 300, getPgliteMs: 1500, getPostgresMs: 600, scriptsSpeedup: 3, registerRatio: 3 };

interface Run {
  ms: number;
  code: number;
  stdout: string;
  stderr: string;
}

/** One whole process, spawn to exit. */
function timeProcess(args: string[], env: NodeJS.ProcessEnv, command = process.execPath): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - started, code: code ?? 1, stdout, stderr }));
  });
}

async function porchlight(args: string[], env: NodeJS.ProcessEnv, cli = CLI): Promise<Run> {
  const r = await timeProcess([cli, ...args], env);
  if (r.code !== 0) throw new Error(`porchlight ${args.join(' ')} failed (${r.code}): ${r.stderr.trim()}`);
  return r;
}

const currentBuild = () => fs.readFileSync(path.join(ROOT, 'dist', 'cli', 'current.json'), 'utf8');

/**
 * Median of `runs` whole processes of `args` (after one untimed run that warms
 * the page cache). A run during which the CLI was rebuilt (a source changed
 * meanwhile) is run again: it timed the build.
 */
async function sample(args: string[], env: NodeJS.ProcessEnv, runs: number): Promise<{ median: number; samples: number[]; rebuilt: number }> {
  await porchlight(args, env);
  const samples: number[] = [];
  let rebuilt = 0;
  while (samples.length < runs) {
    const before = currentBuild();
    const ms = (await porchlight(args, env)).ms;
    if (currentBuild() === before) samples.push(ms);
    else if (++rebuilt > runs) throw new Error('the CLI was rebuilt during every run: its sources keep changing');
  }
  return { median: median(samples), samples: samples.map(round1), rebuilt };
}

const verdict = (value: number, limit: number, below = true) => ((below ? value < limit : value >= limit) ? 'PASS' : 'FAIL');

/** A data home whose database holds `revisions` seeded revisions in one repository, and the env that opens it. */
async function seededHome(kind: EngineKind, name: string, revisions: number, pg: PgDatabases | undefined) {
  const home = path.join(WORK, name);
  fs.rmSync(home, { recursive: true, force: true });
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  const dbTarget = kind === 'postgres' ? (await pg!.create()).url : path.join(home, 'db');
  const db = await openDatabase({ db: dbTarget, dataHome: home, env: {} });
  try {
    const seeded = await seedRevisions(db, { repositories: 1, revisionsPerRepository: revisions, resourcesPerRevision: 3, analyze: 'like-app' });
    return { home, env: { ...process.env, PORCHLIGHT_HOME: home, PORCHLIGHT_DB: dbTarget }, repository: seeded.repositories[0]!.name };
  } finally {
    await db.close();
  }
}

async function withService<T>(env: NodeJS.ProcessEnv, fn: () => Promise<T>): Promise<T> {
  await porchlight(['service', 'start', '--detach'], env);
  try {
    return await fn();
  } finally {
    await porchlight(['service', 'stop'], env);
  }
}

/** The latency figures of one engine: rpkg get with and without a service, propose through it. */
async function latencyFigures(kind: EngineKind, runs: number, revisions: number, pg: PgDatabases | undefined, rows: ResultRow[], raw: Record<string, unknown>) {
  log(`${kind}: seeding ${revisions} revisions`);
  const { env, repository } = await seededHome(kind, `latency-${kind}`, revisions, pg);
  const listed = (await porchlight(['rpkg', 'get'], env)).stdout.split('\n').length - 2;
  log(`${kind}: rpkg get lists ${listed} revisions`);
  const inProcess = await sample(['rpkg', 'get'], env, runs);
  const limit = kind === 'pglite' ? TARGET.getPgliteMs : TARGET.getPostgresMs;
  rows.push({
    engine: kind,
    figure: `rpkg get, ${revisions} revisions, no service`,
    value: inProcess.median,
    unit: 'ms',
    target: `< ${limit} ms`,
    verdict: verdict(inProcess.median, limit),
  });
  const served = await withService(env, async () => {
    const get = await sample(['rpkg', 'get'], env, runs);
    const names: string[] = [];
    for (let i = 0; i < runs + 1; i++) {
      const name = `bench-${Date.now().toString(36)}-${i}`;
      await porchlight(['rpkg', 'init', name, `--repository=${repository}`, '--workspace=v1'], env);
      names.push(`${repository}.${name}.v1`);
    }
    await porchlight(['rpkg', 'propose', names[0]!], env);
    const propose: number[] = [];
    for (const name of names.slice(1)) {
      const before = currentBuild();
      const ms = (await porchlight(['rpkg', 'propose', name], env)).ms;
      if (currentBuild() === before) propose.push(ms);
    }
    const help = await sample(['--help'], env, runs);
    return { get, propose: { median: median(propose), samples: propose.map(round1) }, help };
  });
  rows.push({
    engine: kind,
    figure: `rpkg get, ${revisions} revisions, service running`,
    value: served.get.median,
    unit: 'ms',
    target: `< ${TARGET.getServiceMs} ms`,
    verdict: verdict(served.get.median, TARGET.getServiceMs),
  });
  rows.push({
    engine: kind,
    figure: 'rpkg propose, service running',
    value: served.propose.median,
    unit: 'ms',
    target: `< ${TARGET.proposeServiceMs} ms`,
    verdict: verdict(served.propose.median, TARGET.proposeServiceMs),
  });
  rows.push({
    engine: kind,
    figure: '--help, service running',
    value: served.help.median,
    unit: 'ms',
    target: `< ${TARGET.helpMs} ms`,
    verdict: verdict(served.help.median, TARGET.helpMs),
  });
  raw[`${kind}.latency`] = { revisionsListed: listed, rpkgGetNoService: inProcess, ...served };
}

/** The last commit before issue 16's CLI: TypeScript through tsx, the database opened in process by every command. */
const BEFORE_ISSUE_16 = '783f58c';

/** The CLI as it ran before issue 16 (--today-commit picks another), from that commit's sources. */
async function todaysCli(rev = BEFORE_ISSUE_16): Promise<{ cli: string; commit: string }> {
  const commit = (await execFileAsync('git', ['rev-parse', rev], { cwd: ROOT })).stdout.trim();
  const dir = path.join(WORK, `today-${commit.slice(0, 12)}`);
  if (!fs.existsSync(path.join(dir, 'bin', 'porchlight.mjs'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    await execFileAsync('sh', ['-c', `git -C "${ROOT}" archive "${commit}" | tar -x -C "${dir}"`]);
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  }
  return { cli: path.join(dir, 'bin', 'porchlight.mjs'), commit };
}

/** One full pass of Porch's scripts, each from an empty data home (and database); wall time and how many commands differed from Porch's expectations. */
async function scriptsPass(kind: EngineKind, way: 'in process' | 'through a service', cli: string, origin: string, pg: PgDatabases | undefined) {
  let ms = 0;
  let failures = 0;
  let commands = 0;
  for (const name of SCRIPTS) {
    const home = fs.mkdtempSync(path.join(WORK, `script-${name}-`));
    const db = kind === 'postgres' ? await pg!.create() : undefined;
    const env = { ...process.env, PORCHLIGHT_HOME: home, PORCHLIGHT_DB: db?.url ?? path.join(home, 'db') };
    fs.rmSync('/tmp/porch-e2e', { recursive: true, force: true });
    // A new PGlite directory runs initdb once; that is set-up of a data home, not the scripts' work.
    await porchlight(['repo', 'get'], env, cli);
    const run = async () => {
      const started = performance.now();
      const results = await runScript(loadScript(path.join(SCRIPTS_DIR, `${name}.config.yaml`)), {
        env,
        replace: { [PORCH_GITEA]: origin },
        override: functionSteps(name),
        cli,
      });
      ms += performance.now() - started;
      commands += results.length;
      failures += results.filter((r) => r.failures.length).length;
    };
    if (way === 'through a service') await withService(env, run);
    else await run();
    if (db) await pg!.drop(db.name);
    fs.rmSync(home, { recursive: true, force: true });
  }
  return { ms, failures, commands };
}

async function scriptFigures(
  kind: EngineKind,
  opts: { scriptRuns: number; todayRuns: number; skipToday: boolean; todayCommit: string },
  pg: PgDatabases | undefined,
  rows: ResultRow[],
  raw: Record<string, unknown>,
) {
  const served = path.join(WORK, 'porch-repos');
  if (!fs.existsSync(served)) await preparePorchRepositories(served);
  const server = await startGitServer({ root: served, username: 'nephio', password: 'secret', publicRead: ['test-blueprints'] });
  try {
    const passes: Record<string, { ms: number; failures: number; commands: number }[]> = {};
    const ways: [string, 'in process' | 'through a service', string, number][] = [
      ['compiled, in process', 'in process', CLI, opts.scriptRuns],
      ['compiled, through a running service', 'through a service', CLI, opts.scriptRuns],
    ];
    let today: { cli: string; commit: string } | undefined;
    if (!opts.skipToday) {
      today = await todaysCli(opts.todayCommit);
      ways.unshift([`today (${today.commit.slice(0, 7)}: tsx, in process)`, 'in process', today.cli, opts.todayRuns]);
    }
    // Round by round, each way in turn: a machine whose load changes during the
    // passes slows every way alike, rather than the ones that happened to run then.
    for (const [label] of ways) passes[label] = [];
    for (let round = 0; round < Math.max(...ways.map((w) => w[3])); round++) {
      for (const [label, way, cli, n] of ways) {
        if (round >= n) continue;
        log(`${kind}: porchctl scripts, ${label}, pass ${round + 1}/${n}`);
        // Each pass from Porch's repositories as they start: a pass pushes packages to porch-test, which the next would find.
        fs.rmSync(served, { recursive: true, force: true });
        await preparePorchRepositories(served);
        passes[label]!.push(await scriptsPass(kind, way, cli, server.origin, pg));
      }
    }
    const medianOf = (label: string) => median(passes[label]!.map((p) => p.ms));
    const todayMs = today ? medianOf(ways[0]![0]) : undefined;
    for (const [label] of ways) {
      const ms = medianOf(label);
      const failed = passes[label]!.reduce((n, p) => n + p.failures, 0);
      const speedup = todayMs && !label.startsWith('today') ? todayMs / ms : undefined;
      rows.push({
        engine: kind,
        figure: `porchctl scripts (${SCRIPTS.length}), ${label}`,
        value: ms,
        unit: 'ms',
        target: speedup !== undefined ? `>= ${TARGET.scriptsSpeedup}x faster than today` : '',
        verdict: failed ? 'ERROR' : speedup !== undefined ? verdict(speedup, TARGET.scriptsSpeedup, false) : 'INFO',
        note: `${passes[label]![0]!.commands} commands${speedup !== undefined ? `, ${speedup.toFixed(2)}x faster than today` : ''}${failed ? `, ${failed} commands not as Porch expects` : ''}`,
      });
    }
    raw[`${kind}.scripts`] = Object.fromEntries(Object.entries(passes).map(([k, v]) => [k, v.map((p) => ({ ...p, ms: round1(p.ms) }))]));
  } finally {
    await server.stop();
  }
}

/** `porchlight repo register` of a generated 1,000 x 3 repository as a whole process, against the floor measured in the same run. */
async function registerFigures(kind: EngineKind, runs: number, pg: PgDatabases | undefined, rows: ResultRow[], raw: Record<string, unknown>) {
  const served = path.join(WORK, 'generated');
  const repoDir = path.join(served, 'big.git');
  if (!fs.existsSync(repoDir)) {
    log('generating a 1,000 x 3 repository');
    await generateRepo({ dir: repoDir, packages: 1000, revisions: 3 });
  }
  const server = await startGitServer({ root: served });
  try {
    const url = server.baseUrl('big');
    const floors: number[] = [];
    for (let i = 0; i < 3; i++) {
      const scratch = path.join(WORK, `floor-${kind}-${i}`);
      fs.rmSync(scratch, { recursive: true, force: true });
      const dbTarget = kind === 'postgres' ? (await pg!.create()).url : path.join(scratch, 'db');
      const db = await openDatabase({ db: dbTarget, dataHome: scratch, env: {} });
      try {
        floors.push((await measureFloor({ url, cloneDir: path.join(scratch, 'floor.git'), db })).totalMs);
      } finally {
        await db.close();
        fs.rmSync(scratch, { recursive: true, force: true });
      }
    }
    // A migrated, empty data home to copy for each run: initdb is a data home's set-up, not registration.
    const template = path.join(WORK, `register-template-${kind}`);
    fs.rmSync(template, { recursive: true, force: true });
    if (kind === 'pglite') await porchlight(['repo', 'get'], { ...process.env, PORCHLIGHT_HOME: template, PORCHLIGHT_DB: path.join(template, 'db') });
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const home = path.join(WORK, `register-${kind}-${i}`);
      fs.rmSync(home, { recursive: true, force: true });
      let dbTarget: string;
      if (kind === 'pglite') {
        fs.cpSync(template, home, { recursive: true });
        dbTarget = path.join(home, 'db');
      } else {
        dbTarget = (await pg!.create()).url;
        await porchlight(['repo', 'get'], { ...process.env, PORCHLIGHT_HOME: home, PORCHLIGHT_DB: dbTarget });
      }
      const r = await porchlight(['repo', 'register', url, '--name', 'big'], { ...process.env, PORCHLIGHT_HOME: home, PORCHLIGHT_DB: dbTarget });
      samples.push(r.ms);
      log(`${kind}: register ${i + 1}/${runs}: ${Math.round(r.ms)} ms`);
      fs.rmSync(home, { recursive: true, force: true });
    }
    const floor = median(floors);
    const ms = median(samples);
    rows.push({ engine: kind, figure: 'floor: clone + read + insert (bench/floor.ts)', value: floor, unit: 'ms', target: '', verdict: 'INFO' });
    rows.push({
      engine: kind,
      figure: 'repo register 1,000 x 3, whole process',
      value: ms,
      unit: 'ms',
      target: `<= ${TARGET.registerRatio}x floor (${Math.round(TARGET.registerRatio * floor)} ms)`,
      verdict: verdict(ms / floor, TARGET.registerRatio + 1e-9),
      note: `${(ms / floor).toFixed(2)}x the floor`,
    });
    raw[`${kind}.register`] = { floorMs: floors.map(round1), registerMs: samples.map(round1) };
  } finally {
    await server.stop();
  }
}

export async function runCliBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string', default: '10' },
      'script-runs': { type: 'string', default: '3' },
      'today-runs': { type: 'string', default: '2' },
      'register-runs': { type: 'string', default: '5' },
      'today-commit': { type: 'string', default: BEFORE_ISSUE_16 },
      revisions: { type: 'string', default: '10000' },
      engine: { type: 'string' },
      skip: { type: 'string', default: '' },
    },
  });
  const engines = benchEngines(values.engine, benchAdminUrl());
  if ('error' in engines) {
    process.stderr.write(`${engines.error}\n`);
    return 1;
  }
  const runs = Number(values.runs);
  const skip = new Set(values.skip!.split(',').filter(Boolean));
  fs.mkdirSync(WORK, { recursive: true });
  const pg = engines.engines.includes('postgres') ? new PgDatabases(benchAdminUrl()) : undefined;
  const rows: ResultRow[] = [];
  const raw: Record<string, unknown> = {};
  const loadBefore = os.loadavg();
  try {
    // The compiled CLI, built now, so no figure pays for a build.
    const { buildCli } = await import('../scripts/build-cli.mjs');
    log(`compiled the CLI in ${Math.round((await buildCli()).ms)} ms`);
    const nodeSamples: number[] = [];
    for (let i = 0; i <= runs; i++) nodeSamples.push((await timeProcess(['-e', ''], process.env)).ms);
    const node = { median: median(nodeSamples.slice(1)), samples: nodeSamples.slice(1).map(round1) };
    rows.push({
      engine: '',
      figure: 'node itself (an empty script)',
      value: node.median,
      unit: 'ms',
      target: '',
      verdict: 'INFO',
      note: 'the floor of every figure',
    });
    const help = await sample(['--help'], process.env, runs);
    rows.push({ engine: '', figure: '--help', value: help.median, unit: 'ms', target: `< ${TARGET.helpMs} ms`, verdict: verdict(help.median, TARGET.helpMs) });
    const version = await sample(['--version'], process.env, runs);
    rows.push({ engine: '', figure: '--version', value: version.median, unit: 'ms', target: '', verdict: 'INFO' });
    raw.node = node;
    raw.help = help;
    raw.version = version;
    for (const kind of engines.engines) {
      await latencyFigures(kind, runs, Number(values.revisions), pg, rows, raw);
      if (!skip.has('scripts'))
        await scriptFigures(
          kind,
          {
            scriptRuns: Number(values['script-runs']),
            todayRuns: Number(values['today-runs']),
            skipToday: skip.has('today'),
            todayCommit: values['today-commit']!,
          },
          pg,
          rows,
          raw,
        );
      if (!skip.has('register')) await registerFigures(kind, Number(values['register-runs']), pg, rows, raw);
    }
  } catch (e) {
    process.stderr.write(`cli benchmark failed: ${errorText(e)}\n`);
    return 1;
  } finally {
    await pg?.dropAll();
  }
  const load = { before: os.loadavg().map((l, i) => round1(loadBefore[i] ?? l)), after: os.loadavg().map(round1) };
  const table = renderTable(rows);
  const extraCerts = process.env.NODE_EXTRA_CA_CERTS
    ? ` NODE_EXTRA_CA_CERTS is set, which makes every node start read ${process.env.NODE_EXTRA_CA_CERTS}.`
    : '';
  process.stdout.write(
    `${table}\n\nWhole processes, spawn to exit, median of ${runs} (scripts: median of full passes). Load average ${load.before.join(' ')} before, ${load.after.join(' ')} after.${extraCerts}\n` +
      (engines.warning ? `${engines.warning}\n` : ''),
  );
  await writeJson(path.join(ROOT, 'bench', 'results', 'cli.json'), {
    machine: await machineInfo(),
    load,
    nodeExtraCaCerts: Boolean(process.env.NODE_EXTRA_CA_CERTS),
    rows: rows.map((r) => ({ ...r, value: r.value === null ? null : round1(r.value) })),
    raw,
    ...(engines.warning ? { warning: engines.warning } : {}),
  });
  return 0;
}

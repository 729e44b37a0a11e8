// `npm run bench -- sync-profile`: where a sync's time goes, without touching
// the code under test. The database handed to the service is wrapped (every
// query and transaction timed), ObjectReader's leaf reads and isomorphic-git's
// network calls are wrapped in place, and the gaps between them are plain
// JavaScript (parsing, building rows). Prints a timeline per sync.
//
// Options: --packages N (1000) --revisions N (3) --engine pglite|postgres
//   (postgres needs PORCHLIGHT_BENCH_PG_URL or PORCHLIGHT_TEST_PG_URL)
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import git from 'isomorphic-git';
import type { Database, QueryResult, Queryable } from '../src-main/db/database.ts';
import { openDatabase } from '../src-main/db/open-database.ts';
import { ObjectReader } from '../src-main/git/object-reader.ts';
import { openService } from '../src-main/service/service.ts';
import { startGitServer } from '../test/support/git-server.ts';
import { addOneTag, generateRepo } from '../test/support/generate-repo.ts';
import { benchAdminUrl, PgDatabases } from './pg-databases.ts';

interface Span {
  kind: 'sql' | 'tx' | 'git' | 'read';
  label: string;
  start: number;
  end: number;
  /** For transactions: time inside them spent in SQL and in object reads. */
  sqlMs?: number;
  readMs?: number;
  statements?: number;
}

class Recorder {
  spans: Span[] = [];
  current: Span | undefined; // the open transaction, if any
  /** Reads outside transactions since the last other span, folded into one span. */
  private pending: Span | undefined;
  readonly readTotals = new Map<string, { n: number; ms: number }>();
  /** SQL inside transactions by statement label, and per transaction in order. */
  readonly txSql = new Map<string, { n: number; ms: number }>();
  txSqlPerTx: Map<string, number>[] = [];

  async time<T>(kind: Span['kind'], label: string, fn: () => Promise<T>): Promise<T> {
    if (kind !== 'read' && !this.current) this.flushReads();
    const start = performance.now();
    try {
      return await fn();
    } finally {
      const end = performance.now();
      if (kind === 'read') {
        const t = this.readTotals.get(label) ?? { n: 0, ms: 0 };
        t.n++;
        t.ms += end - start;
        this.readTotals.set(label, t);
        if (this.current) this.current.readMs! += end - start;
        else {
          this.pending ??= { kind: 'read', label: 'object reads (ObjectReader)', start, end, readMs: 0, statements: 0 };
          this.pending.end = end;
          this.pending.readMs! += end - start;
          this.pending.statements!++;
        }
      } else if (kind === 'sql' && this.current) {
        this.current.sqlMs! += end - start;
        this.current.statements!++;
        const t = this.txSql.get(label) ?? { n: 0, ms: 0 };
        t.n++;
        t.ms += end - start;
        this.txSql.set(label, t);
        const per = this.txSqlPerTx[this.txSqlPerTx.length - 1];
        if (per) per.set(label, (per.get(label) ?? 0) + end - start);
      } else if (kind !== 'tx') {
        this.spans.push({ kind, label, start, end });
      }
    }
  }

  flushReads(): void {
    if (this.pending) this.spans.push(this.pending);
    this.pending = undefined;
  }

  reset(): void {
    this.spans = [];
    this.pending = undefined;
    this.readTotals.clear();
    this.txSql.clear();
    this.txSqlPerTx = [];
  }
}

function sqlLabel(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  const m = /^(SELECT .*? FROM \w+|INSERT INTO \w+|UPDATE \w+|DELETE FROM \w+|VACUUM[\w ,]*|\w+)/i.exec(s);
  return (m?.[1] ?? s).slice(0, 70);
}

function wrapQueryable(q: Queryable, rec: Recorder): Queryable {
  return {
    query: <Row>(sql: string, params?: readonly unknown[]) => rec.time('sql', sqlLabel(sql), () => q.query<Row>(sql, params)) as Promise<QueryResult<Row>>,
    exec: (sql: string) => rec.time('sql', sqlLabel(sql), () => q.exec(sql)),
  };
}

function wrapDatabase(db: Database, rec: Recorder): Database {
  const wrapped = wrapQueryable(db, rec);
  return {
    kind: db.kind,
    location: db.location,
    query: wrapped.query,
    exec: wrapped.exec,
    idleForMs: () => db.idleForMs(),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => {
      rec.flushReads();
      const span: Span = { kind: 'tx', label: 'transaction', start: performance.now(), end: 0, sqlMs: 0, readMs: 0, statements: 0 };
      rec.current = span;
      rec.txSqlPerTx.push(new Map());
      return db
        .transaction((tx) => fn(wrapQueryable(tx, rec)))
        .finally(() => {
          span.end = performance.now();
          rec.current = undefined;
          rec.spans.push(span);
        });
    },
    close: () => db.close(),
  };
}

async function instrumentGit(rec: Recorder): Promise<void> {
  const g = git as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of ['fetch', 'listServerRefs']) {
    const original = g[name]!;
    g[name] = (...args: unknown[]) => rec.time('git', `isomorphic-git ${name}`, () => original.apply(git, args));
  }
  // Both readers the sync may pick (isomorphic-git's, or native `git cat-file`
  // when git is installed). Only the outermost read call is timed, so
  // subtree()/files() built from tree()/blob() are not counted twice.
  const classes: { prototype: unknown }[] = [ObjectReader];
  try {
    const native = (await import('../src-main/git/native-object-reader.ts')) as Record<string, { prototype: unknown } | undefined>;
    if (native.NativeObjectReader) classes.push(native.NativeObjectReader);
  } catch {
    // no native reader in this version of the code
  }
  let depth = 0;
  for (const cls of classes) {
    const proto = cls.prototype as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const name of ['commit', 'tree', 'blob', 'peelToCommit', 'subtree', 'files']) {
      const original = proto[name];
      if (typeof original !== 'function') continue;
      proto[name] = function (this: unknown, ...args: unknown[]) {
        if (depth > 0) return original.apply(this, args);
        depth++;
        return rec.time('read', `reader.${name}`, () => original.apply(this, args)).finally(() => depth--);
      };
    }
  }
}

/** Collapses the spans into a timeline: consecutive spans of one label merge; gaps are JavaScript. */
function report(title: string, rec: Recorder, t0: number, t1: number): void {
  rec.flushReads();
  const spans = [...rec.spans].sort((a, b) => a.start - b.start);
  interface Row {
    label: string;
    n: number;
    ms: number;
    sqlMs: number;
    readMs: number;
    statements: number;
    gapMs: number;
  }
  const rows: Row[] = [];
  let last = t0;
  for (const s of spans) {
    const gap = Math.max(0, s.start - last);
    const ms = s.kind === 'read' ? s.readMs! : s.end - s.start;
    const own = s.kind === 'read' ? s.end - s.start - s.readMs! : 0; // JS between reads
    const prev = rows[rows.length - 1];
    if (prev && prev.label === s.label) {
      prev.n++;
      prev.ms += ms;
      prev.sqlMs += s.sqlMs ?? 0;
      prev.readMs += s.readMs ?? 0;
      prev.statements += s.statements ?? 0;
      prev.gapMs += gap + own;
    } else {
      rows.push({ label: s.label, n: 1, ms, sqlMs: s.sqlMs ?? 0, readMs: s.readMs ?? 0, statements: s.statements ?? 0, gapMs: gap + own });
    }
    last = Math.max(last, s.end);
  }
  const tail = t1 - last;
  const total = t1 - t0;
  const out = [`\n== ${title}: ${total.toFixed(0)} ms wall`, '    ms  spans  label                                        (JS around it, ms)'];
  let sql = 0;
  let reads = 0;
  let gitMs = 0;
  let jsInTx = 0;
  for (const r of rows) {
    let extra = '';
    if (r.label === 'transaction') {
      extra = ` [sql ${r.sqlMs.toFixed(0)} ms / ${r.statements} stmts, reads ${r.readMs.toFixed(0)} ms, JS ${(r.ms - r.sqlMs - r.readMs).toFixed(0)} ms]`;
      sql += r.sqlMs;
      reads += r.readMs;
      jsInTx += r.ms - r.sqlMs - r.readMs;
    } else if (r.label.startsWith('object reads')) {
      extra = ` [${r.statements} calls]`;
      reads += r.ms;
    } else if (r.label.startsWith('isomorphic-git')) gitMs += r.ms;
    else sql += r.ms;
    out.push(`${r.ms.toFixed(0).padStart(6)} ${String(r.n).padStart(6)}  ${(r.label + extra).padEnd(44)} (${r.gapMs.toFixed(0)})`);
  }
  out.push(`${tail.toFixed(0).padStart(6)}         (JS after the last call)`);
  const js = total - sql - reads - gitMs;
  out.push(
    `totals: SQL ${sql.toFixed(0)} ms, isomorphic-git network ${gitMs.toFixed(0)} ms, object reads ${reads.toFixed(0)} ms, other JS ${js.toFixed(0)} ms (of which inside transactions ${jsInTx.toFixed(0)} ms)`,
  );
  out.push(`reads: ${[...rec.readTotals].map(([k, v]) => `${k} ${v.n}x ${v.ms.toFixed(0)} ms`).join(', ') || 'none'}`);
  if (rec.txSql.size) {
    out.push('SQL inside transactions, by statement:');
    for (const [k, v] of [...rec.txSql].sort((a, b) => b[1].ms - a[1].ms)) out.push(`  ${v.ms.toFixed(0).padStart(6)} ms ${String(v.n).padStart(5)}x  ${k}`);
    const big = rec.txSqlPerTx.filter((m) => m.size > 1);
    if (big.length > 1) {
      const fmtTx = (m: Map<string, number>) =>
        [...m]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 4)
          .map(([k, v]) => `${k.slice(0, 40)} ${v.toFixed(0)}`)
          .join('; ');
      out.push(`  first batch: ${fmtTx(big[0]!)}`);
      out.push(`  last batch:  ${fmtTx(big[big.length - 1]!)}`);
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

export async function runSyncProfile(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      packages: { type: 'string', default: '1000' },
      revisions: { type: 'string', default: '3' },
      engine: { type: 'string', default: 'pglite' },
    },
  });
  const rec = new Recorder();
  await instrumentGit(rec);
  const phases: Record<string, unknown>[] = [];
  const work = await mkdtemp(join(os.tmpdir(), 'porchlight-sync-profile-'));
  const srv = join(work, 'srv');
  await mkdir(srv, { recursive: true });
  const adminUrl = benchAdminUrl();
  const pgdbs = adminUrl ? new PgDatabases(adminUrl) : undefined;
  let pgName: string | undefined;
  try {
    const repoDir = join(srv, 'p.git');
    const gen = await generateRepo({ dir: join(work, 'tpl.git'), packages: Number(values.packages), revisions: Number(values.revisions) });
    await cp(gen.dir, repoDir, { recursive: true });
    const server = await startGitServer({ root: srv, username: 'u', password: 'p' });
    let target = join(work, 'db');
    if (values.engine === 'postgres') {
      if (!pgdbs) throw new Error('--engine postgres needs PORCHLIGHT_BENCH_PG_URL');
      const created = await pgdbs.create();
      pgName = created.name;
      target = created.url;
    }
    const db = await openDatabase({ db: target, dataHome: join(work, 'home') });
    const service = openService({
      db: wrapDatabase(db, rec),
      dataHome: join(work, 'home'),
      // The sync reports its own phase times (when it does) through the log.
      log: (message, fields) => {
        if (/phase/i.test(message) && fields) phases.push(fields);
      },
    });
    const printPhases = () => {
      for (const p of phases.splice(0)) process.stdout.write(`sync's own phase log: ${JSON.stringify(p)}\n`);
    };
    try {
      rec.reset();
      let t0 = performance.now();
      const r = await service.call('repositories.register', { url: server.baseUrl('p'), name: 'p', namespace: 'default', username: 'u', password: 'p' });
      report(`first sync (${values.engine}, ${values.packages} x ${values.revisions}) ${JSON.stringify(r.sync)}`, rec, t0, performance.now());
      printPhases();

      rec.reset();
      t0 = performance.now();
      await service.call('repositories.sync', { namespace: 'default', name: 'p' });
      report('unchanged re-sync', rec, t0, performance.now());
      printPhases();

      await addOneTag(repoDir, gen.packages[Math.floor(gen.packages.length / 2)]!);
      rec.reset();
      t0 = performance.now();
      const s = await service.call('repositories.sync', { namespace: 'default', name: 'p' });
      report(`one new tag ${JSON.stringify(s)}`, rec, t0, performance.now());
      printPhases();
    } finally {
      await service.close();
      await server.stop();
    }
  } finally {
    if (pgName) await pgdbs!.drop(pgName).catch(() => {});
    await rm(work, { recursive: true, force: true });
  }
  return 0;
}

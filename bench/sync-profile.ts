// `npm run bench -- sync-profile`: where a sync's time goes, without touching
// the code under test. The database handed to the service is wrapped (every
// query and transaction timed), ObjectReader's leaf reads and isomorphic-git's
// network calls are wrapped in place, and the gaps between them are plain
// JavaScript (parsing, building rows). Prints a timeline per sync.
//
// Options: --packages N (1000) --revisions N (3) --engine pglite|postgres
//   (postgres needs PORCHLIGHT_BENCH_PG_URL or PORCHLIGHT_TEST_PG_URL)
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import git from 'isomorphic-git';
import pg from 'pg';
import type { Database, QueryResult, Queryable } from '../src-main/db/database.ts';
import { openDatabase } from '../src-main/db/open-database.ts';
import { ObjectReader } from '../src-main/git/object-reader.ts';
import { PorchlightService } from '../src-main/service/porchlight-service.ts';
import { startGitServer } from '../test/support/git-server.ts';
import { addOneTag, generateRepo } from './generate-repo.ts';

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
  depth = 0; // > 0 inside a transaction
  current: Span | undefined;

  async time<T>(kind: Span['kind'], label: string, fn: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await fn();
    } finally {
      const end = performance.now();
      if (this.current && kind !== 'tx') {
        if (kind === 'sql') {
          this.current.sqlMs! += end - start;
          this.current.statements!++;
        } else if (kind === 'read') this.current.readMs! += end - start;
      }
      // Reads are recorded everywhere; SQL inside a transaction only as part of it.
      if (!(this.current && kind === 'sql')) this.spans.push({ kind, label, start, end });
    }
  }

  reset(): void {
    this.spans = [];
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
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => {
      const span: Span = { kind: 'tx', label: 'transaction', start: performance.now(), end: 0, sqlMs: 0, readMs: 0, statements: 0 };
      rec.current = span;
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

function instrumentGit(rec: Recorder): void {
  const g = git as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of ['fetch', 'listServerRefs']) {
    const original = g[name]!;
    g[name] = (...args: unknown[]) => rec.time('git', `isomorphic-git ${name}`, () => original.apply(git, args));
  }
  const proto = ObjectReader.prototype as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  // Leaf reads only: subtree() and files() are made of tree() and blob().
  for (const name of ['commit', 'tree', 'blob', 'peelToCommit']) {
    const original = proto[name];
    if (typeof original !== 'function') continue;
    proto[name] = function (this: unknown, ...args: unknown[]) {
      return rec.time('read', `reader.${name}`, () => original.apply(this, args));
    };
  }
}

/** Collapses the spans into a timeline: consecutive spans of one label merge; gaps are JavaScript. */
function report(title: string, rec: Recorder, t0: number, t1: number): void {
  const spans = rec.spans.filter((s) => !(s.kind === 'read' && rec.spans.some((t) => t.kind === 'tx' && t.start <= s.start && s.end <= t.end))).sort((a, b) => a.start - b.start);
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
    const prev = rows[rows.length - 1];
    if (prev && prev.label === s.label) {
      prev.n++;
      prev.ms += s.end - s.start;
      prev.sqlMs += s.sqlMs ?? 0;
      prev.readMs += s.readMs ?? 0;
      prev.statements += s.statements ?? 0;
      prev.gapMs += gap;
    } else {
      rows.push({ label: s.label, n: 1, ms: s.end - s.start, sqlMs: s.sqlMs ?? 0, readMs: s.readMs ?? 0, statements: s.statements ?? 0, gapMs: gap });
    }
    last = Math.max(last, s.end);
  }
  const tail = t1 - last;
  const total = t1 - t0;
  const out = [`\n== ${title}: ${total.toFixed(0)} ms wall`, '   ms   calls  label                                                         (JS before it, ms)'];
  for (const r of rows) {
    if (r.ms + r.gapMs < 0.5 && rows.length > 40) continue;
    const extra = r.label === 'transaction' ? ` [sql ${r.sqlMs.toFixed(0)} ms in ${r.statements} stmts, reads ${r.readMs.toFixed(0)} ms, other JS ${(r.ms - r.sqlMs - r.readMs).toFixed(0)} ms]` : '';
    out.push(`${r.ms.toFixed(0).padStart(6)} ${String(r.n).padStart(6)}  ${(r.label + extra).padEnd(62)} (${r.gapMs.toFixed(0)})`);
  }
  out.push(`${tail.toFixed(0).padStart(6)}         (JS after the last call)`);
  const byKind = new Map<string, number>();
  for (const s of rec.spans) {
    if (s.kind === 'tx') {
      byKind.set('sql', (byKind.get('sql') ?? 0) + s.sqlMs!);
      byKind.set('read', (byKind.get('read') ?? 0) + s.readMs!);
      byKind.set('js in tx', (byKind.get('js in tx') ?? 0) + (s.end - s.start - s.sqlMs! - s.readMs!));
    } else if (!(s.kind === 'read' && rec.spans.some((t) => t.kind === 'tx' && t.start <= s.start && s.end <= t.end))) {
      byKind.set(s.kind, (byKind.get(s.kind) ?? 0) + s.end - s.start);
    }
  }
  const accounted = [...byKind.values()].reduce((a, b) => a + b, 0);
  out.push(
    `totals: ${[...byKind].map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join(', ')}, JS between calls ${(total - accounted).toFixed(0)} ms`,
  );
  const reads = new Map<string, { n: number; ms: number }>();
  for (const s of rec.spans) if (s.kind === 'read') {
    const r = reads.get(s.label) ?? { n: 0, ms: 0 };
    r.n++;
    r.ms += s.end - s.start;
    reads.set(s.label, r);
  }
  out.push(`reads: ${[...reads].map(([k, v]) => `${k} ${v.n}x ${v.ms.toFixed(0)} ms`).join(', ') || 'none'}`);
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
  instrumentGit(rec);
  const work = await mkdtemp(join(os.tmpdir(), 'porchlight-sync-profile-'));
  const srv = join(work, 'srv');
  await mkdir(srv, { recursive: true });
  const adminUrl = (process.env.PORCHLIGHT_BENCH_PG_URL ?? process.env.PORCHLIGHT_TEST_PG_URL ?? '').trim();
  let pgName: string | undefined;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  try {
    const repoDir = join(srv, 'p.git');
    const gen = await generateRepo({ dir: join(work, 'tpl.git'), packages: Number(values.packages), revisions: Number(values.revisions) });
    await cp(gen.dir, repoDir, { recursive: true });
    const server = await startGitServer({ root: srv, username: 'u', password: 'p' });
    let target = join(work, 'db');
    if (values.engine === 'postgres') {
      if (!adminUrl) throw new Error('--engine postgres needs PORCHLIGHT_BENCH_PG_URL');
      pgName = `porchlight_bench_${randomBytes(6).toString('hex')}`;
      await admin(`CREATE DATABASE "${pgName}"`);
      const u = new URL(adminUrl);
      u.pathname = `/${pgName}`;
      target = u.toString();
    }
    const db = await openDatabase({ db: target, dataHome: join(work, 'home') });
    const service = new PorchlightService({ db: wrapDatabase(db, rec), dataHome: join(work, 'home') });
    try {
      rec.reset();
      let t0 = performance.now();
      const r = await service.registerRepository({ url: server.baseUrl('p'), name: 'p', namespace: 'default', username: 'u', password: 'p' });
      report(`first sync (${values.engine}, ${values.packages} x ${values.revisions}) ${JSON.stringify(r.sync)}`, rec, t0, performance.now());

      rec.reset();
      t0 = performance.now();
      await service.syncRepository({ namespace: 'default', name: 'p' });
      report('unchanged re-sync', rec, t0, performance.now());

      await addOneTag(repoDir, gen.packages[Math.floor(gen.packages.length / 2)]!);
      rec.reset();
      t0 = performance.now();
      const s = await service.syncRepository({ namespace: 'default', name: 'p' });
      report(`one new tag ${JSON.stringify(s)}`, rec, t0, performance.now());
    } finally {
      await service.close();
      await server.stop();
    }
  } finally {
    if (pgName) await admin(`DROP DATABASE IF EXISTS "${pgName}" WITH (FORCE)`).catch(() => {});
    await rm(work, { recursive: true, force: true });
  }
  return 0;
}

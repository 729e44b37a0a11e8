// Every hot query keeps to one partition. The service runs its real work (list
// a repository's revisions, get one, read its resources, save a draft, sync,
// evict, clean up) over a database that records each statement; each statement
// touching a partitioned table is then EXPLAINed as a prepared statement with
// a generic plan forced (as a long-lived connection runs it after five
// executions), and the test fails if it scans more than one partition of a
// table. Queries that must cross partitions are allowed by name, with the reason.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../../src-main/db/database.ts';
import { openTestService, type TestService } from '../support/service.ts';
import { runCleanup } from '../../src-main/cache/cleanup-worker.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';
import { unpackTarRepo } from '../support/fixtures.ts';
import { startGitServer, type GitServer } from '../support/git-server.ts';

interface Statement {
  operation: string;
  sql: string;
  params: readonly unknown[];
}

/** Queries that read several partitions on purpose. Each says why. */
const CROSS_PARTITION: { pattern: RegExp; reason: string }[] = [
  {
    pattern: /WHERE pr\.status = 'default' AND pr\.namespace = \$1(?! AND pr\.repository_id)[^]*ORDER BY pr\.name LIMIT/,
    reason: 'a namespace-wide page (the window\'s "All repositories"): every repository of the namespace, merged by name',
  },
  {
    pattern: /pr\.repository_id = ANY\(\$\d+::bigint\[\]\) ORDER BY pr\.name LIMIT/,
    reason: 'a namespace-wide page of the window: every live repository of the namespace, merged by name',
  },
  { pattern: /ORDER BY pr\.namespace, pr\.name/, reason: 'rpkg get without a name: a listing of every repository' },
  {
    pattern:
      /FROM package_revisions WHERE status = 'pending_destruction'|status <> 'default'[^]*LIMIT|EXISTS \(SELECT 1 FROM (package_revisions|resources) WHERE status/,
    reason: "the cleanup worker's cheap question whether any partition has work (partial status indexes)",
  },
  { pattern: /count\(\*\) FILTER \(WHERE resources_evicted\)/, reason: 'cache stats count a whole namespace' },
  { pattern: /sum\(size_bytes\) AS bytes FROM resources/, reason: "cache stats sum a whole namespace's file sizes" },
  {
    pattern: /SET status = 'pending_destruction', claimed_at = NULL WHERE status = 'processing'$/,
    reason: "PGlite's one look per process for claims a killed process left, which can be in any partition (partial status indexes)",
  },
  {
    pattern: /FROM resources WHERE size_bytes IS NULL|min\(repository_id\) AS id FROM resources/,
    reason: 'a background migration estimating its work and moving to the next repository',
  },
];

function recording(db: Database, log: Statement[], operation: () => string): Database {
  const wrap = (q: Queryable): Queryable => ({
    query: (sql, params) => {
      log.push({ operation: operation(), sql, params: params ?? [] });
      return q.query(sql, params);
    },
    exec: (sql) => q.exec(sql),
  });
  return Object.assign(Object.create(db) as Database, wrap(db), {
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => db.transaction((tx) => fn(wrap(tx))),
  });
}

/** A value as an SQL literal, for EXECUTE's arguments (test-only; the app never builds SQL from values). */
function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return `'${v.toISOString()}'`;
  if (v instanceof Uint8Array) return `'\\x${Buffer.from(v).toString('hex')}'`;
  if (Array.isArray(v)) return `'{${v.map((x) => (typeof x === 'string' ? `"${x.replace(/["\\]/g, '\\$&')}"` : String(x))).join(',')}}'`;
  return `'${String(v).replace(/'/g, "''")}'`;
}

/** The partitions a generic plan of `sql` scans, by partitioned table. */
async function partitionsScanned(db: Database, sql: string, params: readonly unknown[]): Promise<Map<string, Set<string>>> {
  return db.transaction(async (tx) => {
    await tx.exec(`SET LOCAL plan_cache_mode = force_generic_plan`);
    await tx.exec(`PREPARE hot_query AS ${sql}`);
    try {
      const args = params.length ? `(${params.map(literal).join(', ')})` : '';
      const res = await tx.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) EXECUTE hot_query${args}`);
      const plan = res.rows[0]!['QUERY PLAN'];
      const found = new Map<string, Set<string>>();
      const walk = (node: unknown) => {
        if (Array.isArray(node)) return node.forEach(walk);
        if (!node || typeof node !== 'object') return;
        // Scans only: on PostgreSQL 15 an UPDATE's "Target Tables" still names every partition even when
        // execution-time pruning removed all but one of the scans under it.
        const type = (node as Record<string, unknown>)['Node Type'];
        const rel = typeof type === 'string' && type.endsWith('Scan') ? (node as Record<string, unknown>)['Relation Name'] : undefined;
        const m = typeof rel === 'string' ? /^(package_revisions|resources)_p\d+$/.exec(rel) : null;
        if (m) {
          if (!found.has(m[1]!)) found.set(m[1]!, new Set());
          found.get(m[1]!)!.add(rel as string);
        }
        Object.values(node).forEach(walk);
      };
      walk(typeof plan === 'string' ? JSON.parse(plan) : plan);
      return found;
    } finally {
      await tx.exec('DEALLOCATE hot_query');
    }
  });
}

describe.each(testEngines())('hot queries keep to one partition on $kind', (engine) => {
  useTestEngine(engine);
  let work: string;
  let server: GitServer;
  let service: TestService;
  let db: Database;
  const log: Statement[] = [];
  let current = 'setup';

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-plans-'));
    const root = path.join(work, 'served');
    fs.mkdirSync(root);
    await unpackTarRepo('simple-repository', root, 'simple');
    server = await startGitServer({ root });
    db = await engine.open();
    service = openTestService({ db: recording(db, log, () => current), dataHome: path.join(work, 'home') });
    // Several repositories, so the table has several non-empty partitions to stay out of.
    for (const name of ['alpha', 'beta', 'gamma', 'delta']) await service.registerRepository({ url: server.baseUrl('simple'), name, syncIntervalSeconds: 0 });
  }, 120_000);
  afterAll(async () => {
    await service?.close();
    await server?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('lists, gets, reads, saves, syncs, evicts and cleans up within one partition per table', async () => {
    const run = async (operation: string, fn: () => Promise<unknown>) => {
      current = operation;
      await fn();
    };
    log.length = 0;
    await run('list revisions of a repository', async () => {
      await service.pageRevisionSummaries({ repository: 'beta', limit: 50 });
      await service.pagePackageRevisions({ repository: 'beta', limit: 50 });
    });
    await run('get one revision', () => service.getPackageRevision({ name: 'beta.basens.v1' }));
    await run('read its resources', () => service.readResources({ name: 'beta.basens.v1' }));
    const draft = await service.copyPackage({ source: 'beta.basens.v2', workspace: 'plans' });
    await run('draft update', async () => {
      const { resources } = await service.readResources({ name: draft.metadata.name });
      await service.updateResources({
        name: draft.metadata.name,
        resourceVersion: draft.metadata.resourceVersion!,
        mode: 'patch',
        files: [{ path: 'extra.yaml', content: Buffer.from('a: 1\n') }],
        remove: [],
      });
      return resources;
    });
    await run('sync diff', () => service.syncRepository({ name: 'gamma', force: true }));
    await run('eviction', async () => {
      await service.flushReadTimes();
      await db.query(`UPDATE package_revisions SET updated_at = now() - interval '100 days', last_read_at = NULL WHERE name LIKE 'delta.%'`);
      await service.runCleanupPolicies({ namespace: 'default' });
    });
    await run('cleanup claims', async () => {
      await db.query(`UPDATE package_revisions SET status = 'pending_destruction' WHERE name = 'alpha.basens.v1'`);
      await runCleanup(recording(db, log, () => 'cleanup claims'));
    });

    const failures: string[] = [];
    let checked = 0;
    const seen = new Set<string>();
    for (const s of log) {
      if (!/\b(package_revisions|resources)\b/.test(s.sql) || /^\s*(EXPLAIN|SET|PREPARE|ANALYZE|VACUUM)/i.test(s.sql)) continue;
      const key = `${s.operation}\u0000${s.sql}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const allowed = CROSS_PARTITION.find((a) => a.pattern.test(s.sql));
      const scanned = await partitionsScanned(db, s.sql, s.params);
      checked++;
      for (const [table, parts] of scanned) {
        if (parts.size > 1 && !allowed)
          failures.push(
            `${s.operation}: ${parts.size} partitions of ${table} (${[...parts].sort().join(', ')})\n  ${s.sql.replace(/\s+/g, ' ').slice(0, 400)}`,
          );
      }
    }
    expect(checked).toBeGreaterThan(10);
    // Each operation the issue names was seen, so none passes by not running.
    for (const op of ['list revisions of a repository', 'get one revision', 'read its resources', 'draft update', 'sync diff', 'eviction', 'cleanup claims']) {
      expect(
        log.some((s) => s.operation === op && /package_revisions|resources/.test(s.sql)),
        op,
      ).toBe(true);
    }
    expect(failures, failures.join('\n')).toEqual([]);
  }, 120_000);

  it('tells a one-partition query from one that scans them all (the check above can fail)', async () => {
    const all = await partitionsScanned(db, `SELECT id FROM package_revisions WHERE name = $1`, ['beta.basens.v1']);
    expect(all.get('package_revisions')!.size).toBe(16);
    const one = await partitionsScanned(db, `UPDATE package_revisions SET last_read_at = now() WHERE repository_id = $1 AND id = ANY($2::bigint[])`, [
      1,
      [1, 2],
    ]);
    expect(one.get('package_revisions')!.size).toBe(1);
  });
});

// PGlite's own autovacuum (src-main/cache/pglite-upkeep.ts), on a real PGlite
// directory: it finds what autovacuum would (dead rows, tables never
// analyzed), does it one table per statement, merges GIN pending lists, gives
// way as soon as someone uses the database, and in the background starts only
// once the database has been idle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteUpkeep, planUpkeep, runUpkeep } from '../../src-main/cache/pglite-upkeep.ts';
import { idleForMs } from '../../src-main/db/activity.ts';
import type { Database } from '../../src-main/db/database.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';

const pglite = testEngines().find((e) => e.kind === 'pglite')!;

describe('PGlite upkeep', () => {
  useTestEngine(pglite);
  let db: Database;
  let repo: number;

  beforeAll(async () => {
    db = await pglite.open();
    repo = (await db.query<{ id: number }>(`INSERT INTO repositories (namespace, name, spec, updated_by) VALUES ('upkeep', 'r1', '{}', 'test') RETURNING id`))
      .rows[0]!.id;
    await db.query(`INSERT INTO packages (repository_id, namespace, name, package_path, updated_by) VALUES ($1, 'upkeep', 'r1.p', 'p', 'test')`, [repo]);
    await db.query(
      `INSERT INTO package_revisions (repository_id, package_id, namespace, name, package_path, workspace, revision, lifecycle, updated_by)
       SELECT $1, p.id, 'upkeep', 'r1.p.v' || g, 'p', 'v' || g, g, 'Published', 'test' FROM packages p, generate_series(1, 400) g WHERE p.repository_id = $1`,
      [repo],
    );
    await db.query(
      `INSERT INTO resources (repository_id, package_revision_id, path, content)
       SELECT r.repository_id, r.id, 'dir/file-' || g || '.yaml', convert_to('kind: ConfigMap', 'UTF8')
         FROM package_revisions r, generate_series(1, 10) g WHERE r.repository_id = $1`,
      [repo],
    );
  });
  afterAll(async () => {
    await db?.close();
  });

  const partitionOf = async (parent: string) =>
    (
      await db.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = $1::regclass AND satisfies_hash_partition($1::regclass, 16, substring(c.relname from '_p(\\d+)$')::int, $2::bigint)`,
        [parent, repo],
      )
    ).rows[0]!.name;

  const trigramMatches = async () =>
    (
      await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resources WHERE repository_id = $1 AND status = 'default' AND path ILIKE '%file-7%'`, [
        repo,
      ])
    ).rows[0]!.n;

  it('analyzes tables that were never analyzed, and then finds nothing to do', async () => {
    const resources = await partitionOf('resources');
    const before = await planUpkeep(db);
    expect(before).toContainEqual(expect.objectContaining({ table: resources, action: 'analyze' }));
    const reltuples = async () => (await db.query<{ n: number }>(`SELECT reltuples::float8 AS n FROM pg_class WHERE relname = $1`, [resources])).rows[0]!.n;
    expect(await reltuples()).toBeLessThan(0);

    const result = await runUpkeep(db);
    expect(result.failed).toEqual([]);
    expect(result.interrupted).toBe(false);
    expect(await reltuples()).toBe(4000);
    // Statistics for the columns queries use, not the file contents.
    const columns = (await db.query<{ attname: string }>(`SELECT attname FROM pg_stats WHERE tablename = $1`, [resources])).rows.map((r) => r.attname);
    expect(columns).toEqual(expect.arrayContaining(['package_revision_id', 'path', 'repository_id', 'status']));
    expect(columns).not.toContain('content');
    expect(await planUpkeep(db)).toEqual([]);
    // The trigram index still answers after its pending list was merged.
    expect(await trigramMatches()).toBe(400);
  });

  it('vacuums a partition after a bulk delete, and the pages come back', async () => {
    const resources = await partitionOf('resources');
    const size = async () => (await db.query<{ n: number }>(`SELECT pg_relation_size($1::regclass)::int8 AS n FROM (SELECT 1) s`, [resources])).rows[0]!.n;
    await db.query(`DELETE FROM resources WHERE repository_id = $1 AND path <> 'dir/file-1.yaml'`, [repo]);
    const plan = await planUpkeep(db);
    expect(plan[0]).toEqual({ table: resources, action: 'vacuum', reason: '3600 dead rows' });
    const beforeBytes = await size();
    await runUpkeep(db);
    expect(await size()).toBeLessThanOrEqual(beforeBytes);
    expect((await db.query<{ n: number }>(`SELECT n_dead_tup::int AS n FROM pg_stat_user_tables WHERE relname = $1`, [resources])).rows[0]!.n).toBe(0);
    expect(await planUpkeep(db)).toEqual([]);
  });

  it('stops between statements when someone uses the database', async () => {
    await db.query(`UPDATE package_revisions SET updated_by = 'again' WHERE repository_id = $1`, [repo]);
    await db.query(`UPDATE resources SET created_at = now() WHERE repository_id = $1`, [repo]);
    expect((await planUpkeep(db)).length).toBeGreaterThanOrEqual(2);
    let asked = 0;
    const result = await runUpkeep(db, () => ++asked === 1);
    expect(result.done).toHaveLength(1);
    expect(result.interrupted).toBe(true);
    expect((await planUpkeep(db)).length).toBeGreaterThanOrEqual(1);
    await runUpkeep(db);
  });

  it('runs in the background only once the database has been idle, and its own statements do not count as use', async () => {
    await db.query(`UPDATE resources SET created_at = now() WHERE repository_id = $1`, [repo]);
    expect((await planUpkeep(db)).length).toBeGreaterThan(0);
    const runs: number[] = [];
    const upkeep = new PgliteUpkeep(db, { idleMs: 300, checkEveryMs: 20, onResult: (r) => runs.push(r.done.length) });
    upkeep.start();
    try {
      // Busy: a statement every 50 ms for 600 ms.
      const busyUntil = performance.now() + 600;
      while (performance.now() < busyUntil) {
        await db.query('SELECT 1');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(runs).toEqual([]);
      const deadline = performance.now() + 5000;
      while (runs.length === 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(runs[0]).toBeGreaterThan(0);
      // Upkeep's statements left the database idle in the eyes of the next check.
      expect(idleForMs(db)).toBeGreaterThan(300);
      expect(await planUpkeep(db)).toEqual([]);
    } finally {
      await upkeep.stop();
    }
  });

  it('does nothing on PostgreSQL, whose autovacuum does it', async () => {
    const fake = { kind: 'postgres' } as Database;
    expect(await planUpkeep(fake)).toEqual([]);
    expect(await runUpkeep(fake)).toEqual({ done: [], interrupted: false, failed: [] });
  });
});

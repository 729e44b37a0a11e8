// The cleanup worker on both engines: what unregister, delete, sync and a
// cleanup policy mark pending_destruction is deleted in claimed, bounded
// batches inside one partition; failures are kept as 'error' with the reason;
// a crashed worker's claims are taken again; on PostgreSQL two workers never
// take the same row; on PGlite a big delete ends with a VACUUM.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CleanupWorker, countCleanupWork, hasCleanupWork, runCleanup, type CleanupBatch, type CleanupOutcome } from '../../src-main/cache/cleanup-worker.ts';
import { markRepositoryForDestruction } from '../../src-main/cache/repository-store.ts';
import { markRevisionsForDestruction } from '../../src-main/cache/revision-store.ts';
import type { Database, Queryable } from '../../src-main/db/database.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';

describe.each(testEngines())('cleanup worker on $kind', (engine) => {
  useTestEngine(engine);
  let db: Database;
  let clones: string;
  let serial = 0;

  beforeAll(async () => {
    db = await engine.open();
    clones = mkdtempSync(join(tmpdir(), 'porchlight-clones-'));
  });
  afterAll(async () => {
    await db?.close();
    if (clones) rmSync(clones, { recursive: true, force: true });
  });

  const cloneDirFor = (id: number) => join(clones, `${id}.git`);

  /** A repository with `packages` x `revisions` published revisions, each with `resources` files. */
  async function seedRepository(shape: { packages?: number; revisions?: number; resources?: number } = {}): Promise<number> {
    const { packages = 2, revisions = 3, resources = 2 } = shape;
    const name = `r${++serial}`;
    const repo = (
      await db.query<{ id: number }>(`INSERT INTO repositories (namespace, name, spec, updated_by) VALUES ('cleanup', $1, '{}', 'test') RETURNING id`, [name])
    ).rows[0]!.id;
    await db.query(
      `INSERT INTO packages (repository_id, namespace, name, package_path, updated_by)
       SELECT $1, 'cleanup', $2 || '.p' || g, 'p' || g, 'test' FROM generate_series(1, $3::integer) g`,
      [repo, name, packages],
    );
    await db.query(
      `INSERT INTO package_revisions (repository_id, package_id, namespace, name, package_path, workspace, revision, lifecycle, updated_by)
       SELECT p.repository_id, p.id, 'cleanup', p.name || '.v' || g, p.package_path, 'v' || g, g, 'Published', 'test'
         FROM packages p, generate_series(1, $2::integer) g WHERE p.repository_id = $1`,
      [repo, revisions],
    );
    await db.query(
      `INSERT INTO resources (repository_id, package_revision_id, path, content)
       SELECT r.repository_id, r.id, 'f' || g || '.yaml', convert_to(repeat('kind: ConfigMap ', 20), 'UTF8')
         FROM package_revisions r, generate_series(1, $2::integer) g WHERE r.repository_id = $1`,
      [repo, resources],
    );
    return repo;
  }

  const count = async (from: string, params: unknown[] = []) =>
    (await db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${from}`, params)).rows[0]!.n;
  const revisionIds = async (repo: number, where = 'true') =>
    (await db.query<{ id: number }>(`SELECT id FROM package_revisions WHERE repository_id = $1 AND ${where} ORDER BY id`, [repo])).rows.map((r) => r.id);
  const rowsOf = async (repo: number) => ({
    repositories: await count(`repositories WHERE id = $1`, [repo]),
    packages: await count(`packages WHERE repository_id = $1`, [repo]),
    revisions: await count(`package_revisions WHERE repository_id = $1`, [repo]),
    resources: await count(`resources WHERE repository_id = $1`, [repo]),
  });

  it('answers cheaply whether there is work, and counts it up to a limit', async () => {
    const repo = await seedRepository({ packages: 1, revisions: 6, resources: 1 });
    await runCleanup(db);
    expect(await hasCleanupWork(db)).toBe(false);
    expect(await countCleanupWork(db)).toBe(0);
    await markRevisionsForDestruction(db, repo, await revisionIds(repo));
    expect(await hasCleanupWork(db)).toBe(true);
    expect(await countCleanupWork(db, 4)).toBe(4);
    expect(await countCleanupWork(db)).toBe(6);
    await runCleanup(db);
    expect(await hasCleanupWork(db)).toBe(false);
  });

  it('removes an unregistered repository: its revisions and resources in batches, its packages, its row and its local clone', async () => {
    const gone = await seedRepository({ packages: 3, revisions: 4, resources: 3 });
    const kept = await seedRepository({ packages: 2, revisions: 2, resources: 2 });
    mkdirSync(join(cloneDirFor(gone), 'objects'), { recursive: true });
    writeFileSync(join(cloneDirFor(gone), 'HEAD'), 'ref: refs/heads/main\n');
    mkdirSync(cloneDirFor(kept), { recursive: true });
    const keptBefore = await rowsOf(kept);

    await markRepositoryForDestruction(db, gone, 'unregistered by test');
    // Unregistering is one statement on the repository row: its revisions are still 'default'.
    expect(await count(`package_revisions WHERE repository_id = $1 AND status = 'default'`, [gone])).toBe(12);

    const batches: CleanupBatch[] = [];
    const result = await runCleanup(db, { batchSize: 5, cloneDirFor, onBatch: (b) => batches.push(b) });

    expect(await rowsOf(gone)).toEqual({ repositories: 0, packages: 0, revisions: 0, resources: 0 });
    expect(existsSync(cloneDirFor(gone))).toBe(false);
    expect(await rowsOf(kept)).toEqual(keptBefore);
    expect(existsSync(cloneDirFor(kept))).toBe(true);
    expect(result).toMatchObject({
      repositoriesDeleted: 1,
      packagesDeleted: 3,
      revisionsDeleted: 12,
      resourcesDeleted: 36,
      rowsDeleted: 1 + 3 + 12 + 36,
      errors: [],
    });
    expect(batches.filter((b) => b.table === 'repositories').map((b) => b.ids)).toEqual([[gone]]);
    expect(batches.filter((b) => b.table === 'package_revisions').map((b) => b.ids.length)).toEqual([5, 5, 2]);
    expect(batches.every((b) => b.repositoryId === gone)).toBe(true);
  });

  it('deletes pending revisions with their resources and leaves the default ones', async () => {
    const repo = await seedRepository({ packages: 2, revisions: 3, resources: 4 });
    const all = await revisionIds(repo);
    const doomed = all.filter((_, i) => i % 2 === 0);
    await markRevisionsForDestruction(db, repo, doomed);

    const result = await runCleanup(db, { repositoryId: repo });

    expect(await revisionIds(repo)).toEqual(all.filter((id) => !doomed.includes(id)));
    expect(await count(`resources WHERE repository_id = $1 AND package_revision_id = ANY($2::bigint[])`, [repo, doomed])).toBe(0);
    expect(await count(`resources WHERE repository_id = $1`, [repo])).toBe((all.length - doomed.length) * 4);
    expect(result).toMatchObject({ revisionsDeleted: doomed.length, resourcesDeleted: doomed.length * 4, repositoriesDeleted: 0, errors: [] });
    // The latest flag follows: each package's highest remaining published revision.
    const latest = await db.query<{ workspace: string }>(`SELECT workspace FROM package_revisions WHERE repository_id = $1 AND latest ORDER BY package_id`, [
      repo,
    ]);
    expect(latest.rows.length).toBe(2);
  });

  it('deletes resources marked on their own and keeps their revision', async () => {
    const repo = await seedRepository({ packages: 1, revisions: 3, resources: 5 });
    const [old, , newest] = await revisionIds(repo);
    // What a cleanup policy does: evict the files of an old published revision.
    await db.query(`UPDATE resources SET status = 'pending_destruction' WHERE repository_id = $1 AND package_revision_id = $2`, [repo, old]);
    expect(await hasCleanupWork(db)).toBe(true);

    const batches: CleanupBatch[] = [];
    const result = await runCleanup(db, { batchSize: 2, onBatch: (b) => batches.push(b) });

    expect(await revisionIds(repo)).toHaveLength(3);
    expect(await count(`resources WHERE repository_id = $1 AND package_revision_id = $2`, [repo, old])).toBe(0);
    expect(await count(`resources WHERE repository_id = $1 AND package_revision_id = $2`, [repo, newest])).toBe(5);
    expect(result).toMatchObject({ resourcesDeleted: 5, revisionsDeleted: 0, rowsDeleted: 5, errors: [] });
    expect(batches.map((b) => [b.table, b.ids.length])).toEqual([
      ['resources', 2],
      ['resources', 2],
      ['resources', 1],
    ]);
  });

  it('never deletes more than a batch in one statement', async () => {
    const repo = await seedRepository({ packages: 1, revisions: 23, resources: 1 });
    await markRevisionsForDestruction(db, repo, await revisionIds(repo));
    // Observed by the database itself: rows per UPDATE to 'processing' and per DELETE.
    await db.exec(`
      CREATE TABLE cleanup_statements (kind text, n integer);
      CREATE FUNCTION log_claims() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO cleanup_statements SELECT 'claim', count(*) FROM new_rows WHERE status = 'processing' HAVING count(*) > 0;
        RETURN NULL;
      END $$;
      CREATE FUNCTION log_deletes() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO cleanup_statements SELECT 'delete', count(*) FROM old_rows HAVING count(*) > 0;
        RETURN NULL;
      END $$;
      CREATE TRIGGER log_claims AFTER UPDATE ON package_revisions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_claims();
      CREATE TRIGGER log_deletes AFTER DELETE ON package_revisions REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION log_deletes();
    `);
    try {
      const result = await runCleanup(db, { batchSize: 5 });
      expect(result.revisionsDeleted).toBe(23);
      const log = await db.query<{ kind: string; n: number }>(`SELECT kind, n FROM cleanup_statements`);
      const sizes = (kind: string) => log.rows.filter((r) => r.kind === kind).map((r) => r.n);
      // PGlite deletes without claiming: no other worker can take the rows.
      expect(sizes('claim')).toEqual(engine.kind === 'pglite' ? [] : [5, 5, 5, 5, 3]);
      expect(sizes('delete')).toEqual([5, 5, 5, 5, 3]);
    } finally {
      await db.exec(`
        DROP TRIGGER log_claims ON package_revisions; DROP TRIGGER log_deletes ON package_revisions;
        DROP FUNCTION log_claims(); DROP FUNCTION log_deletes(); DROP TABLE cleanup_statements;`);
    }
  });

  it('sets a batch it cannot delete to error, with the reason, and leaves it there', async () => {
    const repo = await seedRepository({ packages: 1, revisions: 4, resources: 2 });
    const ids = await revisionIds(repo);
    await db.exec(`
      CREATE FUNCTION refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'kept by the test: %', OLD.id;
      END $$;
      CREATE TRIGGER refuse_revision_delete BEFORE DELETE ON package_revisions
        FOR EACH ROW WHEN (OLD.workspace = 'v2' AND OLD.namespace = 'cleanup') EXECUTE FUNCTION refuse_delete();
      CREATE TRIGGER refuse_resource_delete BEFORE DELETE ON resources
        FOR EACH ROW WHEN (OLD.path = 'f2.yaml' AND OLD.status <> 'default') EXECUTE FUNCTION refuse_delete();
    `);
    try {
      await markRevisionsForDestruction(db, repo, ids.slice(0, 3));
      // A resource of the revision that stays, evicted on its own.
      await db.query(`UPDATE resources SET status = 'pending_destruction' WHERE repository_id = $1 AND package_revision_id = $2`, [repo, ids[3]]);

      const result = await runCleanup(db, { batchSize: 2 });

      // Revisions: the first batch (v1, v2) failed as a whole, the second (v3) went.
      const revisions = await db.query<{ workspace: string; status: string; status_reason: string | null }>(
        `SELECT workspace, status, status_reason FROM package_revisions WHERE repository_id = $1 ORDER BY id`,
        [repo],
      );
      expect(revisions.rows.map((r) => [r.workspace, r.status])).toEqual([
        ['v1', 'error'],
        ['v2', 'error'],
        ['v4', 'default'],
      ]);
      expect(revisions.rows[0]!.status_reason).toMatch(/kept by the test/);
      // Their resources were not touched: the batch's transaction was rolled back.
      expect(await count(`resources WHERE repository_id = $1 AND package_revision_id = ANY($2::bigint[])`, [repo, ids.slice(0, 2)])).toBe(4);
      const resources = await db.query<{ path: string; status: string; status_reason: string | null }>(
        `SELECT path, status, status_reason FROM resources WHERE repository_id = $1 AND package_revision_id = $2 ORDER BY path`,
        [repo, ids[3]],
      );
      expect(resources.rows.map((r) => [r.path, r.status])).toEqual([
        ['f1.yaml', 'error'],
        ['f2.yaml', 'error'],
      ]);
      expect(resources.rows[1]!.status_reason).toMatch(/kept by the test/);
      expect(result.errors.map((e) => [e.table, e.ids.length])).toEqual([
        ['package_revisions', 2],
        ['resources', 2],
      ]);
      expect(result.revisionsDeleted).toBe(1);

      // 'error' is not work: the next run has nothing to do.
      expect(await hasCleanupWork(db)).toBe(false);
      expect((await runCleanup(db)).errors).toEqual([]);
    } finally {
      await db.exec(`
        DROP TRIGGER refuse_revision_delete ON package_revisions; DROP TRIGGER refuse_resource_delete ON resources;
        DROP FUNCTION refuse_delete();`);
    }
  });

  it('sets an unregistered repository to error when its local clone cannot be removed', async () => {
    const repo = await seedRepository({ packages: 1, revisions: 2, resources: 1 });
    // A path below a regular file: rm fails with ENOTDIR even for root.
    const file = join(clones, `file-${repo}`);
    writeFileSync(file, '');
    await markRepositoryForDestruction(db, repo, 'unregistered by test');

    const result = await runCleanup(db, { cloneDirFor: (id) => join(clones, `file-${id}`, 'clone.git') });

    const row = await db.query<{ status: string; status_reason: string }>(`SELECT status, status_reason FROM repositories WHERE id = $1`, [repo]);
    expect(row.rows[0]).toMatchObject({ status: 'error' });
    expect(row.rows[0]!.status_reason).toMatch(/cannot remove the local clone .*clone\.git: .*ENOTDIR/);
    expect(result.errors).toEqual([expect.objectContaining({ table: 'repositories', ids: [repo] })]);
    expect(result.repositoriesDeleted).toBe(0);
    // Its revisions went first; the row stays to say what is left behind.
    expect(await rowsOf(repo)).toMatchObject({ repositories: 1, revisions: 0, resources: 0 });
    expect(await hasCleanupWork(db)).toBe(false);
  });

  it.runIf(engine.kind === 'postgres')('sets an unregistered repository to error when its revisions cannot even be marked', async () => {
    const repo = await seedRepository({ packages: 1, revisions: 2, resources: 1 });
    await db.exec(`
      CREATE FUNCTION refuse_mark() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'marking refused by the test';
      END $$;
      CREATE TRIGGER refuse_mark BEFORE UPDATE OF status ON package_revisions
        FOR EACH ROW WHEN (NEW.repository_id = ${repo}) EXECUTE FUNCTION refuse_mark();`);
    try {
      await markRepositoryForDestruction(db, repo, 'unregistered by test');
      const result = await runCleanup(db);
      const row = await db.query<{ status: string; status_reason: string }>(`SELECT status, status_reason FROM repositories WHERE id = $1`, [repo]);
      expect(row.rows[0]).toEqual({ status: 'error', status_reason: expect.stringMatching(/marking refused by the test/) });
      expect(result.errors).toEqual([expect.objectContaining({ table: 'repositories', ids: [repo] })]);
      expect(await rowsOf(repo)).toMatchObject({ repositories: 1, revisions: 2 });
    } finally {
      await db.exec(`DROP TRIGGER refuse_mark ON package_revisions; DROP FUNCTION refuse_mark();`);
    }
  });

  it.runIf(engine.kind === 'pglite')(
    'deletes an unregistered repository without marking its revisions, and sets it to error when they can be neither deleted nor claimed',
    async () => {
      const repo = await seedRepository({ packages: 1, revisions: 2, resources: 1 });
      await db.exec(`
      CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% refused by the test', TG_OP;
      END $$;
      CREATE TRIGGER refuse_mark BEFORE UPDATE OF status ON package_revisions
        FOR EACH ROW WHEN (NEW.repository_id = ${repo}) EXECUTE FUNCTION refuse();`);
      try {
        await markRepositoryForDestruction(db, repo, 'unregistered by test');
        // No status update on the way: the trigger never fires.
        expect(await runCleanup(db)).toMatchObject({ repositoriesDeleted: 1, revisionsDeleted: 2, errors: [] });
        expect(await rowsOf(repo)).toEqual({ repositories: 0, packages: 0, revisions: 0, resources: 0 });

        // A delete that fails goes the two-step way; a claim refused too is not
        // one batch's failure, and the repository stops there, with the reason.
        const stuck = await seedRepository({ packages: 1, revisions: 2, resources: 1 });
        await db.exec(`
        CREATE TRIGGER refuse_stuck_mark BEFORE UPDATE OF status ON package_revisions
          FOR EACH ROW WHEN (NEW.repository_id = ${stuck}) EXECUTE FUNCTION refuse();
        CREATE TRIGGER refuse_stuck_delete BEFORE DELETE ON package_revisions
          FOR EACH ROW WHEN (OLD.repository_id = ${stuck}) EXECUTE FUNCTION refuse();`);
        await markRepositoryForDestruction(db, stuck, 'unregistered by test');
        const result = await runCleanup(db);
        const row = await db.query<{ status: string; status_reason: string }>(`SELECT status, status_reason FROM repositories WHERE id = $1`, [stuck]);
        expect(row.rows[0]).toEqual({ status: 'error', status_reason: expect.stringMatching(/UPDATE refused by the test/) });
        expect(result.errors).toEqual([expect.objectContaining({ table: 'repositories', ids: [stuck] })]);
        expect(await rowsOf(stuck)).toMatchObject({ repositories: 1, revisions: 2 });
      } finally {
        await db.exec(`
        DROP TRIGGER IF EXISTS refuse_mark ON package_revisions; DROP TRIGGER IF EXISTS refuse_stuck_mark ON package_revisions;
        DROP TRIGGER IF EXISTS refuse_stuck_delete ON package_revisions; DROP FUNCTION refuse();`);
      }
    },
  );

  it('takes rows left in processing by a crashed worker again after reclaimAfterMs', async () => {
    const repo = await seedRepository({ packages: 1, revisions: 4, resources: 2 });
    const [stale, fresh, neverClaimed, untouched] = await revisionIds(repo);
    await db.query(`UPDATE package_revisions SET status = 'processing', claimed_at = now() - interval '20 minutes' WHERE repository_id = $1 AND id = $2`, [
      repo,
      stale,
    ]);
    await db.query(`UPDATE package_revisions SET status = 'processing', claimed_at = now() WHERE repository_id = $1 AND id = $2`, [repo, fresh]);
    await db.query(`UPDATE package_revisions SET status = 'processing', claimed_at = NULL WHERE repository_id = $1 AND id = $2`, [repo, neverClaimed]);
    // A repository whose worker died halfway: claimed long ago, some revisions already marked.
    const halfway = await seedRepository({ packages: 2, revisions: 2, resources: 1 });
    await db.query(`UPDATE repositories SET status = 'processing', claimed_at = now() - interval '1 hour' WHERE id = $1`, [halfway]);
    await db.query(`UPDATE package_revisions SET status = 'pending_destruction' WHERE repository_id = $1 AND workspace = 'v1'`, [halfway]);

    expect(await hasCleanupWork(db)).toBe(true);
    const result = await runCleanup(db, { cloneDirFor });

    const left = await db.query<{ id: number; status: string }>(`SELECT id, status FROM package_revisions WHERE repository_id = $1 ORDER BY id`, [repo]);
    // Claimed a moment ago: another worker may be deleting it right now.
    expect(left.rows).toEqual([
      { id: fresh, status: 'processing' },
      { id: untouched, status: 'default' },
    ]);
    expect(await rowsOf(halfway)).toEqual({ repositories: 0, packages: 0, revisions: 0, resources: 0 });
    expect(result).toMatchObject({ repositoriesDeleted: 1, revisionsDeleted: 2 + 4, errors: [] });

    // With a short reclaim time the fresh claim counts as stale too.
    expect(await hasCleanupWork(db)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await hasCleanupWork(db, { reclaimAfterMs: 10 })).toBe(true);
    expect((await runCleanup(db, { reclaimAfterMs: 10 })).revisionsDeleted).toBe(1);
    expect(await revisionIds(repo)).toHaveLength(1);
  });

  it('stops between batches when asked, and hands an unfinished repository back', async () => {
    const repo = await seedRepository({ packages: 1, revisions: 12, resources: 1 });
    await markRepositoryForDestruction(db, repo, 'unregistered by test');
    const stop = new AbortController();
    const result = await runCleanup(db, {
      batchSize: 4,
      signal: stop.signal,
      onBatch: (b) => {
        if (b.table === 'package_revisions') stop.abort();
      },
    });
    expect(result).toMatchObject({ stopped: true, revisionsDeleted: 4, repositoriesDeleted: 0 });
    const row = await db.query<{ status: string }>(`SELECT status FROM repositories WHERE id = $1`, [repo]);
    expect(row.rows[0]!.status).toBe('pending_destruction');
    expect((await runCleanup(db, { batchSize: 4 })).revisionsDeleted).toBe(8);
    expect(await rowsOf(repo)).toEqual({ repositories: 0, packages: 0, revisions: 0, resources: 0 });
  });

  it('runs in the background: kick, one run at a time, errors reported, stop', async () => {
    const repo = await seedRepository({ packages: 1, revisions: 5, resources: 1 });
    // Counts statements in flight on this database: two overlapping runs would show 2.
    let inFlight = 0;
    let maxInFlight = 0;
    let failing = false;
    const track = async <T>(fn: () => Promise<T>): Promise<T> => {
      if (failing) throw new Error('database went away');
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return await fn();
      } finally {
        inFlight--;
      }
    };
    const tracked: Database = {
      kind: db.kind,
      location: db.location,
      query: (sql, params) => track(() => db.query(sql, params)),
      exec: (sql) => track(() => db.exec(sql)),
      transaction: (fn) => track(() => db.transaction(fn)),
      close: () => db.close(),
    } as Database;

    const outcomes: CleanupOutcome[] = [];
    const worker = new CleanupWorker(tracked, { batchSize: 2, onResult: (o) => outcomes.push(o) });
    worker.start(60_000);
    await worker.idle();
    outcomes.length = 0;

    await markRevisionsForDestruction(db, repo, await revisionIds(repo));
    worker.kick();
    worker.kick();
    const direct = runCleanup(tracked, { batchSize: 2 });
    worker.kick();
    await Promise.all([worker.idle(), direct]);
    expect(maxInFlight).toBe(1);
    expect(await revisionIds(repo)).toEqual([]);
    const deleted = outcomes.reduce((n, o) => n + (o.ok ? o.result.revisionsDeleted : 0), 0) + (await direct).revisionsDeleted;
    expect(deleted).toBe(5);
    expect(outcomes.every((o) => o.ok)).toBe(true);

    // A failing database is reported, not thrown, and the worker keeps going.
    failing = true;
    worker.kick();
    await worker.idle();
    expect(outcomes.at(-1)).toMatchObject({ ok: false, error: expect.objectContaining({ message: 'database went away' }) });
    failing = false;

    await worker.stop();
    const reported = outcomes.length;
    worker.kick();
    await worker.idle();
    expect(outcomes.length).toBe(reported);
  });

  it.runIf(engine.kind === 'pglite')('runs VACUUM on PGlite after a big delete', async () => {
    const repo = await seedRepository({ packages: 10, revisions: 20, resources: 5 });
    const partition = (await db.query<{ name: string }>(`SELECT tableoid::regclass::text AS name FROM resources WHERE repository_id = $1 LIMIT 1`, [repo]))
      .rows[0]!.name;
    const stats = async () =>
      (
        await db.query<{ vacuum_count: number; size: number }>(
          `SELECT vacuum_count::integer, pg_relation_size(relid)::integer AS size FROM pg_stat_user_tables WHERE relname = $1`,
          [partition],
        )
      ).rows[0]!;
    const before = await stats();
    await markRepositoryForDestruction(db, repo, 'unregistered by test');

    const result = await runCleanup(db, { cloneDirFor });

    expect(result.rowsDeleted).toBe(1 + 10 + 200 + 1000);
    expect(result.vacuumed).toBe(true);
    const after = await stats();
    expect(after.vacuum_count).toBeGreaterThan(before.vacuum_count);
    // Its rows were the last in the partition: VACUUM gives the pages back.
    expect(after.size).toBeLessThan(before.size);
  });

  it.runIf(engine.kind === 'postgres')('leaves VACUUM to autovacuum on PostgreSQL', async () => {
    const repo = await seedRepository({ packages: 10, revisions: 20, resources: 5 });
    await markRepositoryForDestruction(db, repo, 'unregistered by test');
    const result = await runCleanup(db);
    expect(result.rowsDeleted).toBe(1 + 10 + 200 + 1000);
    expect(result.vacuumed).toBe(false);
  });

  it.runIf(engine.kind === 'postgres')('skips rows another transaction holds instead of waiting for them', async () => {
    const repo = await seedRepository({ packages: 1, revisions: 6, resources: 1 });
    const ids = await revisionIds(repo);
    await markRevisionsForDestruction(db, repo, ids);
    const other = await engine.openRaw();
    let release = () => {};
    try {
      let locked!: () => void;
      const held = new Promise<void>((resolve) => (locked = resolve));
      const holder = other.transaction(async (tx: Queryable) => {
        await tx.query(`SELECT id FROM package_revisions WHERE repository_id = $1 AND id = ANY($2::bigint[]) FOR UPDATE`, [repo, ids.slice(0, 2)]);
        locked();
        await new Promise<void>((resolve) => (release = resolve));
      });
      await held;
      // A worker that waited for the lock would never finish while it is held.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const waited = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the cleanup waited for a locked row')), 10_000)));
      const result = await Promise.race([runCleanup(db, { batchSize: 2 }), waited]).finally(() => clearTimeout(timer));
      expect(result.revisionsDeleted).toBe(4);
      expect(await revisionIds(repo)).toEqual(ids.slice(0, 2));
      release();
      await holder;
      expect((await runCleanup(db)).revisionsDeleted).toBe(2);
      expect(await revisionIds(repo)).toEqual([]);
    } finally {
      release();
      await other.close();
    }
  });

  it.runIf(engine.kind === 'postgres')('never lets two workers on one PostgreSQL take the same row', async () => {
    const repos = [await seedRepository({ packages: 4, revisions: 25, resources: 2 }), await seedRepository({ packages: 4, revisions: 25, resources: 2 })];
    const unregistered = await seedRepository({ packages: 5, revisions: 20, resources: 2 });
    const pendingRevisions = new Set<number>();
    for (const repo of repos) {
      const ids = await revisionIds(repo, `workspace <> 'v25'`);
      await markRevisionsForDestruction(db, repo, ids);
      ids.forEach((id) => pendingRevisions.add(id));
    }
    // Resources on their own, of the revisions that stay.
    const pendingResources = new Set(
      (
        await db.query<{ id: number }>(
          `UPDATE resources SET status = 'pending_destruction' WHERE repository_id = ANY($1::bigint[]) AND path = 'f1.yaml'
              AND package_revision_id IN (SELECT id FROM package_revisions WHERE repository_id = ANY($1::bigint[]) AND workspace = 'v25')
            RETURNING id`,
          [repos],
        )
      ).rows.map((r) => r.id),
    );
    const unregisteredRevisions = await revisionIds(unregistered);
    await markRepositoryForDestruction(db, unregistered, 'unregistered by test');
    // Slow every delete a little, so the two workers' batches interleave.
    await db.exec(`
      CREATE FUNCTION slow_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.005); RETURN NULL; END $$;
      CREATE TRIGGER slow_revision_delete AFTER DELETE ON package_revisions FOR EACH STATEMENT EXECUTE FUNCTION slow_delete();
      CREATE TRIGGER slow_resource_delete AFTER DELETE ON resources FOR EACH STATEMENT EXECUTE FUNCTION slow_delete();`);

    const second = await engine.openRaw();
    try {
      const claims: CleanupBatch[][] = [[], []];
      const worker = (on: Database, i: number) => runCleanup(on, { batchSize: 7, cloneDirFor, onBatch: (batch) => claims[i]!.push(batch) });
      const [a, b] = await Promise.all([worker(db, 0), worker(second, 1)]);
      const idsOf = (i: number, table: string) => claims[i]!.filter((c) => c.table === table).flatMap((c) => c.ids);
      for (const table of ['repositories', 'package_revisions', 'resources']) {
        const first = idsOf(0, table);
        const other = idsOf(1, table);
        // Disjoint across the workers, and no worker took a row twice.
        expect(first.filter((id) => other.includes(id))).toEqual([]);
        expect(new Set([...first, ...other]).size).toBe(first.length + other.length);
      }
      // Both did part of the work.
      expect(claims[0]!.length).toBeGreaterThan(0);
      expect(claims[1]!.length).toBeGreaterThan(0);
      expect(a.errors).toEqual([]);
      expect(b.errors).toEqual([]);

      const claimedRevisions = new Set([...idsOf(0, 'package_revisions'), ...idsOf(1, 'package_revisions')]);
      for (const id of pendingRevisions) expect(claimedRevisions.has(id)).toBe(true);
      const claimedResources = new Set([...idsOf(0, 'resources'), ...idsOf(1, 'resources')]);
      expect(claimedResources).toEqual(pendingResources);
      expect(a.repositoriesDeleted + b.repositoriesDeleted).toBe(1);
      // Every row deleted, and counted once.
      expect(a.revisionsDeleted + b.revisionsDeleted).toBe(pendingRevisions.size + unregisteredRevisions.length);
      expect(a.resourcesDeleted + b.resourcesDeleted).toBe((pendingRevisions.size + unregisteredRevisions.length) * 2 + pendingResources.size);
      expect(await rowsOf(unregistered)).toEqual({ repositories: 0, packages: 0, revisions: 0, resources: 0 });
      for (const repo of repos) {
        expect(await count(`package_revisions WHERE repository_id = $1`, [repo])).toBe(4);
        expect(await count(`resources WHERE repository_id = $1`, [repo])).toBe(4);
      }
      expect(await hasCleanupWork(db)).toBe(false);
    } finally {
      await second.close();
      await db.exec(`
        DROP TRIGGER slow_revision_delete ON package_revisions; DROP TRIGGER slow_resource_delete ON resources;
        DROP FUNCTION slow_delete();`);
    }
  });
});

// Background migrations on both engines (issue 7): a database of the previous
// release with 12,000 files is upgraded; the new column is filled in batches
// while new rows get it from the trigger; a run killed part way has exactly
// the rows its recorded batches did (each batch and its cursor are one
// transaction), resumes where it stopped, finishes, and can be run again
// without changing anything; the cache statistics switch to the new column
// only when it is done; two runners on one PostgreSQL never do a row twice.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedRevisions } from '../support/seed-revisions.ts';
import type { Database } from '../../src-main/db/database.ts';
import { loadMigrations } from '../../src-main/db/migrate.ts';
import { backgroundMigrations, runBackgroundMigrations } from '../../src-main/db/background-migrations.ts';
import { cacheStats } from '../../src-main/cache/eviction.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';
import { amcheckProblems } from '../support/integrity.ts';
import { startChild } from '../faults/killable-child.ts';

const OLD_ROWS = 40 * 100 * 3;

describe.each(testEngines())('background migrations on $kind', (engine) => {
  useTestEngine(engine);

  it('fills the new layout in batches, survives a kill, resumes, finishes once, and switches reads', async () => {
    const all = loadMigrations();
    const upTo008 = all.findIndex((m) => m.version === 8);
    const previous = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-before-008-'));
    for (const m of all.slice(0, upTo008)) fs.writeFileSync(path.join(previous, m.file), m.sql);

    let maxOldId = 0;
    {
      const db = await engine.open({ migrationsDir: previous });
      await seedRevisions(db, { namespace: 'bg', repositories: 40, revisionsPerRepository: 100, resourcesPerRevision: 3, analyze: 'none' });
      maxOldId = Number((await db.query<{ m: string }>(`SELECT max(id) AS m FROM resources`)).rows[0]!.m);
      expect(Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM resources`)).rows[0]!.n)).toBe(OLD_ROWS);
      await db.close();
    }

    const filledOld = (db: Database) =>
      db.query<{ n: string }>(`SELECT count(*) AS n FROM resources WHERE id <= $1 AND size_bytes IS NOT NULL`, [maxOldId]).then((r) => Number(r.rows[0]!.n));
    const status = async (db: Database) => (await backgroundMigrations(db)).find((m) => m.name === 'resource_sizes')!;

    // The upgrade itself is quick: it adds the column and the trigger, and fills nothing.
    const db = await engine.open();
    try {
      expect(await filledOld(db)).toBe(0);
      expect(await status(db)).toMatchObject({ status: 'active', rowsDone: 0, percent: 0 });
      expect((await cacheStats(db, 'bg')).fileBytes).toBeUndefined();
      // Both layouts from now on: a new file gets its size from the trigger, and so does a changed one.
      const some = (await db.query<{ repository_id: string; package_revision_id: string }>(`SELECT repository_id, package_revision_id FROM resources LIMIT 1`))
        .rows[0]!;
      await db.query(`INSERT INTO resources (repository_id, package_revision_id, path, content) VALUES ($1, $2, 'new.yaml', $3)`, [
        some.repository_id,
        some.package_revision_id,
        Buffer.from('kind: New\n'),
      ]);
      expect((await db.query<{ s: number }>(`SELECT size_bytes AS s FROM resources WHERE path = 'new.yaml'`)).rows[0]!.s).toBe(10);
      await db.query(`UPDATE resources SET content = $1 WHERE path = 'new.yaml'`, [Buffer.from('kind: Newer\n')]);
      expect((await db.query<{ s: number }>(`SELECT size_bytes AS s FROM resources WHERE path = 'new.yaml'`)).rows[0]!.s).toBe(12);
    } finally {
      await db.close();
    }

    // A run killed part way: what it recorded is exactly what it did.
    const child = startChild({ mode: 'background', db: engine.target, count: 500 });
    await child.waitFor((acks) => acks.length >= 3);
    child.process.kill('SIGKILL');
    await child.exited;
    expect(await amcheckProblems(engine)).toEqual([]);
    const db2 = await engine.open();
    try {
      const cut = await status(db2);
      expect(cut.status).toBe('active');
      expect(cut.rowsDone).toBeGreaterThanOrEqual(600);
      expect(cut.rowsDone).toBeLessThan(OLD_ROWS);
      expect(await filledOld(db2)).toBe(cut.rowsDone);
      // An estimate: exact here (never analyzed), the planner's row counts on a database that was.
      expect(cut.rowsTotal).toBeGreaterThan(OLD_ROWS / 2);
      expect((await cacheStats(db2, 'bg')).fileBytesProgress).toBe(cut.percent);

      // Resumed: it goes on from the cursor and finishes.
      const seen: number[] = [];
      const end = (await runBackgroundMigrations(db2, { batchSize: 700, onProgress: (s) => seen.push(s.rowsDone) })).find((m) => m.name === 'resource_sizes')!;
      expect(end).toMatchObject({ status: 'finished', percent: 100, rowsDone: OLD_ROWS });
      expect(seen[0]).toBeGreaterThan(cut.rowsDone);
      const wrong = await db2.query<{ n: string }>(`SELECT count(*) AS n FROM resources WHERE size_bytes IS DISTINCT FROM octet_length(content)`);
      expect(Number(wrong.rows[0]!.n)).toBe(0);

      // Again: nothing to do, nothing changed.
      expect((await runBackgroundMigrations(db2)).find((m) => m.name === 'resource_sizes')).toMatchObject({ status: 'finished', rowsDone: OLD_ROWS });
      // Reads switch: the namespace's file bytes come from the new column.
      const bytes = await db2.query<{ b: string }>(
        `SELECT sum(octet_length(content)) AS b FROM resources WHERE status = 'default' AND repository_id IN (SELECT id FROM repositories WHERE namespace = 'bg' AND status = 'default')`,
      );
      expect((await cacheStats(db2, 'bg')).fileBytes).toBe(Number(bytes.rows[0]!.b));
    } finally {
      await db2.close();
    }
  }, 240_000);

  it.runIf(engine.kind === 'postgres')(
    'two runners on one PostgreSQL never do a batch twice',
    async () => {
      const db = await engine.open();
      const other = await engine.open();
      try {
        await db.query(`UPDATE resources SET size_bytes = NULL`);
        await db.query(
          `UPDATE background_migrations SET status = 'active', cursor = NULL, rows_done = 0, rows_total = NULL, finished_at = NULL WHERE name = 'resource_sizes'`,
        );
        const rows = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM resources`)).rows[0]!.n);
        await Promise.all([runBackgroundMigrations(db, { batchSize: 200 }), runBackgroundMigrations(other, { batchSize: 200 })]);
        // Each row counted once: a batch was run by one runner or the other, never both.
        expect((await status(db)).rowsDone).toBe(rows);
        expect(Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM resources WHERE size_bytes IS NULL`)).rows[0]!.n)).toBe(0);
      } finally {
        await other.close();
        await db.close();
      }
      async function status(q: Database) {
        return (await backgroundMigrations(q)).find((m) => m.name === 'resource_sizes')!;
      }
    },
    120_000,
  );
});

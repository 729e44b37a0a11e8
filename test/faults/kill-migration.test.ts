// kill -9 during a schema upgrade, on both engines. A database as the previous
// release left it (every migration but the newest), holding drafts, proposals
// and published revisions, is opened by a child process, which migrates it,
// and is killed at moments spread from before the migration to after it.
// After every kill the database is at the old version or the new one, never
// between (each migration is one transaction with its schema_migrations row),
// amcheck is clean, and every byte of every revision is what it was.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedRevisions } from '../support/seed-revisions.ts';
import type { Database } from '../../src-main/db/database.ts';
import { loadMigrations } from '../../src-main/db/migrate.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';
import { amcheckProblems } from '../support/integrity.ts';
import { startChild } from './killable-child.ts';

describe.each(testEngines())('kill -9 during a migration on $kind', (engine) => {
  useTestEngine(engine);

  it('leaves the old schema or the new one, and every revision byte for byte', async () => {
    const all = loadMigrations();
    const previous = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-previous-migrations-'));
    for (const m of all.slice(0, -1)) fs.writeFileSync(path.join(previous, m.file), m.sql);
    const newest = all.at(-1)!.version;

    /** Opened with the previous release's migrations, this release's ('current'), or none at all ('as-is'). */
    const withDb = async <T>(fn: (db: Database) => Promise<T>, how: 'previous' | 'current' | 'as-is' = 'previous'): Promise<T> => {
      const db = how === 'as-is' ? await engine.openRaw() : await engine.open(how === 'previous' ? { migrationsDir: previous } : {});
      try {
        return await fn(db);
      } finally {
        await db.close();
      }
    };
    // What must survive: a digest of every revision's row and files.
    const digest = (db: Database) =>
      db
        .query<{ d: string }>(
          `SELECT md5(string_agg(pr.name || ':' || pr.lifecycle || ':' || pr.revision || ':' || coalesce(f.files, ''), ',' ORDER BY pr.name)) AS d
             FROM package_revisions pr
             LEFT JOIN LATERAL (SELECT string_agg(r.path || '=' || md5(r.content), ';' ORDER BY r.path) AS files FROM resources r
                                 WHERE r.repository_id = pr.repository_id AND r.package_revision_id = pr.id) f ON true`,
        )
        .then((r) => r.rows[0]!.d);
    const versions = (db: Database) =>
      db.query<{ v: number }>('SELECT version AS v FROM schema_migrations ORDER BY version').then((r) => r.rows.map((x) => Number(x.v)));

    const before = await withDb(async (db) => {
      // Enough rows that the newest migration (which validates a foreign key over them) takes a while.
      await seedRevisions(db, { namespace: 'upgrade', repositories: 40, revisionsPerRepository: 200, resourcesPerRevision: 3, analyze: 'none' });
      return digest(db);
    });

    const ended: string[] = [];
    for (const delayMs of [0, 40, 120, 300, 700, 1500]) {
      const child = startChild({ mode: 'migrate', db: engine.target });
      await child.waitFor('opening');
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      // The child may finish on its own just before the signal lands: either end is fine, a failure is not.
      child.process.kill('SIGKILL');
      const end = await child.exited;
      expect(end.signal === 'SIGKILL' || end.code === 0, `child ended with ${end.signal ?? end.code}: ${end.stderr}`).toBe(true);
      expect(await amcheckProblems(engine), `killed ${delayMs} ms after opening`).toEqual([]);
      // Read without migrating: what the kill left.
      const state = await withDb(async (db) => ({ versions: await versions(db), digest: await digest(db) }), 'as-is');
      expect(state.digest, `killed ${delayMs} ms after opening`).toBe(before);
      const old = all.slice(0, -1).map((m) => m.version);
      expect([old, [...old, newest]], `killed ${delayMs} ms after opening`).toContainEqual(state.versions);
      ended.push(state.versions.includes(newest) ? 'new' : 'old');
      // Once a child got through, the upgrade is done: later kills would test nothing new.
      if (state.versions.includes(newest)) break;
    }
    // At least one kill landed before the migration committed.
    expect(ended).toContain('old');
    // And the upgrade finishes, with every revision as it was.
    await withDb(async (db) => {
      expect(await versions(db)).toEqual(all.map((m) => m.version));
      expect(await digest(db)).toBe(before);
    }, 'current');
  });
});

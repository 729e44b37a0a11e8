// Deletes what was marked pending_destruction, in bounded batches, each inside
// one partition: unregistered repositories (their revisions, packages, local
// clone) and revisions sync found gone from Git. It asks cheaply first whether
// there is anything to do.
import fs from 'node:fs';
import type { Database } from '../db/database.ts';

export interface CleanupResult {
  revisionsDeleted: number;
  repositoriesDeleted: number;
}

export interface CleanupOptions {
  batchSize?: number;
  /** Only this repository's revisions (after its sync); unregistered repositories are always included. */
  repositoryId?: number;
  /** Local clone directory of a repository id, removed with the repository. */
  cloneDirFor?: (repositoryId: number) => string;
}

async function deleteRevisionBatches(db: Database, repositoryId: number, onlyPending: boolean, batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const res = await db.transaction((tx) =>
      tx.query(
        `DELETE FROM package_revisions p USING (
            SELECT id FROM package_revisions
             WHERE repository_id = $1 ${onlyPending ? `AND status = 'pending_destruction'` : ''}
             ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED) c
          WHERE p.repository_id = $1 AND p.id = c.id`,
        [repositoryId, batchSize],
      ),
    );
    total += res.affectedRows;
    if (res.affectedRows < batchSize) return total;
  }
}

/** PGlite: a VACUUM costs a pass over the tables; worth it once enough rows died. */
const VACUUM_AFTER_ROWS = 500;

export async function runCleanup(db: Database, opts: CleanupOptions = {}): Promise<CleanupResult> {
  const batchSize = opts.batchSize ?? 500;
  const result: CleanupResult = { revisionsDeleted: 0, repositoriesDeleted: 0 };

  const repos = await db.query<{ id: number }>(`SELECT id FROM repositories WHERE status = 'pending_destruction' ORDER BY id`);
  for (const { id } of repos.rows) {
    result.revisionsDeleted += await deleteRevisionBatches(db, id, false, batchSize);
    await db.transaction(async (tx) => {
      await tx.query(`DELETE FROM packages WHERE repository_id = $1`, [id]);
      await tx.query(`DELETE FROM repositories WHERE id = $1 AND status = 'pending_destruction'`, [id]);
    });
    if (opts.cloneDirFor) await fs.promises.rm(opts.cloneDirFor(id), { recursive: true, force: true });
    result.repositoriesDeleted++;
  }

  // Which repositories have revisions to delete: the partial status index makes this cheap.
  const pending =
    opts.repositoryId !== undefined
      ? { rows: [{ repository_id: opts.repositoryId }] }
      : await db.query<{ repository_id: number }>(`SELECT DISTINCT repository_id FROM package_revisions WHERE status = 'pending_destruction'`);
  for (const { repository_id } of pending.rows) {
    result.revisionsDeleted += await deleteRevisionBatches(db, repository_id, true, batchSize);
  }
  if (db.kind === 'pglite' && result.revisionsDeleted >= VACUUM_AFTER_ROWS) {
    // PGlite never autovacuums: without this, deleted rows stay on disk for ever.
    await db.exec('VACUUM ANALYZE package_revisions, resources, packages');
  }
  return result;
}

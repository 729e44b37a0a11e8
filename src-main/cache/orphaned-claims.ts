// Rows a cleanup worker claimed ('processing') and never deleted because its
// process was killed. On a shared PostgreSQL another live worker may hold
// them, so they wait out the worker's reclaim delay (10 minutes). On PGlite
// the directory lock means no other process can have claimed anything: every
// claim found when this process starts is orphaned, and is pending again at
// once, so a cleanup cut short by kill -9 finishes on the next run.
import type { Database } from '../db/database.ts';
import type { CleanupTable } from './cleanup-worker.ts';

const TABLES: CleanupTable[] = ['resources', 'package_revisions', 'repositories'];

export async function releaseOrphanedClaims(db: Database): Promise<number> {
  if (db.kind !== 'pglite') return 0;
  let released = 0;
  for (const table of TABLES) {
    const res = await db.query(`UPDATE ${table} SET status = 'pending_destruction', claimed_at = NULL WHERE status = 'processing'`);
    released += res.affectedRows ?? 0;
  }
  return released;
}

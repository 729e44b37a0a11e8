// Deleting what unregistering, deleting and cleanup policies marked. With
// the background work running, its worker deletes (the caller does not wait
// for a big repository to go); a one-shot command deletes before it exits.
import { runCleanup, type CleanupResult } from '../cache/cleanup-worker.ts';
import { releaseOrphanedClaims } from '../cache/orphaned-claims.ts';
import { cloneDirFor } from '../cache/sync.ts';
import type { ServiceContext } from './context.ts';

/** Once per process, before the first cleanup (orphaned-claims.ts). */
export function releaseOrphans(ctx: ServiceContext): Promise<number> {
  ctx.orphansReleased ??= releaseOrphanedClaims(ctx.db);
  return ctx.orphansReleased;
}

/**
 * Deletes marked rows now; `repositoryId` limits the revision pass to one
 * partition. Without background work there is no PGlite upkeep, so this vacuums too.
 */
export async function cleanupNow(ctx: ServiceContext, repositoryId?: number): Promise<CleanupResult> {
  await releaseOrphans(ctx);
  return runCleanup(ctx.db, { repositoryId, cloneDirFor: (id) => cloneDirFor(ctx.git.clonesDir, id), vacuum: !ctx.background });
}

/** After marking rows: the background worker deletes them, or this does, now. */
export async function destroyMarked(ctx: ServiceContext, repositoryId?: number): Promise<void> {
  if (ctx.background) ctx.background.kickCleanup();
  else await cleanupNow(ctx, repositoryId);
}

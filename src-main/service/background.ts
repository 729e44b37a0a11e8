// The work a long-lived host (the service worker behind the window and
// browser mode, a headless service) does on its own: scheduled syncs, the
// cleanup worker, PGlite's upkeep, background migrations, the approval queue
// and the last-read times. A one-shot command never starts it.
import type { SyncStats } from '../../src-shared/domain.ts';
import { isPorchlightError, notFound } from '../../src-shared/errors.ts';
import { CleanupWorker } from '../cache/cleanup-worker.ts';
import { PgliteUpkeep } from '../cache/pglite-upkeep.ts';
import { findRepository, listRepositories, toRepository } from '../cache/repository-store.ts';
import { SyncManager, type SyncTarget } from '../cache/sync-manager.ts';
import { cloneDirFor, syncRepository } from '../cache/sync.ts';
import { BackgroundMigrationRunner } from '../db/background-migrations.ts';
import { cleanupNow, releaseOrphans } from './cleanup.ts';
import { progressTo, type ServiceContext } from './context.ts';
import { drainApprovalQueue } from './operations/approvals.ts';
import { runCleanupPolicies } from './operations/cache.ts';
import { syncTargetOf } from './sync-targets.ts';

/** How often queued approvals are tried again. */
const APPROVAL_RETRY_MS = 10_000;
/** How often last-read times are written (and the policy clock looked at). */
const HOUSEKEEPING_MS = 60_000;
/** How often the cleanup worker looks for marked rows (it is also kicked after each destroy). */
const CLEANUP_EVERY_MS = 60_000;
/** How often cleanup policies run. */
const POLICY_EVERY_MS = 3_600_000;

export interface Background {
  readonly syncManager: SyncManager;
  stop(): Promise<void>;
}

export async function startBackground(ctx: ServiceContext): Promise<Background> {
  const log = ctx.log;
  const upkeep = new PgliteUpkeep(ctx.db, {
    onResult: (r) => {
      if (r.failed.length) log?.('database upkeep failed', { failed: r.failed.map((f) => `${f.step.action} ${f.step.table}: ${f.error}`) });
      else log?.('database upkeep', { done: r.done.map((d) => `${d.action} ${d.table}`), interrupted: r.interrupted });
    },
  });
  const migrations = new BackgroundMigrationRunner(ctx.db, {
    onProgress: (s) => {
      if (s.status === 'finished')
        ctx.emit({
          type: 'notification',
          level: 'info',
          source: 'migration',
          subject: s.name,
          message: `background migration finished: ${s.description} (${s.rowsDone} rows)`,
        });
    },
    onError: (e) => log?.('background migration failed', { error: e instanceof Error ? e.message : String(e) }),
  });
  const cleanupWorker = new CleanupWorker(ctx.db, {
    // The upkeep vacuums what the worker deleted, once no read is waiting.
    vacuum: false,
    cloneDirFor: (id) => cloneDirFor(ctx.git.clonesDir, id),
    onResult: (r) => {
      if (!r.ok) log?.('cleanup failed', { error: r.error instanceof Error ? r.error.message : String(r.error) });
      else if (r.result.errors.length) {
        log?.('cleanup left rows in error', { errors: r.result.errors.length });
        ctx.emit({
          type: 'notification',
          level: 'error',
          source: 'cleanup',
          subject: 'cleanup',
          message: `cleanup could not delete some rows: ${r.result.errors[0]!.reason}`,
        });
      }
    },
  });
  const told = new Map<number, string>();
  const syncManager = new SyncManager({
    list: async () => (await listRepositories(ctx.db, undefined)).map(syncTargetOf),
    sync: async (t) => {
      const row = await findRepository(ctx.db, t.namespace, t.name);
      if (!row || row.id !== t.id) throw notFound(`repository ${t.namespace}/${t.name} is gone`);
      const stats = await syncRepository(ctx.git, row, { onProgress: progressTo(ctx, 'sync', t.name) });
      await cleanupNow(ctx, row.id);
      return stats;
    },
    onResult: (t, r) => {
      log?.(r instanceof Error ? 'background sync failed' : 'background sync', {
        repository: `${t.namespace}/${t.name}`,
        ...(r instanceof Error ? { error: r.message } : r),
      });
      void backgroundSyncFinished(ctx, told, t, r);
    },
  });

  ctx.background = { schedule: (t) => syncManager.schedule(t), cancel: (id) => syncManager.cancel(id), kickCleanup: () => cleanupWorker.kick() };
  // Syncs resume on their own after a restart.
  await syncManager.start();
  await releaseOrphans(ctx);
  cleanupWorker.start(CLEANUP_EVERY_MS);
  migrations.start();
  upkeep.start();
  // Queued approvals go out by themselves once Git answers.
  const queueTimer = setInterval(() => void drainApprovalQueue(ctx).catch(() => {}), APPROVAL_RETRY_MS);
  queueTimer.unref();
  // Last-read times go out now and then; cleanup policies run hourly.
  let lastPolicyRun = 0;
  const housekeeping = async () => {
    await ctx.reads.flush(ctx.db);
    if (Date.now() - lastPolicyRun < POLICY_EVERY_MS) return;
    lastPolicyRun = Date.now();
    await runCleanupPolicies(ctx, undefined);
  };
  const housekeepingTimer = setInterval(() => void housekeeping().catch(() => {}), HOUSEKEEPING_MS);
  housekeepingTimer.unref();

  return {
    syncManager,
    async stop() {
      clearInterval(queueTimer);
      clearInterval(housekeepingTimer);
      ctx.background = undefined;
      syncManager.stop();
      await cleanupWorker.stop();
      await upkeep.stop();
      await migrations.stop();
    },
  };
}

/** A background sync's outcome, told once: a failure is not repeated every interval, and the recovery is told too. */
async function backgroundSyncFinished(ctx: ServiceContext, told: Map<number, string>, t: SyncTarget, r: SyncStats | Error): Promise<void> {
  const repository = await findRepository(ctx.db, t.namespace, t.name).catch(() => undefined);
  if (repository?.id === t.id) ctx.emit({ type: 'repository.status', repository: toRepository(repository) });
  const failed = told.get(t.id);
  if (r instanceof Error) {
    if (isPorchlightError(r) && r.code === 'UNAVAILABLE') ctx.emit({ type: 'git.reachable', reachable: false });
    if (failed === r.message) return;
    told.set(t.id, r.message);
    ctx.emit({ type: 'notification', level: 'error', source: 'sync', subject: t.name, message: `background sync of ${t.name} failed: ${r.message}` });
    return;
  }
  told.delete(t.id);
  ctx.emit({ type: 'git.reachable', reachable: true });
  const changed = r.externalOnly + r.cachedOnly;
  if (changed || failed !== undefined) {
    ctx.emit({
      type: 'notification',
      level: 'info',
      source: 'sync',
      subject: t.name,
      message: `${t.name} synced${failed !== undefined ? ' again' : ''}: ${r.externalOnly} new, ${r.cachedOnly} removed package revisions`,
    });
  }
  if (changed) ctx.emit({ type: 'revision.changed', name: '', namespace: t.namespace });
}

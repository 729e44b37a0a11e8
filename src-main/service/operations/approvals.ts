// Approvals that wait for Git: kept on the proposal in the database, so they
// survive a restart and any door can see or cancel them. The queue goes out
// on request (approvals.retry) or by itself in a long-lived host (background.ts).
import type { QueuedApprovalView } from '../../../src-shared/contract.ts';
import { failedPrecondition, PorchlightError } from '../../../src-shared/errors.ts';
import { listQueuedApprovals, setQueuedApproval, type QueuedApprovalRow } from '../../cache/lifecycle-store.ts';
import type { ServiceContext } from '../context.ts';
import { assertPublishable, requireLiveRevision } from '../lifecycle.ts';
import { changeLifecycle } from './lifecycle.ts';
import type { Operations } from './operation.ts';

const view = (q: QueuedApprovalRow): QueuedApprovalView => ({
  namespace: q.namespace,
  name: q.name,
  since: q.since,
  by: q.by,
  ...(q.lastError ? { lastError: q.lastError } : {}),
});

const queued = async (ctx: ServiceContext, namespace: string | undefined) => (await listQueuedApprovals(ctx.db, namespace)).map(view);

/**
 * Tries every queued approval: approved ones leave the queue, ones Git
 * still cannot be reached for stay, and ones Git or a rule refused stay
 * with the reason until someone cancels them.
 */
export async function drainApprovalQueue(ctx: ServiceContext): Promise<{ approved: string[]; waiting: string[] }> {
  const approved: string[] = [];
  const waiting: string[] = [];
  for (const q of await listQueuedApprovals(ctx.db)) {
    if (q.lastError && !q.lastError.startsWith('UNAVAILABLE')) {
      waiting.push(q.name);
      continue;
    }
    try {
      await changeLifecycle(ctx, { namespace: q.namespace, name: q.name, verb: 'approve' });
      await setQueuedApproval(ctx.db, q, undefined);
      approved.push(q.name);
      ctx.emit({ type: 'git.reachable', reachable: true });
      ctx.emit({ type: 'revision.changed', name: q.name, namespace: q.namespace });
      ctx.emit({
        type: 'notification',
        level: 'info',
        source: 'approval',
        subject: q.name,
        message: `${q.name} approved: it waited in the queue until Git answered`,
      });
    } catch (e) {
      const err = e instanceof PorchlightError ? e : new PorchlightError('INTERNAL', String(e));
      await setQueuedApproval(ctx.db, q, { since: q.since, by: q.by, lastError: `${err.code}: ${err.message}` });
      waiting.push(q.name);
      // Git still away: that is what the queue is for, and the banner says it. Anything else stops the approval until someone looks.
      if (err.code === 'UNAVAILABLE') ctx.emit({ type: 'git.reachable', reachable: false });
      else
        ctx.emit({
          type: 'notification',
          level: 'error',
          source: 'approval',
          subject: q.name,
          message: `the queued approval of ${q.name} failed: ${err.message}; it stays in the queue until you cancel it`,
        });
    }
  }
  return { approved, waiting };
}

export const approvalOperations: Operations<'approvals.list' | 'approvals.enqueue' | 'approvals.cancel' | 'approvals.retry'> = {
  'approvals.list': (ctx, r) => queued(ctx, r.allNamespaces ? undefined : r.namespace),

  /** An approval to make when Git answers again. */
  'approvals.enqueue': async (ctx, r) => {
    const rev = await requireLiveRevision(ctx.db, r.namespace, r.name);
    if (rev.lifecycle !== 'Proposed') throw failedPrecondition(`only a Proposed revision can wait for approval; ${r.name} is ${rev.lifecycle}`);
    await assertPublishable(ctx.db, rev, 'approve');
    await setQueuedApproval(ctx.db, rev, { since: new Date().toISOString(), by: ctx.updatedBy });
    return queued(ctx, r.namespace);
  },

  'approvals.cancel': async (ctx, r) => {
    const rev = await requireLiveRevision(ctx.db, r.namespace, r.name);
    await setQueuedApproval(ctx.db, rev, undefined);
    return queued(ctx, r.namespace);
  },

  'approvals.retry': (ctx) => drainApprovalQueue(ctx),
};

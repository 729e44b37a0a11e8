// porchctl's lifecycle verbs. propose, reject, propose-delete and deleting
// drafts touch only the database, as in Porch's DB cache; approving a
// proposal and deleting a published revision write to Git first (approval.ts).
import type { LifecycleOutcome, LifecycleVerb } from '../../../src-shared/contract.ts';
import { unmetReadinessGates } from '../../../src-shared/domain.ts';
import { failedPrecondition } from '../../../src-shared/errors.ts';
import { approveRevision, deletePublishedRevision } from '../../cache/approval.ts';
import { destroyMarked } from '../cleanup.ts';
import { progressTo, type ServiceContext } from '../context.ts';
import { applyLifecycleVerb, assertDeletable, assertPublishable, requireLiveRevision } from '../lifecycle.ts';
import { getRevision, repositoryOf } from '../lookups.ts';
import type { Operations } from './operation.ts';

export async function changeLifecycle(ctx: ServiceContext, r: { namespace: string; name: string; verb: LifecycleVerb }): Promise<LifecycleOutcome> {
  const rev = await requireLiveRevision(ctx.db, r.namespace, r.name);
  await assertPublishable(ctx.db, rev, r.verb);
  if (r.verb === 'approve') {
    const pr = await getRevision(ctx, r.namespace, r.name);
    const unmet = unmetReadinessGates(pr.spec.readinessGates ?? [], pr.status.conditions ?? []);
    if (unmet.length) throw failedPrecondition('readiness conditions not met', { name: r.name, unmet });
    if (rev.lifecycle === 'Proposed') {
      await approveRevision(ctx.git, await repositoryOf(ctx, rev.repository_id), r.name, progressTo(ctx, 'publish', r.name));
      return 'approved';
    }
  }
  if (r.verb === 'delete' && rev.lifecycle === 'DeletionProposed') {
    await assertDeletable(ctx.db, rev, r.namespace, r.name);
    await deletePublishedRevision(ctx.git, await repositoryOf(ctx, rev.repository_id), r.name);
    await destroyMarked(ctx, rev.repository_id);
    return 'deleted';
  }
  const outcome = await applyLifecycleVerb(ctx.db, r.verb, r.namespace, r.name, ctx.updatedBy, rev);
  if (outcome === 'deleted') await destroyMarked(ctx, rev.repository_id);
  return outcome;
}

export const lifecycleOperations: Operations<'revisions.lifecycle'> = {
  'revisions.lifecycle': async (ctx, r) => {
    const outcome = await changeLifecycle(ctx, r);
    ctx.emit({ type: 'revision.changed', name: r.name, namespace: r.namespace });
    const revision = outcome === 'deleted' ? undefined : await getRevision(ctx, r.namespace, r.name);
    return { outcome, ...(revision ? { revision } : {}) };
  },
};

// Porch's lifecycle verbs over the database: propose, reject, propose-delete,
// and deleting drafts and proposals. Messages are Porch's, so porchctl scripts
// and people who know Porch read them the same way.
import type { Database } from '../db/database.ts';
import { failedPrecondition, notFound, PorchlightError } from '../../src-shared/errors.ts';
import { findDownstreamOf, findLiveRevision, markUnpublishedForDestruction, moveLifecycle, type LiveRevision } from '../cache/lifecycle-store.ts';
import { readResources } from '../cache/revision-store.ts';
import { checkPackageBytes, packageProblemsMessage } from '../../src-shared/package-check.ts';
import type { LifecycleOutcome, LifecycleVerb } from '../../src-shared/views.ts';

export type { LifecycleOutcome, LifecycleVerb };

function conflict(name: string): PorchlightError {
  return new PorchlightError(
    'CONFLICT',
    `Operation cannot be fulfilled on packagerevisions.porch.kpt.dev "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name },
  );
}

export async function requireLiveRevision(db: Database, namespace: string, name: string): Promise<LiveRevision> {
  const rev = await findLiveRevision(db, namespace, name);
  if (!rev) throw notFound(`the server could not find the requested resource (get packagerevisions.porch.kpt.dev ${name})`, { name });
  return rev;
}

/**
 * Porch's rules for deleting, in its order: a published revision must be
 * proposed for deletion first, and no revision another one was cloned or
 * upgraded from may go.
 */
export async function assertDeletable(db: Database, rev: Pick<LiveRevision, 'lifecycle'>, namespace: string, name: string): Promise<void> {
  if (rev.lifecycle === 'Published') {
    throw failedPrecondition(
      `packagerevisions.porch.kpt.dev "${name}" is forbidden: published PackageRevisions must be proposed for deletion by setting spec.lifecycle to 'DeletionProposed' prior to deletion`,
    );
  }
  const downstream = await findDownstreamOf(db, namespace, name);
  if (downstream) {
    throw failedPrecondition(
      `packagerevisions.porch.kpt.dev "${name}" is forbidden: cannot delete package revision, it is referenced as upstream by: ${downstream}`,
      { downstream },
    );
  }
}

/**
 * What is proposed or published must be a package kpt can read
 * (src-shared/package-check.ts); saving a broken draft stays allowed. Every
 * door, and the approval queue, comes through here.
 */
export async function assertPublishable(db: Database, rev: LiveRevision, verb: LifecycleVerb): Promise<void> {
  const publishing = (verb === 'propose' && rev.lifecycle === 'Draft') || (verb === 'approve' && rev.lifecycle === 'Proposed');
  if (!publishing) return;
  const problems = checkPackageBytes(await readResources(db, rev.repository_id, rev.id));
  if (problems.length) {
    throw failedPrecondition(packageProblemsMessage(verb, rev.name, problems), {
      name: rev.name,
      problems: problems.map((p) => ({ path: p.path, line: p.line, message: p.message })),
    });
  }
}

export async function applyLifecycleVerb(
  db: Database,
  verb: LifecycleVerb,
  namespace: string,
  name: string,
  by: string,
  found?: LiveRevision,
): Promise<LifecycleOutcome> {
  const rev = found ?? (await requireLiveRevision(db, namespace, name));
  const move = async (from: LiveRevision['lifecycle'], to: LiveRevision['lifecycle']) => {
    if (!(await moveLifecycle(db, rev, from, to, by))) throw conflict(name);
  };
  switch (verb) {
    case 'propose':
      if (rev.lifecycle === 'Proposed') return 'proposed';
      if (rev.lifecycle !== 'Draft') throw failedPrecondition(`cannot propose ${name} with lifecycle '${rev.lifecycle}'`);
      await move('Draft', 'Proposed');
      return 'proposed';
    case 'reject':
      if (rev.lifecycle === 'Proposed') {
        await move('Proposed', 'Draft');
        return 'no longer proposed for approval';
      }
      if (rev.lifecycle === 'DeletionProposed') {
        await move('DeletionProposed', 'Published');
        return 'no longer proposed for deletion';
      }
      throw failedPrecondition(`cannot reject ${name} with lifecycle '${rev.lifecycle}'`);
    case 'propose-delete':
      if (rev.lifecycle === 'DeletionProposed') return 'is already proposed for deletion';
      if (rev.lifecycle !== 'Published') {
        throw failedPrecondition(`can only propose published packages for deletion; package ${name} is not published`);
      }
      await move('Published', 'DeletionProposed');
      return 'proposed for deletion';
    case 'delete':
      await assertDeletable(db, rev, namespace, name);
      // A revision proposed for deletion leaves Git first: the service does that (approval.ts).
      if (rev.lifecycle === 'DeletionProposed') throw new PorchlightError('INTERNAL', `deleting ${name} needs Git; the service handles it`);
      if (!(await markUnpublishedForDestruction(db, rev))) throw conflict(name);
      return 'deleted';
    case 'approve':
      // Proposed -> Published writes to Git (approval.ts); the rest is porchctl's approval rule.
      if (rev.lifecycle === 'Published') return 'approved';
      if (rev.lifecycle === 'DeletionProposed') {
        await move('DeletionProposed', 'Published');
        return 'approved';
      }
      throw failedPrecondition(`cannot change approval from ${rev.lifecycle} to Published`, { name, lifecycle: rev.lifecycle });
  }
}

// Porch's lifecycle verbs over the database: propose, reject, propose-delete,
// and deleting drafts and proposals. Messages are Porch's, so porchctl scripts
// and people who know Porch read them the same way.
import type { Database } from '../db/database.ts';
import { failedPrecondition, notFound, PorchlightError } from '../../src-shared/errors.ts';
import { findLiveRevision, markUnpublishedForDestruction, moveLifecycle, type LiveRevision } from '../cache/lifecycle-store.ts';

export type LifecycleVerb = 'propose' | 'reject' | 'propose-delete' | 'delete';

/** What the CLI prints on success, after the revision name. */
export type LifecycleOutcome = 'proposed' | 'no longer proposed for approval' | 'no longer proposed for deletion' | 'proposed for deletion' | 'deleted';

function conflict(name: string): PorchlightError {
  return new PorchlightError(
    'CONFLICT',
    `Operation cannot be fulfilled on packagerevisions.porch.kpt.dev "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name },
  );
}

async function require(db: Database, namespace: string, name: string): Promise<LiveRevision> {
  const rev = await findLiveRevision(db, namespace, name);
  if (!rev) throw notFound(`the server could not find the requested resource (get packagerevisions.porch.kpt.dev ${name})`, { name });
  return rev;
}

export async function applyLifecycleVerb(db: Database, verb: LifecycleVerb, namespace: string, name: string, by: string): Promise<LifecycleOutcome> {
  const rev = await require(db, namespace, name);
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
      if (rev.lifecycle !== 'Published') {
        throw failedPrecondition(`can only propose published packages for deletion; package ${name} is not published`);
      }
      await move('Published', 'DeletionProposed');
      return 'proposed for deletion';
    case 'delete':
      if (rev.lifecycle === 'Published') {
        throw failedPrecondition(
          `packagerevisions.porch.kpt.dev "${name}" is forbidden: published PackageRevisions must be proposed for deletion by setting spec.lifecycle to 'DeletionProposed' prior to deletion`,
        );
      }
      if (rev.lifecycle === 'DeletionProposed') {
        // Deleting a published revision removes its tag from Git: that is the
        // approval side of the workflow (issue 4), not done yet, so say so.
        throw failedPrecondition(`deleting published revision ${name} removes its tag from Git, which Porchlight cannot do yet; reject the deletion proposal to keep it`);
      }
      if (!(await markUnpublishedForDestruction(db, rev))) throw conflict(name);
      return 'deleted';
  }
}

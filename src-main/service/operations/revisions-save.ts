// Writing a draft's files (Porch's PackageRevisionResources update): an
// editor's save (some files written, some removed) or a push of the whole
// package, which is rendered as Porch renders after every push. Only Drafts
// accept resources, and the resource version the caller last read must still
// be current, or nothing is written.
import type { ResourceFile } from '../../../src-shared/domain.ts';
import { failedPrecondition, invalidArgument, PorchlightError } from '../../../src-shared/errors.ts';
import { writeDraftResources } from '../../cache/draft-store.ts';
import type { ServiceContext } from '../context.ts';
import { render } from '../kpt-files.ts';
import { requireLiveRevision } from '../lifecycle.ts';
import { getRevision } from '../lookups.ts';
import { fromWire } from '../wire-files.ts';
import type { Operations } from './operation.ts';

type Write = { files: ResourceFile[]; remove: string[]; replaceAll: boolean };

async function writeResources(ctx: ServiceContext, r: { namespace: string; name: string; resourceVersion: string }, write: () => Write) {
  const rev = await requireLiveRevision(ctx.db, r.namespace, r.name);
  if (rev.lifecycle !== 'Draft') {
    throw failedPrecondition(`cannot update resources of ${r.name}: only Draft package revisions can be modified, and it is ${rev.lifecycle}`, {
      name: r.name,
      lifecycle: rev.lifecycle,
    });
  }
  const expected = Number(r.resourceVersion);
  if (!Number.isSafeInteger(expected))
    throw invalidArgument(`resourceVersion "${r.resourceVersion}" is not one Porchlight gave out; pull the package revision again`);
  const { files, remove, replaceAll } = write();
  const stale = new PorchlightError(
    'CONFLICT',
    `Operation cannot be fulfilled on packagerevisionresources.porch.kpt.dev "${r.name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name: r.name },
  );
  if (expected !== rev.resource_version) throw stale;
  const written = await ctx.db.transaction((tx) => writeDraftResources(tx, rev, expected, { files, remove, replaceAll, updatedBy: ctx.updatedBy }));
  if (written === undefined) throw stale;
  const revision = await getRevision(ctx, r.namespace, r.name);
  ctx.emit({ type: 'revision.changed', name: r.name, namespace: r.namespace });
  return revision;
}

export const revisionSaveOperations: Operations<'revisions.save' | 'revisions.push'> = {
  // An editor saving one file: stored as it is, not rendered.
  'revisions.save': (ctx, r) => writeResources(ctx, r, () => ({ files: r.files.map(fromWire), remove: r.remove, replaceAll: false })),

  'revisions.push': async (ctx, r) => {
    let outcome: ReturnType<typeof render> | undefined;
    const revision = await writeResources(ctx, r, () => {
      const files = r.files.map(fromWire);
      if (!files.some((f) => f.path === 'Kptfile')) throw invalidArgument(`the package must contain a Kptfile at its root; ${r.name} was not changed`);
      outcome = render(files);
      return { files: outcome.files, remove: [], replaceAll: true };
    });
    return { revision, render: { ...(outcome!.error ? { error: outcome!.error } : {}), results: outcome!.results } };
  },
};

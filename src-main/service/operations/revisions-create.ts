// New drafts, in the database only (Porch's tasks): init, clone (from a
// registered revision, a catalog or any Git repository), copy (edit) and
// upgrade, and the discovery of what can be upgraded.
import { failedPrecondition, notFound } from '../../../src-shared/errors.ts';
import { toPackageRevision } from '../../cache/revision-store.ts';
import { addMergeKeys, render, withDeploymentContext, withUpstream } from '../kpt-files.ts';
import type { ServiceContext } from '../context.ts';
import { requireRepository, findRevisionRow, getRevision, repositoryOf } from '../lookups.ts';
import { createDraft } from '../package-create.ts';
import { initPackageFiles } from '../package-init.ts';
import { discoverDownstream, discoverUpstream, planUpgrade, threePackages, upgradeTask } from '../package-upgrade.ts';
import { derivableFilesOf } from '../revision-files.ts';
import { upgradeFiles } from '../upgrade/strategies.ts';
import { gitUpstream, registeredUpstream } from '../upstreams.ts';
import type { Operations } from './operation.ts';

type Channels = 'revisions.init' | 'revisions.clone' | 'revisions.copy' | 'revisions.upgrade' | 'revisions.discoverUpgrades';

/** The new draft, told to every door. */
async function created(ctx: ServiceContext, namespace: string, name: string) {
  const revision = await getRevision(ctx, namespace, name);
  ctx.emit({ type: 'revision.changed', name, namespace });
  return revision;
}

export const revisionCreateOperations: Operations<Channels> = {
  /** A new package as a Draft (Porch's init task); no Git traffic. */
  'revisions.init': async (ctx, r) => {
    const repo = await requireRepository(ctx, r.namespace, r.repository);
    const leaf = r.name.split('/').pop()!;
    const name = await createDraft(ctx.db, repo, {
      kind: 'init',
      packagePath: r.name,
      workspace: r.workspace,
      task: {
        type: 'init',
        init: {
          ...(r.description ? { description: r.description } : {}),
          ...(r.keywords ? { keywords: r.keywords } : {}),
          ...(r.site ? { site: r.site } : {}),
        },
      },
      files: initPackageFiles({ name: leaf, description: r.description, keywords: r.keywords, site: r.site }),
      updatedBy: ctx.updatedBy,
    });
    return created(ctx, r.namespace, name);
  },

  /** A new package from an upstream (Porch's clone task); the Kptfile records upstream and upstreamLock as kpt writes them. */
  'revisions.clone': async (ctx, r) => {
    const repo = await requireRepository(ctx, r.namespace, r.repository);
    const source = r.source;
    const upstream =
      source.kind === 'revision'
        ? await registeredUpstream(ctx, r.namespace, source.name)
        : source.kind === 'catalog'
          ? await registeredUpstream(
              ctx,
              r.namespace,
              (
                await ctx.call('catalogs.resolve', {
                  namespace: r.namespace,
                  catalog: source.catalog,
                  packagePath: source.packagePath,
                  revision: source.revision,
                })
              ).revisionName,
            )
          : await gitUpstream(ctx, r.namespace, source);
    const kptfile = upstream.files.find((f) => f.path === 'Kptfile');
    if (!kptfile) throw failedPrecondition(`the upstream package has no Kptfile at its root, so it cannot be cloned`);
    const leaf = r.name.split('/').pop()!;
    let files = upstream.files.map((f) => (f === kptfile ? withUpstream(kptfile, leaf, upstream.lock) : f));
    if (repo.deployment) files = withDeploymentContext(files, leaf, r.name);
    const name = await createDraft(ctx.db, repo, {
      kind: 'clone',
      packagePath: r.name,
      workspace: r.workspace,
      task: upstream.task,
      files: render(addMergeKeys(files)).files,
      updatedBy: ctx.updatedBy,
    });
    return created(ctx, r.namespace, name);
  },

  /** A new revision of a package from one of its published revisions (Porch's edit task, porchctl's copy). */
  'revisions.copy': async (ctx, r) => {
    const row = await findRevisionRow(ctx, r.namespace, r.source);
    if (!row)
      throw notFound(`failed to fetch package "${r.source}": package revision "${r.source}" not found in namespace "${r.namespace}"`, { name: r.source });
    if (row.revision === -1) throw failedPrecondition(`source revision may not be the placeholder package revision ${row.repository_name}/${r.source}`);
    if (row.lifecycle !== 'Published' && row.lifecycle !== 'DeletionProposed')
      throw failedPrecondition('source revision must be published', { lifecycle: row.lifecycle });
    const repo = await repositoryOf(ctx, row.repository_id);
    const name = await createDraft(ctx.db, repo, {
      kind: 'edit',
      packagePath: row.package_path,
      workspace: r.workspace,
      task: { type: 'edit', edit: { sourceRef: { name: r.source } } },
      files: render(await derivableFilesOf(ctx, row, 'copy')).files,
      updatedBy: ctx.updatedBy,
    });
    return created(ctx, r.namespace, name);
  },

  /**
   * A new draft that moves a cloned package to a newer upstream revision
   * (Porch's upgrade task), merged with the chosen strategy. The database
   * holds all three packages, so this works offline.
   */
  'revisions.upgrade': async (ctx, r) => {
    const plan = await planUpgrade(ctx.db, { namespace: r.namespace, source: r.source, revision: r.revision, strategy: r.strategy });
    const lock = toPackageRevision(plan.newUpstream).status.selfLock;
    if (!lock) throw failedPrecondition(`upstream revision ${plan.newUpstream.name} has no commit in Git to lock to`);
    const merged = upgradeFiles(plan.strategy, await threePackages(plan, (row) => derivableFilesOf(ctx, row, 'upgrade from')));
    const kptfile = merged.find((f) => f.path === 'Kptfile');
    if (!kptfile) throw failedPrecondition(`failed to apply upstream lock to package "${plan.local.package_path}": package is missing Kptfile`);
    const leaf = plan.local.package_path.split('/').pop()!;
    const files = render(addMergeKeys(merged.map((f) => (f === kptfile ? withUpstream(kptfile, leaf, lock) : f)))).files;
    const name = await createDraft(ctx.db, await repositoryOf(ctx, plan.local.repository_id), {
      kind: 'upgrade',
      packagePath: plan.local.package_path,
      workspace: r.workspace,
      task: upgradeTask(plan),
      files,
      updatedBy: ctx.updatedBy,
    });
    return created(ctx, r.namespace, name);
  },

  'revisions.discoverUpgrades': async (ctx, r) => {
    const namespace = r.allNamespaces ? undefined : r.namespace;
    return r.mode === 'upstream' ? discoverUpstream(ctx.db, namespace, r.names) : discoverDownstream(ctx.db, namespace, r.names);
  },
};

// Writes to packagerevisions through the service's operations, as Porch's
// registry does them: create by the first task (init, clone, edit = copy,
// upgrade), update of spec.lifecycle (propose, reject, propose-delete), the
// approval subresource (approve, reject), delete. Every check that can refuse
// runs before the first call, so a refused write changes nothing.
import type { Lifecycle, PackageRevision, Task } from '../../../../src-shared/domain.ts';
import { packageRevisionName } from '../../../../src-shared/names.ts';
import { isPorchlightError } from '../../../../src-shared/errors.ts';
import type { KubeObject } from '../change-feed.ts';
import { semanticallyEqual } from '../canonical.ts';
import { PROPOSED_CHANNELS, type ProposedChannel } from '../service-client.ts';
import { badRequest, conflictError, forbiddenError, invalidError, kubeError, notFoundError } from '../status.ts';
import { requestedMetadata, sameMap, type DeleteOptions, type DoorContext } from './handler.ts';
import { getRevision, REVISIONS } from './revision-read.ts';
import { LATEST_LABEL, lifecycleVerb, validateApproval, validateCreate, validateUpdate } from './porch-rules.ts';

const KIND = { group: 'porch.kpt.dev', kind: 'PackageRevision' };
const REPOSITORIES = { group: 'config.porch.kpt.dev', resource: 'repositories' };

type Spec = Partial<PackageRevision['spec']> & { parent?: { name?: string } };
type Body = KubeObject & { spec?: Spec };

/** Refuses up front when the write needs a channel the service does not have yet. */
function requireChannels(ctx: DoorContext, channels: ProposedChannel[]): void {
  const missing = channels.filter((c) => !ctx.service.has(c));
  if (missing.length) {
    throw kubeError(
      405,
      'MethodNotAllowed',
      `Porchlight's service cannot change ${missing.map((c) => PROPOSED_CHANNELS[c]).join(', nor ')} yet (no ${missing.map((c) => `"${c}"`).join(', ')} operation); nothing was changed`,
    );
  }
}

const withoutLatest = (labels: Record<string, string> | undefined) => Object.fromEntries(Object.entries(labels ?? {}).filter(([k]) => k !== LATEST_LABEL));

async function requireRepository(ctx: DoorContext, namespace: string, name: string): Promise<void> {
  try {
    await ctx.service.call('repositories.get', { namespace, name });
  } catch (e) {
    if (isPorchlightError(e) && e.code === 'NOT_FOUND') throw notFoundError(REPOSITORIES, name);
    throw e;
  }
}

/** The first task as a service call. */
async function createByTask(ctx: DoorContext, namespace: string, spec: Spec, task: Task): Promise<PackageRevision> {
  const repository = spec.repository!;
  const name = spec.packageName ?? '';
  const workspace = spec.workspaceName ?? '';
  switch (task.type) {
    case 'init': {
      const init = (task.init ?? {}) as { subpackage?: string; description?: string; keywords?: string[]; site?: string };
      if (init.subpackage) throw badRequest('init.subpackage is not supported by Porchlight: initialise the package itself, then add the subpackage as files');
      return ctx.service.call('revisions.init', {
        namespace,
        repository,
        name,
        workspace,
        ...(init.description !== undefined ? { description: init.description } : {}),
        ...(init.keywords ? { keywords: init.keywords } : {}),
        ...(init.site !== undefined ? { site: init.site } : {}),
      });
    }
    case 'clone': {
      const upstream = ((task.clone ?? {}) as { upstreamRef?: Record<string, unknown> }).upstreamRef ?? {};
      const ref = upstream.upstreamRef as { name?: string } | undefined;
      const git = upstream.git as { repo?: string; ref?: string; directory?: string; secretRef?: { name?: string } } | undefined;
      if (ref?.name) return ctx.service.call('revisions.clone', { namespace, repository, name, workspace, source: { kind: 'revision', name: ref.name } });
      if (!git)
        throw badRequest(
          'a clone task needs upstreamRef.upstreamRef.name (a registered package revision) or upstreamRef.git (repo, ref, directory); Porchlight cannot clone from OCI',
        );
      const secretName = git.secretRef?.name || undefined;
      const held = secretName ? ctx.stash.get(namespace, secretName)?.credentials : undefined;
      return ctx.service.call('revisions.clone', {
        namespace,
        repository,
        name,
        workspace,
        source: {
          kind: 'git',
          repo: git.repo ?? '',
          ref: git.ref ?? '',
          directory: git.directory ?? '/',
          ...(held ? { username: held.username, password: held.password } : secretName ? { secretRef: secretName } : {}),
        },
      });
    }
    case 'edit': {
      const source = ((task.edit ?? {}) as { sourceRef?: { name?: string } }).sourceRef?.name;
      if (!source) throw badRequest('an edit task creates a copy of a published revision: set edit.sourceRef.name');
      const from = (await getRevision(ctx, namespace, source)) as unknown as PackageRevision;
      if (from.spec.repository !== repository || from.spec.packageName !== name) {
        throw badRequest(
          `source revision ${source} is package "${from.spec.packageName}" in repository "${from.spec.repository}": a copy stays in its package; set spec.packageName and spec.repository to those`,
        );
      }
      return ctx.service.call('revisions.copy', { namespace, source, workspace });
    }
    case 'upgrade': {
      const u = (task.upgrade ?? {}) as { newUpstreamRef?: { name?: string }; localPackageRevisionRef?: { name?: string }; strategy?: string };
      const local = u.localPackageRevisionRef?.name;
      const target = u.newUpstreamRef?.name;
      if (!local || !target) throw badRequest('an upgrade task needs localPackageRevisionRef.name and newUpstreamRef.name');
      const newUpstream = (await getRevision(ctx, namespace, target)) as unknown as PackageRevision;
      return ctx.service.call('revisions.upgrade', {
        namespace,
        source: local,
        workspace,
        ...(newUpstream.spec.revision ? { revision: newUpstream.spec.revision } : {}),
        ...(u.strategy ? { strategy: u.strategy } : {}),
      });
    }
    default:
      throw badRequest(`a ${task.type || 'task without a type'} task cannot create a package revision; the first task must be init, clone, edit or upgrade`);
  }
}

export async function createRevision(ctx: DoorContext, namespace: string, body: Body): Promise<KubeObject> {
  if (body.metadata?.namespace && body.metadata.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const spec: Spec = { ...(body.spec ?? {}) };
  if (!spec.repository) throw badRequest('spec.repositoryName is required');
  const errors = validateCreate({ metadata: body.metadata ?? {}, spec: spec as PackageRevision['spec'] });
  if (errors.length) throw invalidError(KIND, body.metadata?.name ?? '', errors);
  const tasks = spec.tasks ?? [];
  if (tasks.length > 1) throw badRequest('task list must not contain more than one task');
  const { labels, annotations } = requestedMetadata(ctx, body.metadata);
  const needsMeta = Object.keys(labels).length > 0 || Object.keys(annotations).length > 0;
  const needsSpec = (spec.readinessGates?.length ?? 0) > 0 || !semanticallyEqual(spec.packageMetadata ?? {}, {});
  requireChannels(ctx, [...(needsMeta ? ['revisions.setMetadata' as const] : []), ...(needsSpec ? ['revisions.update' as const] : [])]);
  if (spec.parent?.name) ctx.warnings.push('spec.parent is deprecated in Porch and not used by Porchlight');
  await requireRepository(ctx, namespace, spec.repository);
  const expected = packageRevisionName(spec.repository, spec.packageName ?? '', spec.workspaceName ?? '');
  if (body.metadata?.name && body.metadata.name !== expected) {
    ctx.warnings.push(
      `metadata.name "${body.metadata.name}" is not used: a package revision is named <repository>.<package path>.<workspace>, here "${expected}"`,
    );
  }
  const task: Task = tasks[0] ?? { type: 'init', init: { description: `${spec.packageName} description` } };
  const created = await createByTask(ctx, namespace, spec, task);
  const name = created.metadata.name;
  if (needsSpec) {
    await ctx.service.callProposed('revisions.update', {
      namespace,
      name,
      resourceVersion: created.metadata.resourceVersion,
      readinessGates: spec.readinessGates,
      packageMetadata: spec.packageMetadata,
    });
  }
  if (needsMeta) await ctx.service.callProposed('revisions.setMetadata', { namespace, name, labels, annotations });
  void ctx.feed.revisionChanged(namespace, name);
  return needsMeta || needsSpec ? getRevision(ctx, namespace, name) : (created as unknown as KubeObject);
}

/** PUT of the revision (`subresource` undefined) or of its approval. */
export async function updateRevision(ctx: DoorContext, namespace: string, name: string, body: Body, subresource?: string): Promise<KubeObject> {
  const current = (await getRevision(ctx, namespace, name)) as unknown as PackageRevision;
  if (body.metadata?.name && body.metadata.name !== name) {
    throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
  }
  const rv = body.metadata?.resourceVersion;
  if (!rv) throw badRequest('resourceVersion must be specified for an update');
  if (rv !== current.metadata.resourceVersion) throw conflictError(REVISIONS, name);
  const spec: Spec = { ...(body.spec ?? {}) };
  spec.packageMetadata ??= current.spec.packageMetadata;
  const { lifecycle: _from, ...currentRest } = current.spec;
  const { lifecycle: requested, ...nextRest } = spec;
  const specChanged = !semanticallyEqual(currentRest, nextRest);
  const to = (requested as string | undefined) ?? '';
  const errors =
    subresource === 'approval'
      ? validateApproval(current.spec.lifecycle, to)
      : validateUpdate(current, { metadata: body.metadata ?? {}, spec: spec as PackageRevision['spec'] }, specChanged);
  if (errors.length) throw invalidError(KIND, name, errors);
  const target = (to || 'Draft') as Lifecycle;
  const { labels, annotations } = requestedMetadata(ctx, body.metadata);
  const metaChanged = !sameMap(withoutLatest(labels), withoutLatest(current.metadata.labels)) || !sameMap(annotations, current.metadata.annotations);
  const draftSpecChanged = specChanged && (current.spec.lifecycle === 'Draft' || current.spec.lifecycle === 'Proposed');
  requireChannels(ctx, [...(metaChanged ? ['revisions.setMetadata' as const] : []), ...(draftSpecChanged ? ['revisions.update' as const] : [])]);
  if (draftSpecChanged) {
    await ctx.service.callProposed('revisions.update', {
      namespace,
      name,
      resourceVersion: rv,
      readinessGates: spec.readinessGates,
      packageMetadata: spec.packageMetadata,
    });
  }
  if (metaChanged) await ctx.service.callProposed('revisions.setMetadata', { namespace, name, labels: withoutLatest(labels), annotations });
  const verb = lifecycleVerb(current.spec.lifecycle, target);
  if (verb) await ctx.service.call('revisions.lifecycle', { namespace, name, verb });
  void ctx.feed.revisionChanged(namespace, name);
  return getRevision(ctx, namespace, name);
}

export async function deleteRevision(ctx: DoorContext, namespace: string, name: string, opts: DeleteOptions): Promise<KubeObject> {
  const current = await getRevision(ctx, namespace, name);
  if (opts.resourceVersion && opts.resourceVersion !== current.metadata.resourceVersion) throw conflictError(REVISIONS, name);
  if ((current.spec as Spec).lifecycle === 'Published') {
    throw forbiddenError(
      REVISIONS,
      name,
      "published PackageRevisions must be proposed for deletion by setting spec.lifecycle to 'DeletionProposed' prior to deletion",
    );
  }
  await ctx.service.call('revisions.lifecycle', { namespace, name, verb: 'delete' });
  void ctx.feed.revisionChanged(namespace, name);
  return current;
}

// config.porch.kpt.dev/v1alpha1 repositories: register and unregister as
// objects. The credentials come from the Secret the Repository names (held by
// the door since it was created); the service seals them. What Porch's CRD
// makes immutable (type, repo, branch, directory) is refused with its
// messages; a new sync schedule is an update; runOnceAt asks for a sync.
import type { Repository } from '../../../../src-shared/domain.ts';
import { isPorchlightError } from '../../../../src-shared/errors.ts';
import type { KubeObject } from '../change-feed.ts';
import { semanticallyEqual } from '../canonical.ts';
import { REPOSITORY } from '../kinds.ts';
import { pageInMemory } from '../paging.ts';
import { matchesFields, matchesLabels } from '../selectors.ts';
import { PROPOSED_CHANNELS } from '../service-client.ts';
import { badRequest, conflictError, invalidError, kubeError, notFoundError, type FieldError, type GroupResource } from '../status.ts';
import { requestedMetadata, sameMap, type DoorContext, type ResourceHandler } from './handler.ts';
import { dns1123LabelProblems } from './porch-rules.ts';

const GR: GroupResource = { group: 'config.porch.kpt.dev', resource: 'repositories' };
const KIND = { group: 'config.porch.kpt.dev', kind: 'Repository' };

type Spec = Partial<Repository['spec']> & {
  type?: string;
  content?: string;
  git?: Partial<Repository['spec']['git']> & { createBranch?: boolean; author?: string; email?: string };
  oci?: unknown;
  sync?: { schedule?: string; runOnceAt?: string };
};

export async function getRepository(ctx: DoorContext, namespace: string, name: string): Promise<Repository> {
  try {
    return await ctx.service.call('repositories.get', { namespace, name });
  } catch (e) {
    if (isPorchlightError(e) && (e.code === 'NOT_FOUND' || e.code === 'INVALID_ARGUMENT')) throw notFoundError(GR, name);
    throw e;
  }
}

function checkSpec(name: string, spec: Spec): FieldError[] {
  const errors: FieldError[] = [];
  if (dns1123LabelProblems(name).length) {
    errors.push({ type: 'FieldValueInvalid', field: 'metadata.name', value: name, detail: 'metadata.name must conform to the RFC1123 DNS label standard' });
  }
  if (spec.type && spec.type !== 'git')
    errors.push({ type: 'FieldValueNotSupported', field: 'spec.type', value: spec.type, detail: 'Porchlight registers Git repositories only' });
  if (spec.content && spec.content !== 'Package') {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.content',
      value: spec.content,
      detail: "The 'content' field is deprecated, its only valid value is 'Package'",
    });
  }
  if (!spec.git) errors.push({ type: 'FieldValueRequired', field: 'spec.git', detail: 'a Git repository: spec.git.repo (and branch, directory)' });
  else if (!spec.git.repo) errors.push({ type: 'FieldValueRequired', field: 'spec.git.repo', detail: '' });
  if (spec.git?.createBranch)
    errors.push({ type: 'FieldValueForbidden', field: 'spec.git.createBranch', detail: 'Porchlight registers existing branches only' });
  if (spec.git?.branch === '') errors.push({ type: 'FieldValueInvalid', field: 'spec.git.branch', value: '', detail: 'should be at least 1 chars long' });
  return errors;
}

/** The credentials a Repository's secretRef names: held by the door since the Secret was created. */
function credentialsFor(ctx: DoorContext, namespace: string, secretName: string): { username: string; password: string } {
  const held = ctx.stash.get(namespace, secretName)?.credentials;
  if (held) return held;
  throw invalidError(KIND, '', [
    {
      type: 'FieldValueNotFound',
      field: 'spec.git.secretRef.name',
      value: secretName,
      detail: `no Secret "${secretName}" with a username and password in namespace "${namespace}": create it first (kubectl apply -f secret.yaml, or list it before the Repository)`,
    },
  ]);
}

async function create(ctx: DoorContext, namespace: string, body: KubeObject): Promise<KubeObject> {
  if (body.metadata?.namespace && body.metadata.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const name = body.metadata?.name ?? '';
  if (!name) throw invalidError(KIND, '', [{ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' }]);
  const spec = (body.spec ?? {}) as Spec;
  const errors = checkSpec(name, spec);
  if (errors.length) throw invalidError(KIND, name, errors);
  const { labels, annotations } = requestedMetadata(ctx, body.metadata);
  if (Object.keys(labels).length || Object.keys(annotations).length) {
    if (!ctx.service.has('repositories.setMetadata')) {
      throw kubeError(405, 'MethodNotAllowed', `Porchlight's service cannot keep ${PROPOSED_CHANNELS['repositories.setMetadata']} yet; nothing was registered`);
    }
  }
  const secretName = spec.git!.secretRef?.name || undefined;
  const credentials = secretName ? credentialsFor(ctx, namespace, secretName) : undefined;
  if (spec.git!.author || spec.git!.email) ctx.warnings.push('spec.git.author and email are not used: Porchlight commits as the user of this machine');
  const answer = await ctx.service.call('repositories.register', {
    url: spec.git!.repo!,
    name,
    namespace,
    ...(spec.git!.branch ? { branch: spec.git!.branch } : {}),
    ...(spec.git!.directory ? { directory: spec.git!.directory } : {}),
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    deployment: spec.deployment ?? false,
    ...(credentials ? { username: credentials.username, password: credentials.password } : {}),
    ...(spec.sync?.schedule ? { syncSchedule: spec.sync.schedule } : {}),
  });
  ctx.warnings.push(...answer.warnings);
  if ('code' in answer.sync) ctx.warnings.push(`registered, but the first sync failed: ${answer.sync.message}`);
  if (Object.keys(labels).length || Object.keys(annotations).length)
    await ctx.service.callProposed('repositories.setMetadata', { namespace, name, labels, annotations });
  void ctx.feed.repositoryChanged(namespace, name);
  return answer.repository as unknown as KubeObject;
}

async function update(ctx: DoorContext, namespace: string, name: string, body: KubeObject): Promise<KubeObject> {
  const current = await getRepository(ctx, namespace, name);
  if (body.metadata?.name && body.metadata.name !== name)
    throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
  const rv = body.metadata?.resourceVersion;
  if (rv && rv !== current.metadata.resourceVersion) throw conflictError(GR, name);
  const next = (body.spec ?? {}) as Spec;
  const was = current.spec;
  const errors: FieldError[] = [];
  const immutable = (field: string, a: unknown, b: unknown) => {
    if ((a ?? '') !== (b ?? '')) errors.push({ type: 'FieldValueInvalid', field: 'spec', value: {}, detail: `${field} is immutable` });
  };
  immutable('spec.type', next.type ?? 'git', was.type);
  immutable('spec.git.repo', next.git?.repo, was.git.repo);
  immutable('spec.git.branch', next.git?.branch ?? 'main', was.git.branch);
  immutable('spec.git.directory', next.git?.directory ?? '/', was.git.directory);
  const fixed = (field: string, a: unknown, b: unknown) => {
    if (!semanticallyEqual(a, b))
      errors.push({
        type: 'FieldValueForbidden',
        field,
        detail: 'Porchlight cannot change this after registration; unregister (kubectl delete) and register again',
      });
  };
  fixed('spec.description', next.description, was.description);
  fixed('spec.deployment', next.deployment ?? false, was.deployment ?? false);
  fixed('spec.git.secretRef.name', next.git?.secretRef?.name, was.git.secretRef?.name);
  if (errors.length) throw invalidError(KIND, name, errors);
  const { labels, annotations } = requestedMetadata(ctx, body.metadata);
  const metaChanged = !sameMap(labels, current.metadata.labels) || !sameMap(annotations, current.metadata.annotations);
  if (metaChanged && !ctx.service.has('repositories.setMetadata')) {
    throw kubeError(405, 'MethodNotAllowed', `Porchlight's service cannot change ${PROPOSED_CHANNELS['repositories.setMetadata']} yet; nothing was changed`);
  }
  const schedule = next.sync?.schedule || undefined;
  if (schedule !== (was.sync?.schedule || undefined)) await ctx.service.call('repositories.update', { namespace, name, syncSchedule: schedule ?? null });
  if (metaChanged) await ctx.service.callProposed('repositories.setMetadata', { namespace, name, labels, annotations });
  const runOnce = next.sync?.runOnceAt;
  if (runOnce && runOnce !== (was.sync as { runOnceAt?: string } | undefined)?.runOnceAt) {
    // The service syncs on request, not at a time: the sync starts now, in the background.
    ctx.warnings.push(`spec.sync.runOnceAt is not kept: ${name} is being synced now`);
    void ctx.service.call('repositories.sync', { namespace, name }).catch(() => {});
  }
  void ctx.feed.repositoryChanged(namespace, name);
  return (await getRepository(ctx, namespace, name)) as unknown as KubeObject;
}

export const repositories: ResourceHandler = {
  kind: REPOSITORY,
  watch: 'repositories',
  fieldSelectable: (f) => f === 'metadata.name' || f === 'metadata.namespace',
  async list(ctx, opts) {
    const all = await ctx.service.call('repositories.list', opts.namespace !== undefined ? { namespace: opts.namespace } : { allNamespaces: true });
    const items = (all as unknown as KubeObject[]).filter((o) => matchesFields(opts.fields, o) && matchesLabels(opts.labels, o.metadata.labels));
    return pageInMemory(items, opts.limit, opts.continueFrom);
  },
  get: async (ctx, namespace, name) => (await getRepository(ctx, namespace, name)) as unknown as KubeObject,
  create,
  update,
  async remove(ctx, namespace, name, opts) {
    const current = await getRepository(ctx, namespace, name);
    if (opts.resourceVersion && opts.resourceVersion !== current.metadata.resourceVersion) throw conflictError(GR, name);
    try {
      await ctx.service.call('repositories.unregister', { namespace, name, force: opts.force });
    } catch (e) {
      if (isPorchlightError(e) && e.code === 'FAILED_PRECONDITION') {
        throw conflictError(GR, name, `${e.message} (kubectl delete --force --grace-period=0 destroys them)`);
      }
      throw e;
    }
    // The service dropped the sealed credentials; the Secret object stays until deleted (porchctl repo unreg deletes it next).
    const secret = current.spec.git.secretRef?.name;
    if (secret && !ctx.stash.get(namespace, secret)) {
      ctx.stash.put({
        namespace,
        name: secret,
        type: 'kubernetes.io/basic-auth',
        creationTimestamp: current.metadata.creationTimestamp ?? new Date().toISOString(),
        uid: `${current.metadata.uid ?? name}-auth`,
      });
    }
    void ctx.feed.repositoryChanged(namespace, name, true);
    return current as unknown as KubeObject;
  },
};

// Core v1 namespaces and events. Porchlight's namespaces are implicit: every
// valid name exists (and is empty until a repository is registered there).
// The list shows "default", the namespaces that hold repositories, and those
// created through this door; events are an empty list (kubectl describe asks).
import type { KubeObject } from '../change-feed.ts';
import { EVENT, NAMESPACE } from '../kinds.ts';
import { pageInMemory } from '../paging.ts';
import { fieldValue, matchesFields, matchesLabels } from '../selectors.ts';
import { alreadyExistsError, invalidError, notFoundError, type GroupResource } from '../status.ts';
import type { DoorContext, ResourceHandler } from './handler.ts';
import { dns1123LabelProblems } from './porch-rules.ts';

const GR: GroupResource = { group: '', resource: 'namespaces' };

const namespaceObject = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
  spec: { finalizers: ['kubernetes'] },
  status: { phase: 'Active' },
});

async function listed(ctx: DoorContext): Promise<Set<string>> {
  const repos = await ctx.service.call('repositories.list', { allNamespaces: true });
  return new Set(['default', ...repos.map((r) => r.metadata.namespace), ...ctx.stash.list().map((s) => s.namespace), ...ctx.namespaces]);
}

export const namespaces: ResourceHandler = {
  kind: NAMESPACE,
  fieldSelectable: (f) => f === 'metadata.name' || f === 'status.phase',
  fieldOf: fieldValue,
  async list(ctx, opts) {
    const items = [...(await listed(ctx))].map(namespaceObject).filter((o) => matchesFields(opts.fields, o) && matchesLabels(opts.labels, o.metadata.labels));
    return pageInMemory(items, opts.limit, opts.continueFrom);
  },
  async get(_ctx, _namespace, name) {
    if (dns1123LabelProblems(name).length) throw notFoundError(GR, name);
    return namespaceObject(name);
  },
  async create(ctx, _namespace, body) {
    const name = body.metadata?.name ?? '';
    const problems = dns1123LabelProblems(name);
    if (problems.length)
      throw invalidError({ group: '', kind: 'Namespace' }, name, [
        { type: 'FieldValueInvalid', field: 'metadata.name', value: name, detail: problems.join(',') },
      ]);
    if ((await listed(ctx)).has(name)) throw alreadyExistsError(GR, name);
    ctx.namespaces.add(name);
    return namespaceObject(name);
  },
};

export const events: ResourceHandler = {
  kind: EVENT,
  fieldSelectable: () => true,
  fieldOf: fieldValue,
  list: async () => ({ items: [] }),
  async get(_ctx, _namespace, name) {
    throw notFoundError({ group: '', resource: 'events' }, name);
  },
};

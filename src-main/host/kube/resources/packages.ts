// porch.kpt.dev/v1alpha1 packages (kind PorchPackage): read-only, made from
// the revision summaries of a namespace: one per repository and package
// path, with the revision number of its latest published revision. Writes are
// refused with Porch's messages.
import { createHash } from 'node:crypto';
import type { RevisionSummary } from '../../../../src-shared/domain.ts';
import { isPorchlightError } from '../../../../src-shared/errors.ts';
import { packageName } from '../../../../src-shared/names.ts';
import type { KubeObject } from '../change-feed.ts';
import { PACKAGE } from '../kinds.ts';
import { pageInMemory } from '../paging.ts';
import { fieldValue, matchesFields, matchesLabels } from '../selectors.ts';
import { methodNotSupported, notFoundError, type GroupResource } from '../status.ts';
import type { DoorContext, ResourceHandler } from './handler.ts';

const GR: GroupResource = { group: 'porch.kpt.dev', resource: 'packages' };
const SELECTABLE = new Set(['metadata.name', 'metadata.namespace', 'spec.packageName', 'spec.repository']);

function uidOf(namespace: string, name: string): string {
  const h = createHash('sha1').update(`packages/${namespace}/${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

async function packagesIn(ctx: DoorContext, namespace: string, repository?: string): Promise<KubeObject[]> {
  const found = new Map<string, { repository: string; path: string; latest: number }>();
  let after: string | undefined;
  do {
    const page = await ctx.service
      .call('revisions.page', { namespace, limit: 1000, ...(after ? { after } : {}), ...(repository ? { repository } : {}) })
      .catch((e: unknown) => (isPorchlightError(e) && e.code === 'NOT_FOUND' ? { items: [] as RevisionSummary[], next: undefined } : Promise.reject(e)));
    for (const s of page.items) {
      const name = packageName(s.repository, s.packageName);
      const p = found.get(name) ?? { repository: s.repository, path: s.packageName, latest: 0 };
      if (s.latest && s.revision > 0) p.latest = Math.max(p.latest, s.revision);
      found.set(name, p);
    }
    after = page.next;
  } while (after);
  return [...found].map(([name, p]) => ({
    apiVersion: 'porch.kpt.dev/v1alpha1',
    kind: 'PorchPackage',
    metadata: { name, namespace, uid: uidOf(namespace, name) },
    spec: { packageName: p.path, repository: p.repository },
    status: { latestRevision: p.latest },
  }));
}

export const packages: ResourceHandler = {
  kind: PACKAGE,
  fieldSelectable: (f) => SELECTABLE.has(f),
  async list(ctx, opts) {
    const namespaceField = opts.fields.find((f) => f.field === 'metadata.namespace')?.value;
    const repository = opts.fields.find((f) => f.field === 'spec.repository')?.value;
    const namespaces =
      (opts.namespace ?? namespaceField)
        ? [(opts.namespace ?? namespaceField)!]
        : [...new Set((await ctx.service.call('repositories.list', { allNamespaces: true })).map((r) => r.metadata.namespace))];
    const all: KubeObject[] = [];
    for (const ns of namespaces) all.push(...(await packagesIn(ctx, ns, repository)));
    const matching = all.filter((o) => matchesFields(opts.fields, o) && matchesLabels(opts.labels, o.metadata.labels));
    return pageInMemory(matching, opts.limit, opts.continueFrom);
  },
  async get(ctx, namespace, name) {
    const repository = name.split('.')[0]!;
    const found = (await packagesIn(ctx, namespace, repository)).find((p) => p.metadata.name === name);
    if (!found) throw notFoundError(GR, name);
    return found;
  },
  fieldOf: fieldValue,
  create: async () => {
    throw methodNotSupported(GR, 'create or clone a PackageRevision resource to create a package as direct package creation');
  },
  update: async () => {
    throw methodNotSupported(GR, 'update a PackageRevision resource to update a package as direct package update');
  },
  remove: async () => {
    throw methodNotSupported(GR, 'delete all PackageRevisions resources of a package to delete a package as direct package deletion');
  },
};

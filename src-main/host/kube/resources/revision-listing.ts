// Listing package revisions over the service's keyset pages. A table (kubectl
// get without -o) is served from summaries, one namespace at a time
// (revisions.page); anything else reads whole revisions across namespaces
// (revisions.listPage). Selectors the service does not filter by are applied
// here, and a page is filled up to `limit` before it is sent.
import type { PackageRevision, RevisionSummary } from '../../../../src-shared/domain.ts';
import { isPorchlightError } from '../../../../src-shared/errors.ts';
import { lightRevision, type KubeObject } from '../change-feed.ts';
import { encodeContinue } from '../paging.ts';
import { fieldValue, matchesLabels, type FieldRequirement } from '../selectors.ts';
import { badRequest } from '../status.ts';
import type { DoorContext, ListOptions, ListResult } from './handler.ts';
import { LATEST_LABEL } from './porch-rules.ts';

const CHUNK = 500;

/** The value Porch's field selectors compare: a draft's revision is 0. */
export function revisionField(o: KubeObject, field: string): string | undefined {
  if (field === 'spec.revision') return String((o.spec as { revision?: number } | undefined)?.revision ?? 0);
  return fieldValue(o, field);
}

interface Filters {
  namespace?: string;
  name?: string;
  revision?: number;
  packageName?: string;
  workspace?: string;
  repository?: string;
  lifecycle?: string;
  /** Requirements checked here, on the objects. */
  rest: FieldRequirement[];
}

function filtersOf(opts: ListOptions): Filters {
  const f: Filters = { namespace: opts.namespace, rest: [] };
  for (const r of opts.fields) {
    switch (r.field) {
      case 'metadata.namespace':
        if (f.namespace !== undefined && f.namespace !== r.value) throw badRequest(`conflicting namespaces specified: "${f.namespace}" and "${r.value}"`);
        f.namespace = r.value;
        break;
      case 'metadata.name':
        f.name = r.value;
        break;
      case 'spec.revision': {
        const n = Number(r.value);
        if (!Number.isInteger(n)) throw badRequest(`unsupported fieldSelector value "${r.value}" for field "spec.revision": it must be an integer`);
        // Porch's filter treats revision 0 as "any revision".
        if (n !== 0) f.revision = n;
        break;
      }
      case 'spec.packageName':
        f.packageName = r.value;
        break;
      case 'spec.workspaceName':
        f.workspace = r.value;
        break;
      case 'spec.repository':
        f.repository = r.value;
        break;
      case 'spec.lifecycle':
        if (!['Draft', 'Proposed', 'Published', 'DeletionProposed'].includes(r.value)) {
          throw badRequest(`unsupported fieldSelector value "${r.value}" for field "spec.lifecycle"`);
        }
        f.lifecycle = r.value;
        break;
      default:
        f.rest.push(r);
    }
  }
  return f;
}

const matches = (o: KubeObject, f: Filters, opts: ListOptions) =>
  (f.repository === undefined || revisionField(o, 'spec.repository') === f.repository) &&
  (f.lifecycle === undefined || revisionField(o, 'spec.lifecycle') === f.lifecycle) &&
  (f.packageName === undefined || revisionField(o, 'spec.packageName') === f.packageName) &&
  (f.workspace === undefined || revisionField(o, 'spec.workspaceName') === f.workspace) &&
  (f.revision === undefined || revisionField(o, 'spec.revision') === String(f.revision)) &&
  (f.name === undefined || o.metadata.name === f.name) &&
  f.rest.every((r) => revisionField(o, r.field) === r.value) &&
  matchesLabels(opts.labels, o.metadata.labels);

/** Summaries know one label (latest) and no package metadata: only then can a table come from them. */
const summariesSuffice = (opts: ListOptions, f: Filters) => opts.light && f.rest.length === 0 && opts.labels.every((l) => l.key === LATEST_LABEL);

const notFoundIsEmpty = <T>(e: unknown, empty: T): T => {
  if (isPorchlightError(e) && e.code === 'NOT_FOUND') return empty;
  throw e;
};

async function namespacesToWalk(ctx: DoorContext, f: Filters, from?: string): Promise<string[]> {
  if (f.namespace !== undefined) return [f.namespace];
  const repos = await ctx.service.call('repositories.list', { allNamespaces: true });
  return [...new Set(repos.map((r) => r.metadata.namespace))].sort().filter((ns) => from === undefined || ns >= from);
}

async function listFromSummaries(ctx: DoorContext, opts: ListOptions, f: Filters): Promise<ListResult> {
  const limit = opts.limit ?? Infinity;
  const items: KubeObject[] = [];
  const start = opts.continueFrom;
  const latestOnly = opts.labels.some((l) => l.key === LATEST_LABEL && l.op === 'in' && l.values.length === 1 && l.values[0] === 'true');
  for (const namespace of await namespacesToWalk(ctx, f, start?.namespace)) {
    let after = start?.namespace === namespace ? start.after : undefined;
    for (;;) {
      const page = await ctx.service
        .call('revisions.page', {
          namespace,
          limit: Math.min(1000, Math.max(CHUNK, Number.isFinite(limit) ? limit : 1000)),
          ...(after ? { after } : {}),
          ...(f.repository ? { repository: f.repository } : {}),
          ...(f.lifecycle ? { lifecycle: f.lifecycle as RevisionSummary['lifecycle'] } : {}),
          ...(latestOnly ? { latestOnly: true } : {}),
        })
        .catch((e: unknown) => notFoundIsEmpty(e, { items: [] as RevisionSummary[], next: undefined }));
      for (const s of page.items) {
        const o = lightRevision(namespace, s);
        after = s.name;
        if (!matches(o, f, opts)) continue;
        items.push(o);
        if (items.length >= limit)
          return {
            items,
            continueToken: page.next || s !== page.items.at(-1) ? encodeContinue({ namespace, after }) : await nextNamespaceToken(ctx, f, namespace),
          };
      }
      if (!page.next) break;
    }
  }
  return { items };
}

/** The token after the last item of a namespace: the next namespace from its start, or none. */
async function nextNamespaceToken(ctx: DoorContext, f: Filters, namespace: string): Promise<string | undefined> {
  const next = (await namespacesToWalk(ctx, f)).find((ns) => ns > namespace);
  return next ? encodeContinue({ namespace: next }) : undefined;
}

async function listWhole(ctx: DoorContext, opts: ListOptions, f: Filters): Promise<ListResult> {
  const limit = opts.limit ?? Infinity;
  const items: KubeObject[] = [];
  let after = opts.continueFrom?.after;
  for (;;) {
    const page = await ctx.service.call('revisions.listPage', {
      ...(f.namespace !== undefined ? { namespace: f.namespace } : { allNamespaces: true }),
      ...(f.name !== undefined ? { name: f.name } : {}),
      ...(f.packageName !== undefined ? { packageName: f.packageName } : {}),
      ...(f.revision !== undefined ? { revision: f.revision } : {}),
      ...(f.workspace !== undefined ? { workspace: f.workspace } : {}),
      ...(after ? { after } : {}),
      limit: Number.isFinite(limit) ? Math.max(limit, CHUNK) : 5000,
    });
    for (const pr of page.items as PackageRevision[]) {
      const o = pr as unknown as KubeObject;
      after = `${pr.metadata.namespace}/${pr.metadata.name}`;
      if (!matches(o, f, opts)) continue;
      items.push(o);
      if (items.length >= limit) {
        const more = page.next !== undefined || pr !== page.items.at(-1);
        return { items, ...(more ? { continueToken: encodeContinue({ after }) } : {}) };
      }
    }
    if (!page.next) return { items };
  }
}

export function listRevisions(ctx: DoorContext, opts: ListOptions): Promise<ListResult> {
  const f = filtersOf(opts);
  return summariesSuffice(opts, f) ? listFromSummaries(ctx, opts, f) : listWhole(ctx, opts, f);
}

// Reading package revisions: listings, keyset pages, one revision, its files
// and the files of its upstream. Reads never need Git, except an upstream
// that is not registered, and files a cleanup policy evicted (revision-files.ts).
import path from 'node:path';
import type { ParsedRequestOf } from '../../../src-shared/contract.ts';
import { failedPrecondition } from '../../../src-shared/errors.ts';
import {
  listRevisions,
  listRevisionsPage,
  listRevisionTable,
  listSummaryPage,
  repositoriesByIds,
  toPackageRevision,
  type PageRequest,
} from '../../cache/revision-store.ts';
import { readUpstreamPackage } from '../../git/upstream-package.ts';
import type { ServiceContext } from '../context.ts';
import { findRevisionRow, getRevision, pageRepository, requireRevisionRow } from '../lookups.ts';
import { oldUpstreamOf } from '../package-upgrade.ts';
import { credentialsForUrl } from '../repository-credentials.ts';
import { filesOf } from '../revision-files.ts';
import { toWire } from '../wire-files.ts';
import type { Operations } from './operation.ts';

type Channels =
  | 'revisions.list'
  | 'revisions.listPage'
  | 'revisions.listTable'
  | 'revisions.page'
  | 'revisions.pageFull'
  | 'revisions.get'
  | 'revisions.resources'
  | 'revisions.upstreamResources';

type ListRequest = ParsedRequestOf<'revisions.list'>;

const listFilter = (r: ListRequest) => ({
  namespace: r.allNamespaces ? undefined : r.namespace,
  name: r.name,
  packagePath: r.packageName,
  revision: r.revision,
  workspace: r.workspace,
});

const afterCursor = (after: string | undefined) => {
  const slash = after?.indexOf('/') ?? -1;
  return after ? { namespace: after.slice(0, slash), name: after.slice(slash + 1) } : undefined;
};

/** A page request as the store takes it: empty filters dropped, the repository resolved to its partition. */
async function pageRequest(ctx: ServiceContext, r: ParsedRequestOf<'revisions.page'>) {
  const repository = r.repository ? await pageRepository(ctx, r.namespace, r.repository) : undefined;
  const page: PageRequest = {
    namespace: r.namespace,
    after: r.after,
    limit: r.limit,
    search: r.search?.trim() || undefined,
    filePath: r.filePath?.trim() || undefined,
    lifecycle: r.lifecycle || undefined,
    latestOnly: r.latestOnly,
    repositoryId: repository?.id,
  };
  return { page, repository };
}

export const revisionReadOperations: Operations<Channels> = {
  'revisions.list': async (ctx, r) => (await listRevisions(ctx.db, listFilter(r))).map(toPackageRevision),

  /** A listing of 100,000 revisions never holds them all, nor skips with OFFSET. */
  'revisions.listPage': async (ctx, r) => {
    const rows = await listRevisions(ctx.db, { ...listFilter(r), after: afterCursor(r.after), limit: r.limit });
    const last = rows.length === r.limit ? rows.at(-1) : undefined;
    return { items: rows.map(toPackageRevision), ...(last ? { next: `${last.namespace}/${last.name}` } : {}) };
  },

  /** The same pages with only the table's columns: `rpkg get` at 10,000 revisions moves and parses a tenth of the bytes. */
  'revisions.listTable': async (ctx, r) => {
    const items = await listRevisionTable(ctx.db, { ...listFilter(r), after: afterCursor(r.after), limit: r.limit });
    const last = items.length === r.limit ? items.at(-1) : undefined;
    return { items, ...(last ? { next: `${last.namespace}/${last.name}` } : {}) };
  },

  /** The window's page: rows as the list shows them, in name order. */
  'revisions.page': async (ctx, r) => {
    const { page, repository: one } = await pageRequest(ctx, r);
    const { rows, next } = await listSummaryPage(ctx.db, page);
    // Names of the page's repositories only: a page must not read 500 repositories.
    const repositories = one
      ? new Map([[one.id, one]])
      : await repositoriesByIds(
          ctx.db,
          rows.map((row) => Number(row.repository_id)),
        );
    const items = rows.map((row) => ({
      name: row.name,
      packageName: row.package_path,
      workspaceName: row.workspace,
      revision: row.revision,
      latest: row.latest,
      lifecycle: row.lifecycle,
      repository: repositories.get(Number(row.repository_id))?.name ?? '',
    }));
    return { items, ...(next ? { next } : {}) };
  },

  'revisions.pageFull': async (ctx, r) => {
    const { rows, next } = await listRevisionsPage(ctx.db, (await pageRequest(ctx, r)).page);
    return { items: rows.map(toPackageRevision), ...(next ? { next } : {}) };
  },

  'revisions.get': (ctx, r) => getRevision(ctx, r.namespace, r.name),

  'revisions.resources': async (ctx, r) => {
    const row = await requireRevisionRow(ctx, r.namespace, r.name);
    return { revision: toPackageRevision(row), files: (await filesOf(ctx, row)).map(toWire) };
  },

  /**
   * What the revision was cloned or last upgraded from, for a diff: the
   * registered upstream revision's files when the cache has it (offline), else
   * the package read from Git at the upstreamLock's ref.
   */
  'revisions.upstreamResources': async (ctx, r) => {
    const row = await requireRevisionRow(ctx, r.namespace, r.name);
    const upstream = await oldUpstreamOf(ctx.db, r.namespace, row);
    const registered = upstream && (await findRevisionRow(ctx, r.namespace, upstream));
    if (registered) return { source: registered.name, files: (await filesOf(ctx, registered)).map(toWire) };
    const lock = row.upstream_lock?.git;
    if (!lock?.repo || !lock.ref) throw failedPrecondition(`${r.name} has no upstream: it was not cloned from another package`);
    const pkg = await readUpstreamPackage({
      http: ctx.git.http,
      cacheDir: path.join(ctx.dataHome, 'upstreams'),
      url: lock.repo,
      ref: lock.ref,
      directory: lock.directory || '/',
      auth: await credentialsForUrl(ctx, r.namespace, lock.repo),
    });
    return { source: `${lock.repo} ${lock.directory || '/'}@${lock.ref}`, files: pkg.files.map(toWire) };
  },
};

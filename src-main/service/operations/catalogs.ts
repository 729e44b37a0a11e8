// Catalogs (issue 6): an ordered list of repositories, highest priority first,
// in which a package path resolves to the Published revision of the first
// repository that has it, as GitLab's virtual registries resolve a path
// through their upstreams.
import type { ParsedRequestOf } from '../../../src-shared/contract.ts';
import type { Catalog, CatalogResolution } from '../../../src-shared/catalogs.ts';
import { alreadyExists, failedPrecondition, notFound } from '../../../src-shared/errors.ts';
import type { Queryable } from '../../db/database.ts';
import { sqlState } from '../../db/errors.ts';
import {
  deleteCatalog as deleteCatalogRow,
  findCatalog,
  insertCatalog,
  listCatalogs as listCatalogRows,
  liveRepositoryIds,
  replaceCatalogMembers,
  resolveInCatalogMembers,
  type CatalogRow,
} from '../../cache/catalog-store.ts';
import type { ServiceContext } from '../context.ts';
import type { Operations } from './operation.ts';
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function toCatalog(row: CatalogRow): Catalog {
  return {
    apiVersion: 'porchlight.dev/v1alpha1',
    kind: 'Catalog',
    metadata: { name: row.name, namespace: row.namespace, resourceVersion: String(row.updated_at.getTime()), creationTimestamp: iso(row.created_at) },
    spec: { ...(row.description ? { description: row.description } : {}), repositories: row.repositories.map((r) => r.name) },
  };
}

function catalogNotFound(namespace: string, name: string) {
  return notFound(`catalog "${name}" not found in namespace "${namespace}"; list the catalogs with porchlight catalog get -n ${namespace}`, {
    namespace,
    name,
  });
}

/** Every name registered in the namespace, or NOT_FOUND naming the ones that are not. */
async function repositoryIds(q: Queryable, namespace: string, names: readonly string[]): Promise<number[]> {
  const ids = await liveRepositoryIds(q, namespace, names);
  const missing = names.filter((n) => !ids.has(n));
  if (missing.length) {
    const list = missing.map((n) => `"${n}"`).join(', ');
    throw notFound(
      `${missing.length === 1 ? 'repository' : 'repositories'} ${list} ${missing.length === 1 ? 'is' : 'are'} not registered in namespace "${namespace}"; ` +
        `register ${missing.length === 1 ? 'it' : 'them'} first (porchlight repo register URL --name NAME -n ${namespace}) or leave ${missing.length === 1 ? 'it' : 'them'} out`,
      { namespace, missing },
    );
  }
  return names.map((n) => ids.get(n)!);
}

/** Writes the members; a repository unregistered since it was checked makes the whole write roll back. */
async function writeMembers(
  tx: Queryable,
  catalogId: number,
  ids: readonly number[],
  names: readonly string[],
  namespace: string,
  updatedBy: string,
): Promise<void> {
  const written = await replaceCatalogMembers(tx, catalogId, ids, updatedBy);
  if (written !== ids.length) {
    await repositoryIds(tx, namespace, names); // throws, naming the one that went
    throw notFound(`a repository of the catalog was unregistered meanwhile; try again`);
  }
}

async function getCatalog(q: Queryable, namespace: string, name: string): Promise<Catalog> {
  const row = await findCatalog(q, namespace, name);
  if (!row) throw catalogNotFound(namespace, name);
  return toCatalog(row);
}

/**
 * The Published revision of `packagePath` (the latest, or number `revision`)
 * from the first repository of the catalog that has it live. One statement,
 * which reads only the member repositories' partitions, one at a time, and
 * stops at the first hit. NOT_FOUND lists the repositories searched, in order.
 */
async function resolveInCatalog(ctx: ServiceContext, r: ParsedRequestOf<'catalogs.resolve'>): Promise<CatalogResolution> {
  const { found, searched } = await resolveInCatalogMembers(ctx.db, r.namespace, r.catalog, r.packagePath, r.revision);
  const names = searched.map((s) => s.repository_name);
  if (found) {
    return {
      revisionName: found.revision_name!,
      repository: found.repository_name,
      revision: found.revision!,
      packagePath: r.packagePath,
      workspace: found.workspace!,
      searched: names,
    };
  }
  const what =
    r.revision === undefined ? `no Published revision of package "${r.packagePath}"` : `no Published revision ${r.revision} of package "${r.packagePath}"`;
  const data = {
    namespace: r.namespace,
    catalog: r.catalog,
    packagePath: r.packagePath,
    ...(r.revision !== undefined ? { revision: r.revision } : {}),
    searched: names,
  };
  if (searched.length === 0) {
    if (!(await findCatalog(ctx.db, r.namespace, r.catalog))) throw catalogNotFound(r.namespace, r.catalog);
    throw failedPrecondition(
      `catalog "${r.catalog}" has no registered repositories left to search (its repositories were unregistered); give it repositories with porchlight catalog set-repositories ${r.catalog} --repositories=...`,
      data,
    );
  }
  throw notFound(
    `${what} in catalog "${r.catalog}": searched ${names.join(', ')} (in that order); ` +
      `check the path and revision with porchlight rpkg get --name ${r.packagePath}, or add a repository that has it with porchlight catalog set-repositories ${r.catalog}`,
    data,
  );
}

type Channels = 'catalogs.list' | 'catalogs.get' | 'catalogs.create' | 'catalogs.setRepositories' | 'catalogs.delete' | 'catalogs.resolve';

export const catalogOperations: Operations<Channels> = {
  /** A namespace's catalogs by name (every namespace's with allNamespaces). */
  'catalogs.list': async (ctx, r) => (await listCatalogRows(ctx.db, r.allNamespaces ? undefined : r.namespace)).map(toCatalog),

  'catalogs.get': (ctx, r) => getCatalog(ctx.db, r.namespace, r.name),

  'catalogs.create': async (ctx, r) => {
    const exists = () =>
      alreadyExists(
        `catalog "${r.name}" already exists in namespace "${r.namespace}"; change its repositories with porchlight catalog set-repositories ${r.name}, or delete it first`,
        { namespace: r.namespace, name: r.name },
      );
    if (await findCatalog(ctx.db, r.namespace, r.name)) throw exists();
    const ids = await repositoryIds(ctx.db, r.namespace, r.repositories);
    try {
      await ctx.db.transaction(async (tx) => {
        const id = await insertCatalog(tx, { namespace: r.namespace, name: r.name, description: r.description, updatedBy: ctx.updatedBy });
        await writeMembers(tx, id, ids, r.repositories, r.namespace, ctx.updatedBy);
      });
    } catch (e) {
      // Two windows creating the same name at once: the unique index decides.
      if (sqlState(e) === '23505') throw exists();
      throw e;
    }
    return getCatalog(ctx.db, r.namespace, r.name);
  },

  /** Replaces the member list: these repositories, in this order, highest priority first. */
  'catalogs.setRepositories': async (ctx, r) => {
    const row = await findCatalog(ctx.db, r.namespace, r.name);
    if (!row) throw catalogNotFound(r.namespace, r.name);
    const ids = await repositoryIds(ctx.db, r.namespace, r.repositories);
    await ctx.db.transaction((tx) => writeMembers(tx, row.id, ids, r.repositories, r.namespace, ctx.updatedBy));
    return getCatalog(ctx.db, r.namespace, r.name);
  },

  /** Deletes the catalog and its member list (a hard delete: see catalog-store.ts); repositories are untouched. */
  'catalogs.delete': async (ctx, r) => {
    if (!(await deleteCatalogRow(ctx.db, r.namespace, r.name))) throw catalogNotFound(r.namespace, r.name);
    return { deleted: r.name };
  },

  'catalogs.resolve': resolveInCatalog,
};

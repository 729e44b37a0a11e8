// SQL for catalogs (migrations/003_catalogs.sql): an ordered list of
// repositories, and the resolve that returns a package from the first member
// that has it. Values are always parameters. The resolve is the database
// function porchlight_catalog_resolve: it reads package_revisions one member
// at a time with `repository_id = <member>`, so each probe names one partition
// and the executor prunes the other fifteen (see the migration).
import type { Queryable } from '../db/database.ts';

export interface CatalogMemberRef {
  /** repositories.id */
  id: number;
  name: string;
}

export interface CatalogRow {
  id: number;
  namespace: string;
  name: string;
  description: string | null;
  created_at: Date;
  updated_at: Date;
  updated_by: string;
  /** Live (registered) member repositories, highest priority first. */
  repositories: CatalogMemberRef[];
}

// Members of unregistered repositories drop out here: the join keeps live
// repository rows only, and the cleanup worker's delete of the repository row
// cascades to catalog_members later.
const CATALOG_SELECT = `SELECT c.id, c.namespace, c.name, c.description, c.created_at, c.updated_at, c.updated_by,
       COALESCE((SELECT jsonb_agg(jsonb_build_object('id', r.id, 'name', r.name) ORDER BY m.position)
                   FROM catalog_members m
                   JOIN repositories r ON r.id = m.repository_id AND r.status = 'default'
                  WHERE m.catalog_id = c.id), '[]'::jsonb) AS repositories
  FROM catalogs c`;

function normalise(row: CatalogRow): CatalogRow {
  return { ...row, id: Number(row.id), repositories: row.repositories.map((r) => ({ id: Number(r.id), name: r.name })) };
}

export async function insertCatalog(q: Queryable, c: { namespace: string; name: string; description?: string; updatedBy: string }): Promise<number> {
  const res = await q.query<{ id: number }>(`INSERT INTO catalogs (namespace, name, description, updated_by) VALUES ($1, $2, $3, $4) RETURNING id`, [
    c.namespace,
    c.name,
    c.description ?? null,
    c.updatedBy,
  ]);
  return Number(res.rows[0]!.id);
}

/**
 * Replaces the members with `repositoryIds` in that order (position 0 first).
 * Only live repository rows are inserted; the count inserted is returned, so a
 * caller can tell that one was unregistered meanwhile and roll back.
 * Run it in a transaction: the delete and the insert belong together.
 */
export async function replaceCatalogMembers(q: Queryable, catalogId: number, repositoryIds: readonly number[], updatedBy: string): Promise<number> {
  await q.query(`DELETE FROM catalog_members WHERE catalog_id = $1`, [catalogId]);
  const res = await q.query(
    `INSERT INTO catalog_members (catalog_id, repository_id, position)
     SELECT $1, r.id, (u.ord - 1)::int
       FROM unnest($2::bigint[]) WITH ORDINALITY AS u(id, ord)
       JOIN repositories r ON r.id = u.id AND r.status = 'default'`,
    [catalogId, repositoryIds],
  );
  await q.query(`UPDATE catalogs SET updated_at = now(), updated_by = $2 WHERE id = $1`, [catalogId, updatedBy]);
  return res.affectedRows;
}

export async function findCatalog(q: Queryable, namespace: string, name: string): Promise<CatalogRow | undefined> {
  const res = await q.query<CatalogRow>(`${CATALOG_SELECT} WHERE c.namespace = $1 AND c.name = $2 AND c.status = 'default'`, [namespace, name]);
  return res.rows[0] && normalise(res.rows[0]);
}

/** A namespace's catalogs by name, or every namespace's when `namespace` is undefined. */
export async function listCatalogs(q: Queryable, namespace: string | undefined): Promise<CatalogRow[]> {
  const res =
    namespace === undefined
      ? await q.query<CatalogRow>(`${CATALOG_SELECT} WHERE c.status = 'default' ORDER BY c.namespace, c.name`)
      : await q.query<CatalogRow>(`${CATALOG_SELECT} WHERE c.namespace = $1 AND c.status = 'default' ORDER BY c.name`, [namespace]);
  return res.rows.map(normalise);
}

/**
 * A hard delete: a catalog is one small row plus a few member rows (the
 * cascade removes them in the same statement), no partitioned table is
 * involved, and the cleanup worker knows nothing of catalogs, so a row marked
 * pending_destruction would never go away.
 */
export async function deleteCatalog(q: Queryable, namespace: string, name: string): Promise<boolean> {
  const res = await q.query(`DELETE FROM catalogs WHERE namespace = $1 AND name = $2 AND status = 'default'`, [namespace, name]);
  return res.affectedRows > 0;
}

/** Live repositories of the namespace among `names`, name -> id. */
export async function liveRepositoryIds(q: Queryable, namespace: string, names: readonly string[]): Promise<Map<string, number>> {
  if (names.length === 0) return new Map();
  const res = await q.query<{ id: number; name: string }>(
    `SELECT id, name FROM repositories WHERE namespace = $1 AND name = ANY($2::text[]) AND status = 'default'`,
    [namespace, names],
  );
  return new Map(res.rows.map((r) => [r.name, Number(r.id)]));
}

/** One member asked by a resolve; the answering one carries its revision. */
export interface ResolveStep {
  repository_id: number;
  repository_name: string;
  revision_id: number | null;
  revision_name: string | null;
  workspace: string | null;
  revision: number | null;
}

/**
 * The resolve in one round trip: porchlight_catalog_resolve (migration 003)
 * asks the members in position order, one single-partition probe each, and
 * stops at the first that has `packagePath` live and Published (the latest,
 * or number `revision`). Rows: every member asked, in order; the last one
 * answered if its revision_id is set. No rows: the catalog does not exist or
 * has no live member (findCatalog tells which).
 */
export async function resolveInCatalogMembers(
  q: Queryable,
  namespace: string,
  catalog: string,
  packagePath: string,
  revision?: number,
): Promise<{ found?: ResolveStep; searched: ResolveStep[] }> {
  const res = await q.query<ResolveStep>(`SELECT * FROM porchlight_catalog_resolve($1, $2, $3, $4)`, [namespace, catalog, packagePath, revision ?? null]);
  const searched = res.rows.map((r) => ({
    ...r,
    repository_id: Number(r.repository_id),
    revision_id: r.revision_id === null ? null : Number(r.revision_id),
    revision: r.revision === null ? null : Number(r.revision),
  }));
  const last = searched.at(-1);
  return { ...(last?.revision_id != null ? { found: last } : {}), searched };
}

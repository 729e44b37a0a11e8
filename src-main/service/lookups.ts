// Finding what a request names: a live repository, a revision, or the
// repository a revision belongs to, with the messages every door shows.
import { notFound } from '../../src-shared/errors.ts';
import type { PackageRevision } from '../../src-shared/domain.ts';
import { findRepository, findRepositoryById, type RepositoryRow } from '../cache/repository-store.ts';
import { listRevisions, toPackageRevision, type RevisionRow } from '../cache/revision-store.ts';
import type { ServiceContext } from './context.ts';

export async function requireRepository(ctx: ServiceContext, namespace: string, name: string): Promise<RepositoryRow> {
  const row = await findRepository(ctx.db, namespace, name);
  if (!row) throw notFound(`repository "${name}" not found in namespace "${namespace}"`, { namespace, name });
  return row;
}

/** The repository of a revision in hand. */
export async function repositoryOf(ctx: ServiceContext, id: number): Promise<RepositoryRow> {
  const row = await findRepositoryById(ctx.db, id);
  if (!row) throw notFound(`the repository of this package revision is no longer registered`);
  return row;
}

/**
 * A live repository a page was asked for. Kept on PGlite only: the directory
 * lock makes this process the only writer, and unregister (the one way a name
 * stops being live) clears it. On a shared PostgreSQL another process may
 * unregister at any time, so it is never kept there.
 */
export async function pageRepository(ctx: ServiceContext, namespace: string, name: string): Promise<{ id: number; name: string }> {
  const key = `${namespace}/${name}`;
  const kept = ctx.pageRepositories.get(key);
  if (kept) return kept;
  const row = await requireRepository(ctx, namespace, name);
  const found = { id: Number(row.id), name: row.name };
  if (ctx.db.kind === 'pglite') ctx.pageRepositories.set(key, found);
  return found;
}

export async function findRevisionRow(ctx: ServiceContext, namespace: string, name: string): Promise<RevisionRow | undefined> {
  return (await listRevisions(ctx.db, { namespace, name }))[0];
}

export async function requireRevisionRow(ctx: ServiceContext, namespace: string, name: string): Promise<RevisionRow> {
  const row = await findRevisionRow(ctx, namespace, name);
  if (!row) throw notFound(`package revision "${name}" not found in namespace "${namespace}"`, { namespace, name });
  return row;
}

export async function getRevision(ctx: ServiceContext, namespace: string, name: string): Promise<PackageRevision> {
  return toPackageRevision(await requireRevisionRow(ctx, namespace, name));
}

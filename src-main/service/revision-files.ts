// A revision's files: from the database, or, when a cleanup policy evicted
// them, from the local clone (fetched first if it lacks the tree), put back
// in the database for the next read. Every read is noted as the revision's last.
import { failedPrecondition } from '../../src-shared/errors.ts';
import type { ResourceFile } from '../../src-shared/domain.ts';
import { packageFilePathProblem } from '../../src-shared/package-files.ts';
import { restoreEvicted } from '../cache/eviction.ts';
import { readResources, type RevisionRow } from '../cache/revision-store.ts';
import { cloneFor } from '../cache/sync.ts';
import { readPackageTrees, UNREADABLE_NAMES_ANNOTATION } from '../cache/sync-writer.ts';
import { fetchAll, openObjectReader } from '../git/local-clone.ts';
import type { ServiceContext } from './context.ts';
import { repositoryOf } from './lookups.ts';

export async function filesOf(ctx: ServiceContext, row: RevisionRow): Promise<ResourceFile[]> {
  ctx.reads.note(row.repository_id, row.id);
  if (!row.resources_evicted || !row.tree_id) return readResources(ctx.db, row.repository_id, row.id);
  const repo = await repositoryOf(ctx, row.repository_id);
  const clone = cloneFor(ctx.git, repo);
  const readTree = async () => {
    const reader = await openObjectReader(clone);
    try {
      return (await readPackageTrees(reader, [row.tree_id!])).get(row.tree_id!)!.files;
    } finally {
      reader.close();
    }
  };
  let files: ResourceFile[];
  try {
    files = await readTree();
  } catch {
    // Not in the clone (a new machine on a shared PostgreSQL, a clone removed by hand): fetch, then read.
    await fetchAll(clone, { http: ctx.git.http, branch: repo.spec.git.branch, auth: await ctx.git.credentials(repo) });
    files = await readTree();
  }
  await restoreEvicted(ctx.db, repo.id, row.id, files);
  // Read back from the database: the same order and bytes as any other read.
  return readResources(ctx.db, row.repository_id, row.id);
}

/**
 * The files of a revision a new draft is made from. A revision whose tree
 * holds file names that are not UTF-8 lacks those files here (see
 * UNREADABLE_NAMES_ANNOTATION): a draft from it would drop or rename them
 * in Git, so it is refused, saying which files and what to do.
 */
export async function derivableFilesOf(ctx: ServiceContext, row: RevisionRow, action: string): Promise<ResourceFile[]> {
  const unreadable = row.meta.annotations?.[UNREADABLE_NAMES_ANNOTATION];
  if (unreadable) {
    const names = (JSON.parse(unreadable) as string[]).map((n) => JSON.stringify(n)).join(', ');
    throw failedPrecondition(
      `cannot ${action} ${row.name}: its files ${names} have names that are not UTF-8 in Git, which Porchlight cannot keep as they are; ` +
        `a new revision made from it would rename or drop them. Rename them in Git (git mv) and sync first`,
      { name: row.name },
    );
  }
  // Paths no package file may have are never stored since issue 15; a revision synced before may still hold them.
  return (await filesOf(ctx, row)).filter((f) => !packageFilePathProblem(f.path));
}

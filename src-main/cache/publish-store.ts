// The database half of approval and deletion: written only after Git accepted
// the push, in one transaction, so the cache never shows a published revision
// that Git does not have.
import type { Queryable } from '../db/database.ts';
import type { Lifecycle, Task } from '../../src-shared/domain.ts';
import { packageRevisionName } from '../../src-shared/names.ts';
import { parseKptfile } from './kptfile.ts';

export interface PublishableRevision {
  repository_id: number;
  id: number;
  package_id: number;
  name: string;
  package_path: string;
  workspace: string;
  revision: number;
  lifecycle: Lifecycle;
  resource_version: number;
  tasks: Task[];
  kptfile: ReturnType<typeof parseKptfile> | null;
}

export async function findRevisionForPublish(q: Queryable, repositoryId: number, name: string): Promise<PublishableRevision | undefined> {
  const res = await q.query<PublishableRevision>(
    `SELECT repository_id, id, package_id, name, package_path, workspace, revision, lifecycle, resource_version, tasks, kptfile
       FROM package_revisions WHERE repository_id = $1 AND name = $2 AND status = 'default'`,
    [repositoryId, name],
  );
  return res.rows[0];
}

/** The highest revision number the cache has ever given this package (live rows). */
export async function highestRevision(q: Queryable, repositoryId: number, packageId: number): Promise<number> {
  const res = await q.query<{ n: number | null }>(
    `SELECT max(revision)::int AS n FROM package_revisions WHERE repository_id = $1 AND package_id = $2 AND status = 'default'`,
    [repositoryId, packageId],
  );
  return Math.max(0, res.rows[0]?.n ?? 0);
}

export interface Published {
  revision: number;
  gitRef: string;
  commit: string;
  packageTree: string;
  branch: string;
  repositoryName: string;
  namespace: string;
  publishedBy: string;
  updatedBy: string;
}

/**
 * Records an approval Git accepted: the proposal becomes revision N (a proposal
 * rejected while the push was in flight is approved all the same: Git has it),
 * and the placeholder revision on the branch gets the same files. Returns false
 * if the row is gone; the caller then syncs to import it from Git.
 */
export async function recordPublished(q: Queryable, rev: PublishableRevision, p: Published): Promise<boolean> {
  const set = (from: Lifecycle, to: Lifecycle, revision: number) =>
    q.query(
      `UPDATE package_revisions
          SET lifecycle = $4, revision = $5, git_ref = $6, git_commit = $7, tree_id = $8, published_by = $9, published_at = now(),
              resource_version = resource_version + 1, updated_at = now(), updated_by = $10
        WHERE repository_id = $1 AND id = $2 AND status = 'default' AND lifecycle = $3`,
      [rev.repository_id, rev.id, from, to, revision, p.gitRef, p.commit, p.packageTree, p.publishedBy, p.updatedBy],
    );
  let moved = (await set('Proposed', 'Published', p.revision)).affectedRows === 1;
  if (!moved && (await set('Draft', 'Proposed', 0)).affectedRows === 1) moved = (await set('Proposed', 'Published', p.revision)).affectedRows === 1;
  if (!moved) return false;
  await replacePlaceholder(q, rev, p);
  return true;
}

/** The package on the branch: one live placeholder row per package, holding the newest approved files. */
async function replacePlaceholder(q: Queryable, rev: PublishableRevision, p: Published): Promise<void> {
  const name = packageRevisionName(p.repositoryName, rev.package_path, p.branch);
  await q.query(
    `UPDATE package_revisions SET status = 'pending_destruction', updated_at = now()
      WHERE repository_id = $1 AND package_id = $2 AND revision = -1 AND status = 'default'`,
    [rev.repository_id, rev.package_id],
  );
  const res = await q.query<{ id: number }>(
    `INSERT INTO package_revisions (repository_id, package_id, namespace, name, package_path, workspace, revision, lifecycle,
                                    spec, tasks, upstream_lock, kptfile, git_ref, git_commit, tree_id, published_by, published_at, updated_by)
     SELECT repository_id, package_id, namespace, $3, package_path, $4, -1, 'Published',
            spec, '[]', upstream_lock, kptfile, $5, $6, $7, published_by, published_at, $8
       FROM package_revisions WHERE repository_id = $1 AND id = $2
     RETURNING id`,
    [rev.repository_id, rev.id, name, p.branch, `refs/heads/${p.branch}`, p.commit, p.packageTree, p.updatedBy],
  );
  const placeholder = res.rows[0]!.id;
  await q.query(
    `INSERT INTO resources (repository_id, package_revision_id, path, content, size_bytes)
     SELECT repository_id, $3, path, content, size_bytes FROM resources
      WHERE repository_id = $1 AND package_revision_id = $2 AND status = 'default'`,
    [rev.repository_id, rev.id, placeholder],
  );
}

/** After Git dropped the tag (or the package from the branch): the row goes to the cleanup worker. */
export async function recordDeleted(q: Queryable, rev: PublishableRevision): Promise<boolean> {
  const res = await q.query(
    `UPDATE package_revisions SET status = 'pending_destruction', updated_at = now()
      WHERE repository_id = $1 AND id = $2 AND status = 'default' AND lifecycle = 'DeletionProposed'`,
    [rev.repository_id, rev.id],
  );
  return res.affectedRows === 1;
}

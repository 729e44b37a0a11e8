// Drafts live only in the database until approval: creating one is a single
// transaction (package, revision, resources), with no Git traffic at all.
import type { Queryable } from '../db/database.ts';
import type { Task } from '../../src-shared/domain.ts';
import { packageRevisionName } from '../../src-shared/names.ts';
import { parseKptfile } from './kptfile.ts';
import { ensurePackages, insertRows, type PackageFiles, type RepositoryRef } from './sync-writer.ts';

export interface NewDraft {
  packagePath: string;
  workspace: string;
  tasks: Task[];
  files: PackageFiles;
  updatedBy: string;
}

/** Whether any live revision of the package exists in the repository. */
export async function packageExists(q: Queryable, repositoryId: number, packagePath: string): Promise<boolean> {
  const res = await q.query(
    `SELECT 1 FROM package_revisions WHERE repository_id = $1 AND package_path = $2 AND status = 'default' LIMIT 1`,
    [repositoryId, packagePath],
  );
  return res.rows.length > 0;
}

export async function insertDraft(q: Queryable, repo: RepositoryRef, draft: NewDraft): Promise<string> {
  const packages = await ensurePackages(q, repo, [draft.packagePath], draft.updatedBy);
  const summary = parseKptfile(draft.files.find((f) => f.path === 'Kptfile')?.content);
  const name = packageRevisionName(repo.name, draft.packagePath, draft.workspace);
  const res = await q.query<{ id: number }>(
    `INSERT INTO package_revisions (repository_id, package_id, namespace, name, package_path, workspace, revision, lifecycle,
                                    spec, tasks, upstream_lock, kptfile, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, 0, 'Draft', $7, $8, $9, $10, $11) RETURNING id`,
    [
      repo.id,
      packages.get(draft.packagePath),
      repo.namespace,
      name,
      draft.packagePath,
      draft.workspace,
      JSON.stringify(summary.readinessGates.length ? { readinessGates: summary.readinessGates } : {}),
      JSON.stringify(draft.tasks),
      summary.upstreamLock ? JSON.stringify(summary.upstreamLock) : null,
      JSON.stringify(summary),
      draft.updatedBy,
    ],
  );
  const id = res.rows[0]!.id;
  await insertRows(q, 'resources', ['repository_id', 'package_revision_id', 'path', 'content'], draft.files.map((f) => [repo.id, id, f.path, f.content]));
  return name;
}

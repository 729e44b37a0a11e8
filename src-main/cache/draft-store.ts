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
  const res = await q.query(`SELECT 1 FROM package_revisions WHERE repository_id = $1 AND package_path = $2 AND status = 'default' LIMIT 1`, [
    repositoryId,
    packagePath,
  ]);
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
  await insertRows(
    q,
    'resources',
    ['repository_id', 'package_revision_id', 'path', 'content'],
    draft.files.map((f) => [repo.id, id, f.path, f.content]),
  );
  return name;
}

export interface DraftForUpdate {
  repository_id: number;
  id: number;
  name: string;
  lifecycle: string;
  resource_version: number;
}

/**
 * Writes a draft's files if the caller saw the current resource version, and
 * moves the version on: two writers (two windows, two laptops on one
 * PostgreSQL) never overwrite each other silently. Only changed files are
 * written, so saving one edited resource costs the same in any package.
 * Returns the new resource version, or undefined if the draft moved on.
 */
export async function writeDraftResources(
  q: Queryable,
  draft: DraftForUpdate,
  expectedVersion: number,
  change: { files: PackageFiles; remove: readonly string[]; replaceAll: boolean; updatedBy: string },
): Promise<number | undefined> {
  const moved = await q.query<{ resource_version: number }>(
    `UPDATE package_revisions SET resource_version = resource_version + 1, updated_at = now(), updated_by = $4
      WHERE repository_id = $1 AND id = $2 AND status = 'default' AND lifecycle = 'Draft' AND resource_version = $3
      RETURNING resource_version`,
    [draft.repository_id, draft.id, expectedVersion, change.updatedBy],
  );
  if (moved.rows.length === 0) return undefined;
  const paths = change.files.map((f) => f.path);
  if (change.replaceAll) {
    await q.query(`DELETE FROM resources WHERE repository_id = $1 AND package_revision_id = $2 AND NOT (path = ANY($3::text[]))`, [
      draft.repository_id,
      draft.id,
      paths,
    ]);
  } else if (change.remove.length) {
    await q.query(`DELETE FROM resources WHERE repository_id = $1 AND package_revision_id = $2 AND path = ANY($3::text[])`, [
      draft.repository_id,
      draft.id,
      change.remove,
    ]);
  }
  for (const f of change.files) {
    await q.query(
      `INSERT INTO resources (repository_id, package_revision_id, path, content, size_bytes) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (repository_id, package_revision_id, path) WHERE status = 'default'
       DO UPDATE SET content = EXCLUDED.content, size_bytes = EXCLUDED.size_bytes WHERE resources.content IS DISTINCT FROM EXCLUDED.content`,
      [draft.repository_id, draft.id, f.path, f.content, f.content.length],
    );
  }
  // The Kptfile drives readiness gates, conditions and the upstream lock: keep the summary current.
  const kptfile = change.files.find((f) => f.path === 'Kptfile')?.content;
  if (kptfile) {
    const summary = parseKptfile(kptfile);
    await q.query(`UPDATE package_revisions SET kptfile = $3, spec = $4, upstream_lock = $5 WHERE repository_id = $1 AND id = $2`, [
      draft.repository_id,
      draft.id,
      JSON.stringify(summary),
      JSON.stringify(summary.readinessGates.length ? { readinessGates: summary.readinessGates } : {}),
      summary.upstreamLock ? JSON.stringify(summary.upstreamLock) : null,
    ]);
  }
  return moved.rows[0]!.resource_version;
}

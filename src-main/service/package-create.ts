// New drafts from init, clone, copy and upgrade share Porch's checks (one
// workspace per package, no clone over an existing package, no nesting) and
// one transaction: the checks and the insert see the same database.
import type { Database } from '../db/database.ts';
import type { Task } from '../../src-shared/domain.ts';
import { alreadyExists, failedPrecondition } from '../../src-shared/errors.ts';
import { insertDraft } from '../cache/draft-store.ts';
import type { RepositoryRow } from '../cache/repository-store.ts';
import type { PackageFile } from './kpt-files.ts';

export type CreateKind = 'init' | 'clone' | 'edit' | 'upgrade';

export interface NewRevision {
  kind: CreateKind;
  packagePath: string;
  workspace: string;
  task: Task;
  files: PackageFile[];
  updatedBy: string;
}

interface LivePackageRevision {
  package_path: string;
  workspace: string;
}

export async function createDraft(db: Database, repo: RepositoryRow, r: NewRevision): Promise<string> {
  return db.transaction(async (tx) => {
    const res = await tx.query<LivePackageRevision>(
      `SELECT package_path, workspace FROM package_revisions
        WHERE repository_id = $1 AND status = 'default'
          AND (package_path = $2 OR package_path LIKE $3 OR $2 LIKE package_path || '/%')`,
      [repo.id, r.packagePath, `${r.packagePath.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`],
    );
    const same = res.rows.filter((row) => row.package_path === r.packagePath);
    const nested = res.rows.find((row) => row.package_path !== r.packagePath);
    if (same.some((row) => row.workspace === r.workspace)) {
      throw alreadyExists(
        `package revision workspaceNames must be unique; package revision with name ${r.packagePath} in repo ${repo.name} with workspaceName ${r.workspace} already exists`,
        { package: r.packagePath, workspace: r.workspace },
      );
    }
    if (r.kind === 'clone' && same.length) {
      throw alreadyExists(
        `\`clone\` cannot create a new revision for package "${r.packagePath}" that already exists in repo "${repo.name}"; make subsequent revisions using \`copy\``,
        { package: r.packagePath, repository: repo.name },
      );
    }
    if (r.kind === 'init' && same.length) {
      throw alreadyExists(`package "${r.packagePath}" already exists in repository "${repo.name}"`, { package: r.packagePath, repository: repo.name });
    }
    if ((r.kind === 'init' || r.kind === 'clone') && nested) {
      throw failedPrecondition(`package path "${r.packagePath}" conflicts with existing package "${nested.package_path}": packages cannot be nested`);
    }
    return insertDraft(
      tx,
      { id: repo.id, namespace: repo.namespace, name: repo.name },
      {
        packagePath: r.packagePath,
        workspace: r.workspace,
        tasks: [r.task],
        files: r.files,
        updatedBy: r.updatedBy,
      },
    );
  });
}

// Where a clone comes from: a registered revision (its files are cached, no
// Git traffic) or a package in any Git repository, with the upstream lock and
// the task Porch records for each.
import path from 'node:path';
import type { ParsedRequestOf } from '../../src-shared/contract.ts';
import type { ResourceFile, Task, UpstreamLock } from '../../src-shared/domain.ts';
import { failedPrecondition, notFound } from '../../src-shared/errors.ts';
import { toPackageRevision } from '../cache/revision-store.ts';
import { redactUrl } from '../git/http-client.ts';
import { readUpstreamPackage } from '../git/upstream-package.ts';
import type { ServiceContext } from './context.ts';
import { findRevisionRow } from './lookups.ts';
import { credentialsForUrl, secretFor } from './repository-credentials.ts';
import { derivableFilesOf } from './revision-files.ts';

export interface Upstream {
  files: ResourceFile[];
  lock: UpstreamLock;
  task: Task;
}

type GitSource = Extract<ParsedRequestOf<'revisions.clone'>['source'], { kind: 'git' }>;

export async function registeredUpstream(ctx: ServiceContext, namespace: string, name: string): Promise<Upstream> {
  const row = await findRevisionRow(ctx, namespace, name);
  if (!row) throw notFound(`failed to fetch package revision "${name}": cannot find package revision "${name}"`, { name });
  const pr = toPackageRevision(row);
  if (row.revision === -1) throw failedPrecondition(`upstream revision may not be the placeholder package revision ${row.repository_name}/${name}`);
  if (!pr.status.selfLock) {
    throw failedPrecondition(
      `upstream revision ${name} is a ${row.lifecycle} that exists only in Porchlight's database, so there is no commit to lock to; approve it first, or clone a published revision`,
    );
  }
  return {
    files: await derivableFilesOf(ctx, row, 'clone'),
    lock: pr.status.selfLock,
    task: { type: 'clone', clone: { upstreamRef: { upstreamRef: { name } } } },
  };
}

export async function gitUpstream(ctx: ServiceContext, namespace: string, source: GitSource): Promise<Upstream> {
  let auth =
    source.username !== undefined ? { username: source.username, password: source.password ?? '' } : await credentialsForUrl(ctx, namespace, source.repo);
  if (source.secretRef) {
    auth = await secretFor(ctx, namespace, source.secretRef, source.repo);
    if (!auth)
      throw notFound(
        `no credentials named "${source.secretRef}" in namespace "${namespace}"; registering a repository with --repo-basic-username stores them as "<repository>-auth"`,
      );
  }
  const directory = source.directory ?? '/';
  const pkg = await readUpstreamPackage({
    http: ctx.git.http,
    cacheDir: path.join(ctx.dataHome, 'upstreams'),
    url: source.repo,
    ref: source.ref,
    directory,
    auth,
  });
  if (pkg.refusedPaths.length) {
    throw failedPrecondition(
      `cannot clone ${directory}@${source.ref} from ${redactUrl(source.repo)}: it holds ${pkg.refusedPaths.map((p) => JSON.stringify(p)).join(', ')}, paths no package file may have (Git's own directory ".git" in some spelling, or a path out of the package). ` +
        'Register the repository instead and clone its revision: Porchlight lists what it leaves out there, and the clone goes without them',
      { refusedPaths: pkg.refusedPaths },
    );
  }
  const lockDir = directory.replace(/^\/+|\/+$/g, '');
  return {
    files: pkg.files,
    lock: { type: 'git' as const, git: { repo: source.repo, directory: lockDir, ref: source.ref, commit: pkg.commit } },
    task: {
      type: 'clone',
      clone: { upstreamRef: { type: 'git', git: { repo: source.repo, ref: source.ref, directory, secretRef: { name: source.secretRef ?? '' } } } },
    },
  };
}

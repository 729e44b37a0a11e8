// A package read straight from a Git repository that is not registered (clone
// from a URL): the repository is fetched into a cache of its own, the ref
// resolved as Porch resolves it, and the package directory read at that commit.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { HttpClient } from 'isomorphic-git';
import { invalidArgument, notFound, PorchlightError } from '../../src-shared/errors.ts';
import { packageFilePathProblem } from '../../src-shared/package-files.ts';
import type { BasicAuth } from './credentials.ts';
import { ensureLocalClone, fetchAll, openLocalClone, openObjectReader } from './local-clone.ts';
import { listRemoteRefs, type RemoteRef } from './remote-refs.ts';
import { redactUrl } from './http-client.ts';

export interface UpstreamPackage {
  files: { path: string; content: Uint8Array }[];
  commit: string;
  /** Paths no package file may have (".git", ".."...), left out of `files`; a directory ends in '/'. */
  refusedPaths: string[];
}

/** Porch tries `<directory>/<ref>` before `<ref>`, as a tag or a branch. */
export function resolveUpstreamRef(refs: readonly RemoteRef[], ref: string, directory: string): string | undefined {
  const names = directory ? [`${directory}/${ref}`, ref] : [ref];
  for (const name of names) {
    for (const full of name.startsWith('refs/') ? [name] : [`refs/tags/${name}`, `refs/heads/${name}`]) {
      const found = refs.find((r) => r.ref === full);
      if (found) return found.peeled ?? found.oid;
    }
  }
  if (/^[0-9a-f]{40}$/.test(ref)) return ref;
  return undefined;
}

export async function readUpstreamPackage(opts: {
  http: HttpClient;
  cacheDir: string;
  url: string;
  ref: string;
  directory: string;
  auth?: BasicAuth;
}): Promise<UpstreamPackage> {
  const directory = opts.directory.replace(/^\/+|\/+$/g, '');
  const problem = directory && packageFilePathProblem(directory);
  if (problem)
    throw invalidArgument(`the package directory "${opts.directory}" is not a path inside the repository: ${problem}`, { directory: opts.directory });
  const refs = await listRemoteRefs(opts.http, opts.url, opts.auth);
  const commit = resolveUpstreamRef(refs, opts.ref, directory);
  if (!commit) {
    throw notFound(
      `cannot find package ${directory || '/'}@${opts.ref} in ${redactUrl(opts.url)}: no tag or branch named ${directory ? `"${directory}/${opts.ref}" or ` : ''}"${opts.ref}"`,
    );
  }
  const clone = openLocalClone(path.join(opts.cacheDir, `${createHash('sha256').update(opts.url).digest('hex').slice(0, 32)}.git`), opts.url);
  await ensureLocalClone(clone, 'main');
  await fetchAll(clone, { http: opts.http, branch: 'main', auth: opts.auth });
  const reader = await openObjectReader(clone);
  try {
    const root = (await reader.commit(commit)).tree;
    const tree = await reader.subtree(root, directory);
    const listing = tree ? await reader.files(tree) : [];
    if (!listing.some((f) => f.path === 'Kptfile')) {
      throw new PorchlightError(
        'NOT_FOUND',
        `cannot find package ${directory || '/'}@${opts.ref} in ${redactUrl(opts.url)}: there is no Kptfile in "${directory || '/'}" at that ref`,
      );
    }
    const unreadable = listing.filter((f) => f.nameUnreadable).map((f) => JSON.stringify(f.path));
    if (unreadable.length) {
      throw new PorchlightError(
        'FAILED_PRECONDITION',
        `cannot clone ${directory || '/'}@${opts.ref} from ${redactUrl(opts.url)}: its files ${unreadable.join(', ')} have names that are not UTF-8, which Porchlight cannot keep as they are; rename them in Git (git mv) first`,
      );
    }
    const files = [];
    for (const f of listing) {
      if (f.mode === '120000' || f.nameRefused) continue; // symlinks are not package files
      files.push({ path: f.path, content: await reader.blob(f.oid) });
    }
    return { files, commit, refusedPaths: listing.filter((f) => f.nameRefused).map((f) => f.path) };
  } finally {
    reader.close();
  }
}

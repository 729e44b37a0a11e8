// A local bare clone per registered repository. Sync fetches every branch and tag
// into it, and all reading happens here, so reads never touch the network.
import fs from 'node:fs';
import { gitFs } from './atomic-fs.ts';
import path from 'node:path';
import git from 'isomorphic-git';
import type { HttpClient, ProgressCallback } from 'isomorphic-git';
import { authHeaders, onAuthFor, type BasicAuth } from './credentials.ts';
import { translateGitError } from './git-errors.ts';
import { DEFAULT_GIT_TIMEOUT_MS } from './http-client.ts';
import { nativeFetchAll, useNativeGit } from './native-fetch.ts';
import { ObjectReader, type GitObjectReader } from './object-reader.ts';
import { NativeObjectReader } from './native-object-reader.ts';
import { isLocalUrl, localGitdir } from './local-repository.ts';
import { PorchlightError } from '../../src-shared/errors.ts';

export interface LocalClone {
  gitdir: string;
  url: string;
  /** isomorphic-git's shared object cache: without it every read re-opens the packs. */
  cache: object;
}

/** For a repository registered by path, the "clone" is the repository itself: read and written in place. */
export function openLocalClone(gitdir: string, url: string): LocalClone {
  return { gitdir: isLocalUrl(url) ? localGitdir(url) : gitdir, url, cache: {} };
}

/** A bare repository to write objects into, even before anything was fetched (an empty remote). */
export async function ensureLocalClone(clone: LocalClone, branch: string): Promise<void> {
  if (fs.existsSync(path.join(clone.gitdir, 'config'))) return;
  if (isLocalUrl(clone.url)) {
    throw new PorchlightError('UNAVAILABLE', `the Git repository at ${clone.gitdir} is gone (moved or deleted?); put it back, or unregister it`, {
      path: clone.gitdir,
    });
  }
  await fs.promises.mkdir(clone.gitdir, { recursive: true });
  await git.init({ fs: gitFs, gitdir: clone.gitdir, bare: true, defaultBranch: branch });
  await git.addRemote({ fs: gitFs, gitdir: clone.gitdir, remote: 'origin', url: clone.url, force: true });
}

/** Brings every branch (as refs/remotes/origin/*) and tag of the remote into the clone. */
export async function fetchAll(
  clone: LocalClone,
  opts: { http: HttpClient; branch: string; auth?: BasicAuth; onProgress?: ProgressCallback; timeoutMs?: number },
): Promise<void> {
  // A local repository is read in place: there is nothing to bring over.
  if (isLocalUrl(clone.url)) return ensureLocalClone(clone, opts.branch);
  if (await useNativeGit()) {
    await nativeFetchAll(clone.gitdir, clone.url, { auth: opts.auth, timeoutMs: opts.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS, onProgress: opts.onProgress });
    return;
  }
  await ensureLocalClone(clone, opts.branch);
  try {
    await git.fetch({
      fs: gitFs,
      http: opts.http,
      gitdir: clone.gitdir,
      remote: 'origin',
      url: clone.url,
      singleBranch: false,
      tags: true,
      prune: true,
      pruneTags: true,
      headers: authHeaders(opts.auth),
      onAuth: onAuthFor(opts.auth),
      onProgress: opts.onProgress,
      cache: clone.cache,
    });
  } catch (e) {
    const code = (e as { code?: string }).code;
    // An empty remote has nothing to fetch; that is a valid, empty repository.
    if (code === 'NoRefspecError' || code === 'EmptyServerResponseError') return;
    throw translateGitError(e, clone.url, 'fetching');
  }
}

/** The faster reader this machine has: `git cat-file` when native git is there, else isomorphic-git. */
export async function openObjectReader(clone: LocalClone): Promise<GitObjectReader> {
  return (await useNativeGit()) ? new NativeObjectReader(clone.gitdir) : new ObjectReader(clone);
}

/**
 * Where the clone last saw the remote's branch (after a fetch, or after our
 * own push), read from the ref files directly: a mirror of 10,000 tags keeps
 * them in one packed-refs file, and only one line of it is wanted.
 */
export async function localBranchHead(clone: LocalClone, branch: string): Promise<string | undefined> {
  const refs = [`refs/heads/${branch}`, `refs/remotes/origin/${branch}`];
  for (const ref of refs) {
    const loose = await fs.promises.readFile(path.join(clone.gitdir, ref), 'utf8').catch(() => undefined);
    if (loose && /^[0-9a-f]{40}\s*$/.test(loose)) return loose.trim();
  }
  const packed = await fs.promises.readFile(path.join(clone.gitdir, 'packed-refs'), 'utf8').catch(() => '');
  for (const ref of refs) {
    const m = new RegExp(`^([0-9a-f]{40}) ${ref.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'm').exec(packed);
    if (m) return m[1];
  }
  return undefined;
}

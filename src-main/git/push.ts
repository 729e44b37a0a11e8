// Pushes ref updates from a local clone to the remote: all of them or none.
// With native git that is one `push --atomic`. isomorphic-git pushes one ref per
// request, so there the branch goes first (it can be refused as not a fast
// forward; nothing else has been written then) and the tags after it.
import fs from 'node:fs';
import git from 'isomorphic-git';
import type { HttpClient } from 'isomorphic-git';
import { PorchlightError } from '../../src-shared/errors.ts';
import { authHeaders, onAuthFor, type BasicAuth } from './credentials.ts';
import { translateGitError } from './git-errors.ts';
import { DEFAULT_GIT_TIMEOUT_MS, redactUrl } from './http-client.ts';
import { gitEnv, gitFailure, runGit, useNativeGit } from './native-fetch.ts';

export interface RefUpdate {
  ref: string;
  /** The new object; undefined deletes the ref. */
  oid?: string;
}

/** The remote refused because it moved on (not a fast forward, or a tag already there): fetch and try again. */
export class PushRejected extends PorchlightError {
  constructor(url: string, detail: string) {
    super('CONFLICT', `the Git server at ${redactUrl(url)} refused the push because the repository changed (${detail})`, { url: redactUrl(url) });
  }
}

const MOVED_ON = /non-fast-forward|fetch first|already exists|stale info|cannot lock ref|\(rejected\)/i;

export async function pushRefs(
  gitdir: string,
  url: string,
  updates: readonly RefUpdate[],
  opts: { http: HttpClient; auth?: BasicAuth; timeoutMs?: number },
): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
  if (await useNativeGit()) {
    const specs = updates.map((u) => `${u.oid ?? ''}:${u.ref}`);
    const res = await runGit(['--git-dir', gitdir, 'push', '--atomic', '--porcelain', '--quiet', url, ...specs], gitEnv(opts.auth, timeoutMs), timeoutMs * 3);
    if (res.code === 0) return;
    const out = res.stderr;
    const refused = out.split('\n').find((l) => l.startsWith('!'));
    if (refused && MOVED_ON.test(out)) throw new PushRejected(url, refused.replace(/^!\s*/, '').trim());
    if (/\[remote rejected\]|pre-receive hook declined|protected branch/i.test(out)) {
      throw new PorchlightError('FAILED_PRECONDITION', `the Git server at ${redactUrl(url)} refused the push: ${(refused ?? out.trim().split('\n').pop() ?? '').trim()}`, { url: redactUrl(url) });
    }
    throw gitFailure(res, url, 'pushing to', 'the push');
  }
  // isomorphic-git pushes from a local ref: each update goes through a scratch ref.
  const ordered = [...updates].sort((a, b) => Number(b.ref.startsWith('refs/heads/')) - Number(a.ref.startsWith('refs/heads/')));
  for (const u of ordered) {
    const scratch = 'refs/porchlight/push';
    if (u.oid) await git.writeRef({ fs, gitdir, ref: scratch, value: u.oid, force: true });
    try {
      const result = await git.push({
        fs,
        http: opts.http,
        gitdir,
        url,
        ref: u.oid ? scratch : u.ref,
        remoteRef: u.ref,
        delete: !u.oid,
        headers: authHeaders(opts.auth),
        onAuth: onAuthFor(opts.auth),
      });
      const status = result.refs?.[u.ref];
      if (status && !status.ok) throw new PushRejected(url, `${u.ref}: ${status.error}`);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (e instanceof PorchlightError) throw e;
      if (code === 'PushRejectedError' || code === 'GitPushError') throw new PushRejected(url, `${u.ref}: ${(e as Error).message}`);
      throw translateGitError(e, url, 'pushing');
    } finally {
      await git.deleteRef({ fs, gitdir, ref: scratch }).catch(() => {});
    }
  }
}

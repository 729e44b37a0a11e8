// The remote's refs in one round trip. Their hash is the repository's "version":
// an unchanged remote costs a sync nothing more than this call.
import { createHash } from 'node:crypto';
import git from 'isomorphic-git';
import type { HttpClient } from 'isomorphic-git';
import { authHeaders, onAuthFor, type BasicAuth } from './credentials.ts';
import { translateGitError } from './git-errors.ts';
import { isLocalUrl, listLocalRefs, localGitdir, localPathOf } from './local-repository.ts';
import { assertSafeDirectory } from './safe-directory.ts';
import { validRefs } from './ref-names.ts';

export interface RemoteRef {
  ref: string;
  oid: string;
  /** For an annotated tag, the commit it points to. */
  peeled?: string;
}

/** Refs whose names Git would refuse are left out (they could name paths out of a git directory); `onIgnored` hears of them. */
export async function listRemoteRefs(http: HttpClient, url: string, auth?: BasicAuth, onIgnored?: (names: string[]) => void): Promise<RemoteRef[]> {
  if (isLocalUrl(url)) {
    // Checked at every listing: a repository can change hands after it was registered.
    await assertSafeDirectory(localPathOf(url), localGitdir(url));
    return listLocalRefs(localGitdir(url), onIgnored);
  }
  try {
    // Protocol v1: the ref advertisement is the whole answer, one request.
    const refs = await git.listServerRefs({
      http,
      url,
      headers: authHeaders(auth),
      onAuth: onAuthFor(auth),
      protocolVersion: 1,
      peelTags: true,
      symrefs: false,
    });
    const listed = refs
      .filter((r) => r.ref.startsWith('refs/'))
      .map((r) => (r.peeled ? { ref: r.ref, oid: r.oid, peeled: r.peeled } : { ref: r.ref, oid: r.oid }));
    return validRefs(listed, onIgnored);
  } catch (e) {
    throw translateGitError(e, url, 'listing remote refs');
  }
}

export function remoteVersion(refs: readonly RemoteRef[]): string {
  const hash = createHash('sha256');
  for (const r of [...refs].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0))) {
    hash.update(`${r.ref} ${r.oid}\n`);
  }
  return hash.digest('hex');
}

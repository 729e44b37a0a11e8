// Where a repository being registered lives: a Git server (http/https) or a
// repository on this machine, given by absolute path or file:/// URL. A local
// one is checked before anything is written (it must be a Git repository
// Porchlight can write with Git's own locking) and stored as file:///abs/path.
import { PorchlightError } from '../../src-shared/errors.ts';
import { checkedOutWarning, inspectLocalRepository, isLocalUrl, localUrlOf } from '../git/local-repository.ts';

export interface Address<R> {
  request: R;
  /** Said to the user, not refused: e.g. the branch is checked out in a work tree. */
  warnings: string[];
}

export function isLocalAddress(url: string): boolean {
  return isLocalUrl(url) || !/^https?:\/\//i.test(url);
}

/** A local address (isLocalAddress), checked and made canonical. */
export async function resolveLocalAddress<R extends { url: string; branch: string; username?: string; password?: string }>(r: R): Promise<Address<R>> {
  if (r.username !== undefined || r.password !== undefined) {
    throw new PorchlightError(
      'INVALID_ARGUMENT',
      'a repository on this machine is read and written directly and takes no credentials; drop --repo-basic-username and --repo-basic-password',
    );
  }
  const url = localUrlOf(r.url);
  const info = await inspectLocalRepository(url, r.branch);
  const warning = checkedOutWarning(r.branch, info.checkedOutIn);
  return { request: { ...r, url }, warnings: warning ? [warning] : [] };
}

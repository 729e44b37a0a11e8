// Who the commits Porchlight writes are by: the user's own Git identity
// (user.name and user.email) when native git has one, else the OS user at
// this host. Porch records its signed-in user the same way.
import { execFile } from 'node:child_process';
import os from 'node:os';
import type { CommitIdentity } from '../git/porch-commits.ts';
import { useNativeGit } from '../git/native-fetch.ts';

function gitConfig(key: string): Promise<string | undefined> {
  return new Promise((resolve) =>
    execFile('git', ['config', '--get', key], { timeout: 5_000 }, (error, stdout) => resolve(error ? undefined : stdout.trim() || undefined)),
  );
}

let identity: Promise<CommitIdentity> | undefined;

export function commitIdentity(): Promise<CommitIdentity> {
  identity ??= (async () => {
    const user = os.userInfo().username;
    const fallback = { name: user, email: `${user}@${os.hostname()}` };
    if (!(await useNativeGit())) return fallback;
    const [name, email] = await Promise.all([gitConfig('user.name'), gitConfig('user.email')]);
    return { name: name ?? fallback.name, email: email ?? fallback.email };
  })();
  return identity;
}

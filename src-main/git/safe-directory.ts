// Git refuses to work in a repository another user owns unless the user lists
// it in Git's own safe.directory: that repository's config could make Git run
// commands as the user. Porchlight reads local repositories by their git
// directory, which skips Git's check, so it makes the same check itself.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PorchlightError } from '../../src-shared/errors.ts';

/** safe.directory from Git's system and global config (never the repository's own), in order. */
function configuredSafeDirectories(): Promise<string[]> {
  const read = (scope: string) =>
    new Promise<string[]>((resolve) =>
      // Exit code 1 means "not set"; no git at all means nothing is listed either.
      execFile('git', ['config', scope, '--get-all', 'safe.directory'], { encoding: 'utf8' }, (error, stdout) =>
        resolve(error ? [] : stdout.split('\n').slice(0, -1)),
      ),
    );
  return Promise.all([read('--system'), read('--global')]).then(([system, global]) => [...system, ...global]);
}

function canonical(p: string): string {
  const resolved = path.resolve(p.startsWith('~/') ? path.join(os.homedir(), p.slice(2)) : p);
  try {
    return fs.realpathSync(resolved);
  } catch {
    return resolved;
  }
}

/** Git's reading of safe.directory: '*' allows all, an empty value clears the list, 'dir/*' allows what is under dir. */
export function isListedSafe(dir: string, entries: readonly string[]): boolean {
  const want = canonical(dir);
  let safe = false;
  for (const entry of entries) {
    if (entry === '') safe = false;
    else if (entry === '*') safe = true;
    else if (entry.endsWith('/*')) safe ||= (want + path.sep).startsWith(canonical(entry.slice(0, -2)) + path.sep);
    else safe ||= canonical(entry) === want;
  }
  return safe;
}

function userName(uid: number): string {
  try {
    const line = fs
      .readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.split(':')[2] === String(uid));
    if (line) return `${line.split(':')[0]} (uid ${uid})`;
  } catch {
    // No passwd file to ask: the number says it.
  }
  return `uid ${uid}`;
}

const shellQuoted = (p: string) => (/^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replaceAll("'", `'\\''`)}'`);

/**
 * Refuses a repository (`top`, the path it was registered by, and its git
 * directory) that another user owns, unless Git's safe.directory lists `top`.
 */
export async function assertSafeDirectory(top: string, gitdir: string): Promise<void> {
  const me = process.geteuid?.();
  if (me === undefined) return; // Windows: Git checks ownership by SID; not done here.
  let foreign: { path: string; uid: number } | undefined;
  for (const p of new Set([top, gitdir])) {
    const stat = await fs.promises.lstat(p).catch(() => undefined);
    if (stat && stat.uid !== me) {
      foreign = { path: p, uid: stat.uid };
      break;
    }
  }
  if (!foreign || isListedSafe(top, await configuredSafeDirectories())) return;
  throw new PorchlightError(
    'FAILED_PRECONDITION',
    `${foreign.path} is owned by ${userName(foreign.uid)}, not by you (${userName(me)}): Git refuses to work in a repository another user owns, ` +
      `as its configuration could run commands as you, and so does Porchlight. If you trust it, tell Git so: git config --global --add safe.directory ${shellQuoted(top)}`,
    { path: top, ownerUid: foreign.uid },
  );
}

// A repository registered by path (file:///...): Porchlight reads its objects
// and refs where they are and publishes into it directly, with no server and no
// mirror. Only Git's own "files" ref storage and SHA-1 objects are understood;
// anything else is refused at registration with the reason, never half-read.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import git from 'isomorphic-git';
import { PorchlightError } from '../../src-shared/errors.ts';
import type { RemoteRef } from './remote-refs.ts';
import { validRefs } from './ref-names.ts';
import { assertSafeDirectory } from './safe-directory.ts';

import { isLocalUrl } from './local-url.ts';

export { isLocalUrl, localUrlOf } from './local-url.ts';

export function localPathOf(url: string): string {
  return fileURLToPath(url);
}

/**
 * The git directory behind a local URL: `<path>/.git` of a working clone (or
 * the directory a `.git` file names, as in a linked worktree or submodule),
 * else the path itself, a bare repository.
 */
export function localGitdir(url: string): string {
  const top = localPathOf(url);
  const dotGit = path.join(top, '.git');
  try {
    const stat = fs.statSync(dotGit);
    if (stat.isDirectory()) return dotGit;
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(fs.readFileSync(dotGit, 'utf8'));
    if (m) return path.resolve(top, m[1]!);
  } catch {
    // No .git: a bare repository, or nothing (inspectLocalRepository says which).
  }
  return top;
}

export interface LocalRepositoryInfo {
  gitdir: string;
  bare: boolean;
  /** Work trees where the given branch is checked out. */
  checkedOutIn: string[];
}

async function readConfig(gitdir: string): Promise<string> {
  return fs.promises.readFile(path.join(gitdir, 'config'), 'utf8').catch(() => '');
}

/** Refuses what Porchlight cannot read or write safely, saying what the path is and what to do. */
export async function inspectLocalRepository(url: string, branch: string): Promise<LocalRepositoryInfo> {
  const where = localPathOf(url);
  if (!fs.existsSync(where)) {
    throw new PorchlightError('NOT_FOUND', `no such directory: ${where}; give the path of a Git repository (a working clone or a bare repository)`, {
      path: where,
    });
  }
  const gitdir = localGitdir(url);
  const isRepo = ['HEAD', 'objects', 'refs'].every((p) => fs.existsSync(path.join(gitdir, p)));
  if (!isRepo) {
    throw new PorchlightError(
      'INVALID_ARGUMENT',
      `${where} is not a Git repository (no .git directory, and not a bare repository); create one with \`git init\` (or \`git init --bare\`) first`,
      { path: where },
    );
  }
  await assertSafeDirectory(where, gitdir);
  const config = await readConfig(gitdir);
  if (/^\s*refstorage\s*=\s*reftable/im.test(config)) {
    throw new PorchlightError(
      'FAILED_PRECONDITION',
      `${where} keeps its refs in a reftable, which Porchlight cannot write with Git's locking; convert it with \`git refs migrate --ref-format=files\``,
      { path: where },
    );
  }
  if (/^\s*objectformat\s*=\s*sha256/im.test(config)) {
    throw new PorchlightError('FAILED_PRECONDITION', `${where} uses SHA-256 object names; Porchlight (like Porch) reads SHA-1 repositories only`, {
      path: where,
    });
  }
  return layoutOf(url, branch, config);
}

/** Its git directory, whether it is bare, and the work trees that have the branch checked out. */
async function layoutOf(url: string, branch: string, config?: string): Promise<LocalRepositoryInfo> {
  const where = localPathOf(url);
  const gitdir = localGitdir(url);
  const bare = gitdir === where && !/^\s*bare\s*=\s*false/im.test(config ?? (await readConfig(gitdir)));
  // A path to the .git directory of a working clone: its work tree is the parent.
  const top = gitdir === where && !bare ? path.dirname(where) : where;
  return { gitdir, bare, checkedOutIn: await worktreesOnBranch(gitdir, top, bare, branch) };
}

/** The work trees (the main one and `git worktree` ones) whose HEAD is the branch. */
async function worktreesOnBranch(gitdir: string, top: string, bare: boolean, branch: string): Promise<string[]> {
  const wanted = `ref: refs/heads/${branch}`;
  const found: string[] = [];
  const head = await fs.promises.readFile(path.join(gitdir, 'HEAD'), 'utf8').catch(() => '');
  if (!bare && head.trim() === wanted) found.push(top);
  const linked = await fs.promises.readdir(path.join(gitdir, 'worktrees')).catch(() => [] as string[]);
  for (const name of linked) {
    const dir = path.join(gitdir, 'worktrees', name);
    const linkedHead = await fs.promises.readFile(path.join(dir, 'HEAD'), 'utf8').catch(() => '');
    if (linkedHead.trim() !== wanted) continue;
    const dotGit = (await fs.promises.readFile(path.join(dir, 'gitdir'), 'utf8').catch(() => '')).trim();
    found.push(dotGit ? path.dirname(dotGit) : dir);
  }
  return found;
}

export function checkedOutWarning(branch: string, worktrees: readonly string[]): string | undefined {
  if (!worktrees.length) return undefined;
  return (
    `branch ${branch} is checked out in ${worktrees.join(', ')}: Porchlight publishes by moving the branch and never touches ` +
    `that work tree or its index, so after an approval \`git status\` there shows the published change as undone; ` +
    `run \`git stash\` (if you have changes) and \`git reset --hard\` to catch up, or check out another branch`
  );
}

/** packed-refs as ref -> {oid, peeled}; the `^` line after a tag is its peeled commit. */
export function parsePackedRefs(text: string): Map<string, { oid: string; peeled?: string }> {
  const refs = new Map<string, { oid: string; peeled?: string }>();
  let last: { oid: string; peeled?: string } | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('^')) {
      if (last) last.peeled = line.slice(1).trim();
      continue;
    }
    const m = /^([0-9a-f]{40}) (refs\/\S+)$/.exec(line);
    last = m ? { oid: m[1]! } : undefined;
    if (m) refs.set(m[2]!, last!);
  }
  return refs;
}

async function looseRefs(gitdir: string, dir: string, out: Map<string, string>): Promise<void> {
  const entries = await fs.promises.readdir(path.join(gitdir, dir), { withFileTypes: true }).catch(() => [] as fs.Dirent[]);
  for (const e of entries) {
    const ref = `${dir}/${e.name}`;
    if (e.isDirectory()) await looseRefs(gitdir, ref, out);
    else if (e.isFile() && !e.name.endsWith('.lock')) {
      const value = (await fs.promises.readFile(path.join(gitdir, ref), 'utf8').catch(() => '')).trim();
      // Symbolic refs (refs/remotes/origin/HEAD) are not advertised as values.
      if (/^[0-9a-f]{40}$/.test(value)) out.set(ref, value);
    }
  }
}

/**
 * Every ref under refs/, loose over packed, as a server would advertise them
 * (annotated tags peeled). A name Git would refuse (a packed-refs line can say
 * anything) is left out, and `onIgnored` hears of it.
 */
export async function listLocalRefs(gitdir: string, onIgnored?: (names: string[]) => void): Promise<RemoteRef[]> {
  if (!fs.existsSync(path.join(gitdir, 'refs'))) {
    throw new PorchlightError('UNAVAILABLE', `the Git repository at ${gitdir} is gone (moved or deleted?); put it back, or unregister it`, { path: gitdir });
  }
  // Loose first, then packed-refs, as Git reads them: `git pack-refs` writes
  // packed-refs before it removes a loose ref, so in this order a ref being
  // packed at the same time is seen in one place or the other, never missed.
  const loose = new Map<string, string>();
  await looseRefs(gitdir, 'refs', loose);
  const packed = parsePackedRefs(await fs.promises.readFile(path.join(gitdir, 'packed-refs'), 'utf8').catch(() => ''));
  const refs: RemoteRef[] = [];
  for (const [ref, p] of packed) if (!loose.has(ref)) refs.push(p.peeled ? { ref, oid: p.oid, peeled: p.peeled } : { ref, oid: p.oid });
  const cache = {};
  for (const [ref, oid] of loose) {
    const peeled = ref.startsWith('refs/tags/') ? await peel(gitdir, oid, cache) : undefined;
    refs.push(peeled ? { ref, oid, peeled } : { ref, oid });
  }
  return validRefs(refs, onIgnored);
}

/** The commit an annotated tag points at (undefined for a lightweight tag). */
async function peel(gitdir: string, oid: string, cache: object): Promise<string | undefined> {
  try {
    let current = oid;
    let peeled: string | undefined;
    for (let depth = 0; depth < 10; depth++) {
      const obj = await git.readObject({ fs, gitdir, oid: current, format: 'parsed', cache });
      if (obj.type !== 'tag') return peeled;
      current = (obj.object as { object: string }).object;
      peeled = current;
    }
    return peeled;
  } catch {
    return undefined;
  }
}

/** For a local repository's Ready condition: the checked-out warning, re-read at every sync (a user may check the branch out later). */
export async function localRepositoryNotice(url: string, branch: string): Promise<string> {
  if (!isLocalUrl(url)) return '';
  return checkedOutWarning(branch, (await layoutOf(url, branch)).checkedOutIn) ?? '';
}

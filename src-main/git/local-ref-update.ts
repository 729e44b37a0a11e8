// Moving refs in a local repository the way Git's "files" backend does, so a
// native `git` running at the same time never sees a torn ref and never has its
// own update lost: each ref is locked by creating `<ref>.lock` exclusively, its
// current value is checked against what the caller expects (a compare and swap,
// as a server checks a push's old ids), the new value is written and flushed
// into the lock, and the lock is renamed over the ref. A deleted ref is also
// taken out of packed-refs under `packed-refs.lock`. Either every expectation
// holds and every ref moves, or none does and the locks are removed.
import fs from 'node:fs';
import path from 'node:path';
import { PorchlightError } from '../../src-shared/errors.ts';
import { parsePackedRefs } from './local-repository.ts';
import { PushRejected, ZERO_OID, type RefUpdate } from './push.ts';
import { assertRefName } from './ref-names.ts';

/** Git waits 100 ms for a ref lock and 1 s for packed-refs (core.filesRefLockTimeout, core.packedRefsTimeout); a little more here. */
const LOCK_WAIT_MS = 2_000;

export interface ReflogEntry {
  name: string;
  email: string;
  message: string;
}

interface HeldLock {
  file: string;
  lock: string;
  handle: fs.promises.FileHandle;
}

async function takeLock(file: string, url: string): Promise<HeldLock> {
  const lock = `${file}.lock`;
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
    try {
      return { file, lock, handle: await fs.promises.open(lock, 'wx', 0o666) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (Date.now() > deadline) {
        throw new PorchlightError(
          'UNAVAILABLE',
          `${lock} exists: another Git process is updating ${path.basename(file)} in ${url}; try again, and if no git command is running there, a crashed one left the lock behind: remove the file`,
          { lock },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

async function release(locks: readonly HeldLock[]): Promise<void> {
  for (const l of locks) {
    await l.handle.close().catch(() => {});
    await fs.promises.rm(l.lock, { force: true });
  }
}

/** A ref's value as Git resolves it: the loose file wins over packed-refs. */
async function currentValue(gitdir: string, ref: string, packed: Map<string, { oid: string }>): Promise<string | undefined> {
  const loose = await fs.promises.readFile(path.join(gitdir, ref), 'utf8').catch(() => undefined);
  if (loose !== undefined) {
    const value = loose.trim();
    if (!/^[0-9a-f]{40}$/.test(value))
      throw new PorchlightError('FAILED_PRECONDITION', `${ref} in ${gitdir} is not a plain ref (${value.slice(0, 60)}); Porchlight will not move it`);
    return value;
  }
  return packed.get(ref)?.oid;
}

function packedRefsWithout(text: string, refs: ReadonlySet<string>): string {
  const out: string[] = [];
  let dropping = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('^')) {
      if (!dropping) out.push(line);
      continue;
    }
    const ref = line.split(' ')[1];
    dropping = ref !== undefined && refs.has(ref);
    if (!dropping) out.push(line);
  }
  return out.join('\n');
}

function timezone(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

/** Appends to the ref's reflog (and HEAD's, when HEAD is that branch) where Git keeps one. */
async function appendReflogs(gitdir: string, update: RefUpdate, entry: ReflogEntry): Promise<void> {
  const now = new Date();
  const line = `${update.old} ${update.oid ?? ZERO_OID} ${entry.name} <${entry.email}> ${Math.floor(now.getTime() / 1000)} ${timezone(now)}\t${entry.message.split('\n')[0]}\n`;
  const logs = [path.join(gitdir, 'logs', update.ref)];
  const head = (await fs.promises.readFile(path.join(gitdir, 'HEAD'), 'utf8').catch(() => '')).trim();
  if (head === `ref: ${update.ref}`) logs.push(path.join(gitdir, 'logs', 'HEAD'));
  for (const log of logs) {
    // Only where a log exists: Git decides which refs have one (core.logAllRefUpdates).
    if (fs.existsSync(log)) await fs.promises.appendFile(log, line);
  }
}

/**
 * Applies the updates all or nothing. A ref whose value is not the expected
 * `old` fails the whole update with PushRejected, as a server refuses a push
 * when the repository moved on, so callers retry the same way for both.
 */
export async function updateLocalRefs(gitdir: string, url: string, updates: readonly RefUpdate[], reflog?: ReflogEntry): Promise<void> {
  // Each name becomes a path under gitdir: one Git would refuse could climb out of it.
  for (const u of updates) assertRefName(u.ref, url);
  // Tags before branches: a crash between two renames leaves a tag that the
  // next sync imports as published, never a branch commit no tag names.
  const ordered = [...updates].sort((a, b) => Number(a.ref.startsWith('refs/heads/')) - Number(b.ref.startsWith('refs/heads/')) || (a.ref < b.ref ? -1 : 1));
  const locks: HeldLock[] = [];
  let packedLock: HeldLock | undefined;
  try {
    for (const u of ordered) locks.push(await takeLock(path.join(gitdir, u.ref), url));
    const deletes = ordered.filter((u) => !u.oid);
    if (deletes.length) packedLock = await takeLock(path.join(gitdir, 'packed-refs'), url);
    // Read under the locks: nobody can move these refs between the check and the rename.
    const packedText = await fs.promises.readFile(path.join(gitdir, 'packed-refs'), 'utf8').catch(() => '');
    const packed = parsePackedRefs(packedText);
    for (const u of ordered) {
      const current = (await currentValue(gitdir, u.ref, packed)) ?? ZERO_OID;
      if (current !== u.old) throw new PushRejected(url, `${u.ref} is at ${current.slice(0, 12)}, expected ${u.old.slice(0, 12)}`);
    }
    for (const [i, u] of ordered.entries()) {
      if (u.oid) await locks[i]!.handle.writeFile(`${u.oid}\n`);
      await locks[i]!.handle.sync();
    }
    const deletedPacked = new Set(deletes.filter((u) => packed.has(u.ref)).map((u) => u.ref));
    if (packedLock) {
      if (deletedPacked.size) {
        await packedLock.handle.writeFile(packedRefsWithout(packedText, deletedPacked));
        await packedLock.handle.sync();
      }
    }
    // Commit: from here on every step makes progress; nothing is undone.
    if (packedLock && deletedPacked.size) {
      await packedLock.handle.close();
      await fs.promises.rename(packedLock.lock, packedLock.file);
      packedLock = undefined;
    }
    for (const u of ordered) {
      // Out of the list before it is let go: `release` must never remove a lock another process took since.
      const l = locks.shift()!;
      await l.handle.close();
      if (u.oid) await fs.promises.rename(l.lock, l.file);
      else {
        await fs.promises.rm(l.file, { force: true });
        await fs.promises.rm(l.lock, { force: true });
      }
      if (reflog) await appendReflogs(gitdir, u, reflog).catch(() => {});
    }
  } finally {
    await release(packedLock ? [...locks, packedLock] : locks);
  }
}

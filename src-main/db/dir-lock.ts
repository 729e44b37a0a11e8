// An exclusive lock on a PGlite data directory. PGlite itself lets two
// processes open one directory and then silently loses acknowledged commits,
// so every open goes through here first.
//
// The lock is a file holding who took it. It appears atomically, complete,
// through link(2) of a fully written temporary file (link fails if the name
// exists), so a reader never sees half a lock. A lock whose holder is dead is
// removed only under a second O_EXCL "takeover" file and only if it still has
// the exact content judged stale, so two takers can never both win.
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseError } from './errors.ts';

export const LOCK_FILE_NAME = 'porchlight.lock';

export interface DirLockHolder {
  pid: number;
  hostname: string;
  /** ISO time the lock was taken. */
  startedAt: string;
  /** Command line of the holder, for the message the next process prints. */
  command: string;
  /** Linux process start time (clock ticks since boot): tells a reused pid apart. */
  procStart?: string;
  /** Random, so a lock is recognised as exactly the one read before. */
  token: string;
}

export interface DirLock {
  readonly dir: string;
  readonly file: string;
  readonly holder: DirLockHolder;
  /** Idempotent and synchronous, so it also works from the process 'exit' handler. */
  release(): void;
}

/** A takeover file older than this belongs to a taker that died mid-takeover. */
const TAKEOVER_STALE_MS = 10_000;
const MAX_ATTEMPTS = 100;

// Locks this process holds, by lock file path, released on exit.
const held = new Map<string, DirLock>();
let exitHookInstalled = false;

/** Takes the lock on `dir` (created if missing) or throws DatabaseError 'DB_LOCKED'. */
export function acquireDirLock(dir: string): DirLock {
  const absDir = resolve(dir);
  const file = join(absDir, LOCK_FILE_NAME);
  mkdirSync(absDir, { recursive: true });
  if (held.has(file)) throw lockedError(absDir, file, held.get(file)!.holder, 'this-process');

  const me = currentHolder();
  const content = `${JSON.stringify(me, null, 2)}\n`;
  const temp = `${file}.${process.pid}.${me.token}.tmp`;
  writeFileSync(temp, content, { flag: 'wx' });
  try {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (tryLink(temp, file)) return register(absDir, file, me, content);
      const existing = readRaw(file);
      if (existing === undefined) continue; // released between our link and our read
      const holder = parseHolder(existing);
      const state = judge(file, holder, existing);
      if (state !== 'stale') throw lockedError(absDir, file, holder, state);
      removeIfUnchanged(file, existing);
    }
    throw lockedError(absDir, file, undefined, 'contended');
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Who holds the lock on `dir`, if anyone has a lock file there. */
export function readDirLock(dir: string): DirLockHolder | undefined {
  const raw = readRaw(join(resolve(dir), LOCK_FILE_NAME));
  return raw === undefined ? undefined : parseHolder(raw);
}

function tryLink(temp: string, file: string): boolean {
  try {
    linkSync(temp, file);
    return true;
  } catch (e) {
    if (errorCode(e) === 'EEXIST') return false;
    throw e;
  }
}

function register(dir: string, file: string, holder: DirLockHolder, content: string): DirLock {
  let released = false;
  const lock: DirLock = {
    dir,
    file,
    holder,
    release() {
      if (released) return;
      released = true;
      held.delete(file);
      // Never delete a lock that is no longer ours (someone judged us dead and took over).
      if (readRaw(file) === content) rmSync(file, { force: true });
    },
  };
  held.set(file, lock);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Best effort: a signal or kill -9 skips this, and the next open then finds a
    // lock whose holder is dead and takes it over.
    process.once('exit', () => {
      for (const lock of [...held.values()]) lock.release();
    });
  }
  return lock;
}

type HolderState = 'alive' | 'stale' | 'other-host' | 'this-process' | 'being-written' | 'contended';

function judge(file: string, holder: DirLockHolder | undefined, raw: string): HolderState {
  if (!holder) {
    // Only a lock from a crash in the middle of writing it could be unreadable;
    // give a concurrent writer a moment before calling it stale.
    return ageMs(file) > TAKEOVER_STALE_MS || raw.trim() === '' ? 'stale' : 'being-written';
  }
  if (holder.hostname !== hostname()) return 'other-host';
  if (holder.pid === process.pid) {
    // Not in `held`: a previous process that had our pid (pid 1 in every container).
    return held.get(file)?.holder.token === holder.token ? 'this-process' : 'stale';
  }
  if (!pidAlive(holder.pid)) return 'stale';
  const start = processStart(holder.pid);
  if (holder.procStart && start && start !== holder.procStart) return 'stale'; // pid reused
  return 'alive';
}

/** Deletes the lock file if it still holds exactly `expected`; serialised by a takeover file. */
function removeIfUnchanged(file: string, expected: string): void {
  const takeover = `${file}.takeover`;
  try {
    writeFileSync(takeover, String(process.pid), { flag: 'wx' });
  } catch (e) {
    if (errorCode(e) !== 'EEXIST') throw e;
    // Someone else is taking over. Their takeover file only outlives them if they died.
    if (ageMs(takeover) > TAKEOVER_STALE_MS) rmSync(takeover, { force: true });
    sleepSync(20);
    return;
  }
  try {
    if (readRaw(file) === expected) unlinkSync(file);
  } finally {
    rmSync(takeover, { force: true });
  }
}

function lockedError(dir: string, file: string, holder: DirLockHolder | undefined, state: HolderState): DatabaseError {
  const who = holder
    ? `pid ${holder.pid} (${holder.command})${state === 'other-host' ? ` on host ${holder.hostname}` : ''}, since ${holder.startedAt}`
    : 'another process';
  const data = {
    dir,
    lockFile: file,
    state,
    ...(holder ? { pid: holder.pid, hostname: holder.hostname, command: holder.command, startedAt: holder.startedAt } : {}),
  };
  const messages: Record<HolderState, string> = {
    'this-process': `the database in ${dir} is already open in this process (pid ${process.pid}); close it before opening it again`,
    alive: `the database in ${dir} is in use by another Porchlight process: ${who}. Stop that process or use another --db`,
    'other-host': `the database in ${dir} is in use by ${who}; this host cannot tell whether it is still running. Stop it, or if it is gone delete ${file}`,
    'being-written': `the database in ${dir} is being opened by another process right now; try again, or if none is running delete ${file}`,
    contended: `could not take the lock on ${dir}: other processes keep taking it; try again`,
    stale: `the lock on ${dir} is stale`,
  };
  return new DatabaseError('DB_LOCKED', messages[state], data);
}

function currentHolder(): DirLockHolder {
  const start = processStart(process.pid);
  return {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    command: process.argv.join(' ').slice(0, 500),
    ...(start ? { procStart: start } : {}),
    token: randomBytes(8).toString('hex'),
  };
}

function parseHolder(raw: string): DirLockHolder | undefined {
  try {
    const value = JSON.parse(raw) as Partial<DirLockHolder>;
    if (typeof value.pid !== 'number' || typeof value.hostname !== 'string' || typeof value.token !== 'string') return undefined;
    return { startedAt: '(unknown time)', command: '(unknown command)', ...value } as DirLockHolder;
  } catch {
    return undefined;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to another user.
    return errorCode(e) === 'EPERM';
  }
}

/** Field 22 of /proc/<pid>/stat; undefined off Linux. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function readRaw(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return undefined;
    throw e;
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireDirLock, LOCK_FILE_NAME, readDirLock, type DirLockHolder } from '../../src-main/db/dir-lock.ts';
import { DatabaseError, isDatabaseError } from '../../src-main/db/errors.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./lock-child.ts', import.meta.url));

interface ChildReport {
  pid: number;
  ok: boolean;
  error?: { code: string; message: string; data: Record<string, unknown> };
}

/** Runs lock-child.ts in a fresh Node process; resolves with its reports and exit signal. */
function runChild(...args: string[]): Promise<{ reports: ChildReport[]; signal: NodeJS.Signals | null; pid: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const reports = out
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as ChildReport);
      if (reports.length === 0) reject(new Error(`child printed nothing (exit ${code}, ${signal}): ${err}`));
      else resolve({ reports, signal, pid: child.pid! });
    });
  });
}

const roots: string[] = [];
function freshDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'porchlight-lock-'));
  roots.push(root);
  return join(root, 'db');
}
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A pid that certainly belonged to a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('close', resolve));
  return child.pid!;
}

function writeLock(dir: string, holder: Partial<DirLockHolder>): void {
  mkdirSync(dir, { recursive: true });
  const full = { pid: 1, hostname: hostname(), startedAt: '2020-01-01T00:00:00.000Z', command: 'porchlight old', token: 'feedface', ...holder };
  writeFileSync(join(dir, LOCK_FILE_NAME), JSON.stringify(full));
}

function lockError(fn: () => unknown): DatabaseError {
  try {
    fn();
  } catch (e) {
    if (isDatabaseError(e, 'DB_LOCKED')) return e;
    throw e;
  }
  throw new Error('expected DB_LOCKED');
}

describe('directory lock', () => {
  it('records the holder in the lock file and removes it on release', () => {
    const dir = freshDir();
    const lock = acquireDirLock(dir);
    const holder = readDirLock(dir)!;
    expect(holder).toMatchObject({ pid: process.pid, hostname: hostname(), command: process.argv.join(' ') });
    expect(Date.parse(holder.startedAt)).toBeGreaterThan(Date.now() - 60_000);
    lock.release();
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE_NAME))).toBe(false);
  });

  it('refuses a second lock in the same process until the first is released', () => {
    const dir = freshDir();
    const lock = acquireDirLock(dir);
    const error = lockError(() => acquireDirLock(dir));
    expect(error.message).toMatch(/already open in this process/);
    lock.release();
    acquireDirLock(dir).release();
  });

  it('makes openDatabase in another process fail, naming the holder pid and command', async () => {
    const dir = freshDir();
    const lock = acquireDirLock(dir);
    try {
      const { reports } = await runChild('open', dir);
      const error = reports[0]!.error!;
      expect(error.code).toBe('DB_LOCKED');
      expect(error.message).toContain(`pid ${process.pid} (${lock.holder.command})`);
      expect(error.message).toMatch(/Stop that process or use another --db/);
      expect(error.data).toMatchObject({ pid: process.pid, state: 'alive' });
      // The child stopped at the lock: PGlite never created a cluster in the directory.
      expect(existsSync(join(dir, 'PG_VERSION'))).toBe(false);
    } finally {
      lock.release();
    }
  });

  it('takes over the lock of a process that was killed', async () => {
    const dir = freshDir();
    const { reports, signal } = await runChild('crash', dir);
    expect(reports[0]!.ok).toBe(true);
    expect(signal).toBe('SIGKILL');
    expect(readDirLock(dir)!.pid).toBe(reports[0]!.pid);
    const lock = acquireDirLock(dir);
    expect(readDirLock(dir)!.pid).toBe(process.pid);
    lock.release();
  });

  it('is released when the holder exits without closing', async () => {
    const dir = freshDir();
    const { reports } = await runChild('exit', dir);
    expect(reports[0]!.ok).toBe(true);
    expect(existsSync(join(dir, LOCK_FILE_NAME))).toBe(false);
  });

  it('treats a lock naming our own pid, but not taken by us, as stale (pid reuse in containers)', () => {
    const dir = freshDir();
    writeLock(dir, { pid: process.pid });
    acquireDirLock(dir).release();
  });

  it('treats a live pid with another process start time as reused, and a matching one as alive', () => {
    const dir = freshDir();
    writeLock(dir, { pid: process.ppid, procStart: '1' });
    acquireDirLock(dir).release();
    writeLock(dir, { pid: process.ppid, command: 'porchlight serve' });
    const error = lockError(() => acquireDirLock(dir));
    expect(error.message).toContain(`pid ${process.ppid} (porchlight serve)`);
  });

  it('never takes over a lock held from another host', () => {
    const dir = freshDir();
    writeLock(dir, { hostname: 'some-other-laptop', pid: 4242 });
    const error = lockError(() => acquireDirLock(dir));
    expect(error.message).toMatch(/pid 4242 .* on host some-other-laptop/);
    expect(error.message).toContain(join(dir, LOCK_FILE_NAME));
  });

  it('does not delete a lock on release that someone else has taken over meanwhile', () => {
    const dir = freshDir();
    const lock = acquireDirLock(dir);
    writeLock(dir, { pid: process.ppid, token: 'other' });
    lock.release();
    expect(readDirLock(dir)!.token).toBe('other');
  });

  it('lets exactly one of several processes take over a stale lock at once', async () => {
    const dir = freshDir();
    const dead = await deadPid();
    writeLock(dir, { pid: dead });
    const startAt = String(Date.now() + 2000);
    const runs = await Promise.all([1, 2, 3, 4].map(() => runChild('race', dir, startAt)));
    const reports = runs.map((r) => r.reports[0]!);
    const winners = reports.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    for (const loser of reports.filter((r) => !r.ok)) {
      expect(loser.error!.code).toBe('DB_LOCKED');
      expect(loser.error!.data.pid).toBe(winners[0]!.pid);
    }
    // The winner released it on exit; no takeover file was left behind.
    expect(readdirSync(dir)).toEqual([]);
  });
});

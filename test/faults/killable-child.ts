// kill-child.ts as a child process the kill -9 tests start, watch and kill:
// its "ack" lines are what it acknowledged before dying.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const CHILD = fileURLToPath(new URL('./kill-child.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** A seeded random source: a failing run can be replayed with the seed it prints. */
export function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface Child {
  process: ChildProcess;
  acks: string[];
  /** Every line it printed. */
  lines: string[];
  /** Resolves when the child printed `ready` (or `done`, or exited). */
  waitFor(line: string | ((acks: string[]) => boolean), timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

export function startChild(job: Record<string, unknown>): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(job)], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const acks: string[] = [];
  let stderr = '';
  const waiters = new Set<() => void>();
  let buffer = '';
  proc.stdout!.on('data', (d: Buffer) => {
    buffer += d.toString();
    let i: number;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      lines.push(line);
      if (line.startsWith('ack ')) acks.push(line.slice(4));
    }
    for (const w of waiters) w();
  });
  proc.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    proc.on('exit', (code, signal) => {
      for (const w of waiters) w();
      resolve({ code, signal, stderr });
    }),
  );
  const waitFor = (what: string | ((acks: string[]) => boolean), timeoutMs = 60_000) =>
    new Promise<void>((resolve, reject) => {
      const done = () => (typeof what === 'string' ? lines.includes(what) : what(acks));
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`child did not get to ${String(what)} in ${timeoutMs} ms; stderr: ${stderr}`));
      }, timeoutMs);
      const check = () => {
        if (done()) {
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        } else if (proc.exitCode !== null || proc.signalCode !== null) {
          clearTimeout(timer);
          waiters.delete(check);
          reject(new Error(`child exited (${proc.exitCode ?? proc.signalCode}) before ${String(what)}; stderr: ${stderr}`));
        }
      };
      waiters.add(check);
      check();
    });
  return { process: proc, acks, lines, waitFor, exited };
}

export async function kill(child: Child): Promise<void> {
  child.process.kill('SIGKILL');
  const { signal } = await child.exited;
  expect(signal).toBe('SIGKILL');
}

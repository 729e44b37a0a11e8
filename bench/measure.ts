// Small measuring kit shared by the benchmarks: wall-clock timing, medians,
// memory, machine description, a plain-text result table and the JSON file the
// README quotes. Nothing here knows about Porchlight.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Runs `fn` and returns its value with the wall-clock milliseconds it took. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const MB = 1024 * 1024;

/** Resident set size now, and the process's peak so far (both in bytes). */
export function memory(): { rss: number; peakRss: number; heapUsed: number; external: number } {
  const m = process.memoryUsage();
  // resourceUsage().maxRSS is in kilobytes.
  return { rss: m.rss, peakRss: process.resourceUsage().maxRSS * 1024, heapUsed: m.heapUsed, external: m.external };
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  ramGiB: number;
  node: string;
  platform: string;
  git: string;
  date: string;
}

export async function machineInfo(): Promise<MachineInfo> {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) cpu = line.split(':').slice(1).join(':').trim();
  } catch {
    // not Linux: os.cpus() is good enough
  }
  let git = 'unknown';
  try {
    git = (await execFileAsync('git', ['--version'])).stdout.trim().replace(/^git version /, '');
  } catch {
    // reported as unknown
  }
  return {
    cpu,
    cores: os.availableParallelism?.() ?? os.cpus().length,
    ramGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    git,
    date: new Date().toISOString(),
  };
}

export type Verdict = 'PASS' | 'FAIL' | 'INFO' | 'ERROR';

export interface ResultRow {
  /** What was measured, e.g. "first sync". */
  figure: string;
  /** Database engine, or '' for engine-independent figures. */
  engine: string;
  value: number | null;
  unit: 'ms' | 'MB' | 'x' | 'rows';
  /** Human-readable target, e.g. "< 50 ms"; '' when the figure is informational. */
  target: string;
  verdict: Verdict;
  note?: string;
}

export function fmt(value: number | null, unit: ResultRow['unit']): string {
  if (value === null || Number.isNaN(value)) return 'n/a';
  switch (unit) {
    case 'ms':
      return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
    case 'MB':
      return `${Math.round(value)} MB`;
    case 'x':
      return `${value.toFixed(2)}x`;
    case 'rows':
      return String(Math.round(value));
  }
}

/** A fixed-width text table; the note column is last so long notes do not misalign the rest. */
export function renderTable(rows: readonly ResultRow[]): string {
  const cells = rows.map((r) => [r.engine, r.figure, fmt(r.value, r.unit), r.target, r.verdict, r.note ?? '']);
  const header = ['engine', 'figure', 'value', 'target', 'verdict', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => (i === c.length - 1 ? v : i === 2 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w, i) => '-'.repeat(i === widths.length - 1 ? Math.max(4, header[i]!.length) : w)).join('  '), ...cells.map(line)].join(
    '\n',
  );
}

export async function writeJson(path: string, data: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(data, null, 2)}\n`);
}

/** Round to 0.1 for JSON output, so the file stays readable. */
export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** A benchmark's progress line on stderr: `[bench <name> HH:MM:SS] message`. */
export function benchLogger(name: string): (message: string) => void {
  return (message) => process.stderr.write(`[bench ${name} ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

// A process killed while isomorphic-git writes an object or a ref must leave
// the old file or the whole new one (src-main/git/atomic-fs.ts). A child
// writes a large file and is killed mid-write; the file is then absent or
// complete. The same with plain fs.writeFile leaves a torn file: the test
// shows it can tell the difference.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./atomic-fs-child.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const MB = 400;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-atomic-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Starts the child, kills it once it has begun writing (the file or its temporary exists), reports what is left. */
async function killMidWrite(how: 'atomic' | 'plain'): Promise<{ size: number | undefined; temps: string[] }> {
  const dir = fs.mkdtempSync(path.join(work, `${how}-`));
  const file = path.join(dir, 'object');
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, how, file, String(MB)], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, signal) => resolve(signal)));
  const deadline = Date.now() + 30_000;
  // Kill as soon as some bytes are on disk, under either name.
  for (;;) {
    const sizes = fs.readdirSync(dir).map((f) => fs.statSync(path.join(dir, f)).size);
    if (sizes.some((s) => s > 0)) break;
    if (Date.now() > deadline) throw new Error('the child never started writing');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  const size = fs.existsSync(file) ? fs.statSync(file).size : undefined;
  return { size, temps: fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')) };
}

describe('atomic writes for isomorphic-git', () => {
  it('leaves no torn file when the writer is killed mid-write', async () => {
    const { size } = await killMidWrite('atomic');
    // Absent, or whole: never a prefix.
    if (size !== undefined) expect(size).toBe(MB * 1024 * 1024);
  });

  it('(plain writeFile, for contrast, leaves a torn file)', async () => {
    const { size } = await killMidWrite('plain');
    expect(size).toBeGreaterThan(0);
    expect(size).toBeLessThan(MB * 1024 * 1024);
  });
});

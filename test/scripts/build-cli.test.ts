// The compiled CLI (scripts/build-cli.mjs, bin/compiled.mjs), in a copy of the
// project so the checkout's own build is left alone: the entry a command
// starts from loads none of the heavy modules, a build is used while its
// sources are unchanged, a changed source is compiled again before the next
// command, and a source that does not compile leaves the command running from
// the sources through tsx (and is not compiled again until it changes).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const COPIED = ['bin', 'scripts', 'src-main', 'src-shared', 'migrations', 'package.json'];
const HEAVY = /^(@electric-sql\/pglite|pg|isomorphic-git|@codemirror\/|codemirror)/;

describe('the compiled CLI', () => {
  let copy: string;
  const state = () =>
    JSON.parse(fs.readFileSync(path.join(copy, 'dist', 'cli', 'current.json'), 'utf8')) as { build: string; inputs: [string, number, number][] };
  const porchlight = (...args: string[]) =>
    execFileAsync(process.execPath, [path.join(copy, 'bin', 'porchlight.mjs'), ...args], { env: { ...process.env, PORCHLIGHT_HOME: path.join(copy, 'home') } });

  beforeAll(async () => {
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-build-'));
    for (const entry of COPIED) fs.cpSync(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
    await execFileAsync(process.execPath, [path.join(copy, 'scripts', 'build-cli.mjs')]);
  }, 120_000);

  afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

  it('starts from chunks that import no database driver, Git or editor: those load only when a command needs them', () => {
    const dir = path.join(copy, 'dist', 'cli', state().build);
    const staticImports = (file: string) =>
      [...fs.readFileSync(path.join(dir, file), 'utf8').matchAll(/(?:^|[;}\s])import\s*(?:[\w{},*\s$]+from\s*)?["']([^"']+)["']/g)].map((m) => m[1]!);
    const seen = new Set(['cli.mjs']);
    const external = new Set<string>();
    for (const file of seen) {
      for (const spec of staticImports(file)) {
        if (spec.startsWith('./')) seen.add(spec.slice(2));
        else external.add(spec);
      }
    }
    expect(seen.size).toBeGreaterThan(1);
    expect([...external].filter((s) => HEAVY.test(s))).toEqual([]);
    // They are in the build, in chunks loaded lazily.
    const all = fs.readdirSync(dir).filter((f) => f.endsWith('.mjs'));
    expect(all.some((f) => !seen.has(f) && /@electric-sql\/pglite/.test(fs.readFileSync(path.join(dir, f), 'utf8')))).toBe(true);
    // Every file the build read is recorded, with its time and size.
    expect(state().inputs.map(([f]) => f)).toEqual(expect.arrayContaining(['src-main/cli/main.ts', 'src-main/host/service-worker.ts', 'bin/compiled.mjs']));
  });

  it('uses the build while the sources are unchanged, and compiles again after a change', async () => {
    const { build } = state();
    expect((await porchlight('--version')).stdout).toBe(`${JSON.parse(fs.readFileSync(path.join(copy, 'package.json'), 'utf8')).version}\n`);
    expect(state().build).toBe(build);
    const file = path.join(copy, 'src-main', 'cli', 'service-command.ts');
    fs.appendFileSync(file, '\n// changed\n');
    // Exit 3: none runs (LSB's status code).
    const run = (await porchlight('service', 'status').catch((e: unknown) => e)) as { code: number; stdout: string; stderr: string };
    expect(run.code).toBe(3);
    // Scripts read stderr as porchctl writes it: the progress line is for terminals only.
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('no service is running');
    expect(state().build).not.toBe(build);
    expect(fs.readdirSync(path.join(copy, 'dist', 'cli', state().build))).toContain('cli.mjs');
  }, 120_000);

  it('runs from the sources when they do not compile, without trying again until they change', async () => {
    const file = path.join(copy, 'src-main', 'cli', 'service-command.ts');
    const good = fs.readFileSync(file, 'utf8');
    const { build } = state();
    fs.writeFileSync(file, `${good}\nexport const broken = ;\n`);
    try {
      const first = await porchlight('--version').catch((e: { stderr: string; code: number }) => e);
      // tsx reports the broken file as it would without a build.
      expect((first as { code: number }).code).not.toBe(0);
      expect((first as { stderr: string }).stderr).toContain('service-command.ts');
      const failed = path.join(copy, 'dist', 'cli', 'failed.txt');
      expect(fs.existsSync(failed)).toBe(true);
      expect(state().build).toBe(build);
      // Once known broken, the next command goes straight to the sources: no second build writes the record again.
      const recorded = fs.statSync(failed).mtimeMs;
      await new Promise((r) => setTimeout(r, 20));
      await porchlight('--version').catch(() => undefined);
      expect(fs.statSync(failed).mtimeMs).toBe(recorded);
    } finally {
      fs.writeFileSync(file, good);
    }
    expect((await porchlight('--version')).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(fs.existsSync(path.join(copy, 'dist', 'cli', 'failed.txt'))).toBe(false);
  }, 120_000);
});

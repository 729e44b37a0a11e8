// `porchlight demo` and repositories registered by path, through the CLI: the
// demo twice adds nothing the second time; a relative path is made absolute
// where the user typed it; what is not a repository is refused with the reason;
// a package in a local repository clones by file:// URL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/main.ts';
import { git } from '../support/fixtures.ts';

let work: string;
async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: { ...process.env, PORCHLIGHT_HOME: path.join(work, 'home'), PORCHLIGHT_DB: '' },
  });
  return { code, stdout, stderr };
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-demo-cli-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('porchlight demo', () => {
  it('makes the demo workspace once; running it again adds nothing', async () => {
    const first = await cli('demo');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Added: repository blueprints, repository deployments');
    const listed = (await cli('rpkg', 'get')).stdout;
    expect(listed).toMatch(/deployments\.team-a\.v1\s+team-a\s+v1\s+0\s+false\s+Draft\s+deployments/);
    expect(listed).toMatch(/deployments\.staging\.web\.v1\s+staging\/web\s+v1\s+0\s+false\s+Proposed\s+deployments/);
    expect(listed).toMatch(/blueprints\.network\.vpc\.v2\s+network\/vpc\s+v2\s+2\s+true\s+Published\s+blueprints/);

    const second = await cli('demo');
    expect(second.stdout).toContain('Nothing to add: the demo was already set up.');
    expect((await cli('rpkg', 'get')).stdout).toBe(listed);
    expect((await cli('repo', 'get')).stdout.trim().split('\n')).toHaveLength(3);
    for (const repo of ['blueprints', 'deployments']) {
      expect(await git(path.join(work, 'home', 'demo', `${repo}.git`), ['fsck', '--strict', '--no-dangling'])).toBe('');
    }
    // An upgrade waits: prod/web is on apps/web v1, the catalog has v2.
    expect((await cli('rpkg', 'upgrade', '--discover=upstream')).stdout).toMatch(/deployments\.prod\.web\.v1\s+blueprints\s+v2\n/);
  });

  it('shows background migrations and finishes them on demand', async () => {
    const run = await cli('db', 'migrations', '--run');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^NAME\s+STATUS\s+PROGRESS\s+ROWS\s+WHAT\nresource_sizes\s+finished\s+100%\s+\d+/);
    expect((await cli('cache', 'stats')).stdout).toMatch(/Files in namespace:\s+\d/);
  });

  it('clones from a local repository by file:// URL', async () => {
    const bp = path.join(work, 'home', 'demo', 'blueprints.git');
    expect((await cli('rpkg', 'clone', `file://${bp}/network/vpc@network/vpc/v1`, 'edge-net', '--repository=deployments')).stdout).toBe(
      'deployments.edge-net.v1 created\n',
    );
  });
});

describe('repo register by path', () => {
  it('resolves a relative path where it was typed, names it after the folder, and warns about a checked-out branch', async () => {
    const clone = path.join(work, 'team-repo');
    await git(work, ['init', '-q', '-b', 'main', clone]);
    await git(clone, ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'start']);
    const relative = path.relative(process.cwd(), clone);
    const out = await cli('repo', 'register', relative);
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/warning: branch main is checked out in .*team-repo/);
    expect((await cli('repo', 'get', 'team-repo')).stdout).toContain(`file://${clone}`);
  });

  it('refuses a folder that is not a Git repository, saying what to do', async () => {
    const plain = path.join(work, 'plain');
    fs.mkdirSync(plain);
    const out = await cli('repo', 'register', plain);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain(`${plain} is not a Git repository`);
    expect(out.stderr).toContain('git init');
    expect((await cli('repo', 'get', 'plain')).code).not.toBe(0);
  });
});

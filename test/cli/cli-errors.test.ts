// The CLI's answers to bad input: porchctl's wording, a non-zero exit, and
// nothing half done.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/main.ts';

let home: string;
async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: { ...process.env, PORCHLIGHT_HOME: home, PORCHLIGHT_DB: '' },
  });
  return { code, stdout, stderr };
}

beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-cli-'));
});
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

describe('porchlight CLI errors', () => {
  it('checks --show-kptfile as porchctl does, before touching the database', async () => {
    expect(await cli('rpkg', 'get', '--show-kptfile')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: --show-kptfile requires exactly one package revision name as an argument\n',
    });
    expect(await cli('rpkg', 'get', '--show-kptfile', '--workspace=v1', 'a.b.v1')).toMatchObject({
      code: 1,
      stderr: 'error: --show-kptfile cannot be combined with --name, --revision, or --workspace\n',
    });
    expect(await cli('rpkg', 'get', '--show-kptfile', '-A', 'a.b.v1')).toMatchObject({
      code: 1,
      stderr: 'error: --show-kptfile cannot be combined with --all-namespaces\n',
    });
    expect(fs.existsSync(path.join(home, 'db'))).toBe(false);
  });

  it("prints nothing for an empty listing and porchctl's not-found for a missing name", async () => {
    expect(await cli('repo', 'get')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await cli('rpkg', 'get')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await cli('rpkg', 'get', 'nope.pkg.v1')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error: the server could not find the requested resource (get packagerevisions.porch.kpt.dev nope.pkg.v1) \n',
    });
  });

  it('refuses bad registrations with what to do, and registers nothing', async () => {
    const ftp = await cli('repo', 'register', 'ftp://example.com/x.git');
    expect(ftp.code).toBe(1);
    expect(ftp.stderr).toMatch(/HTTP\(S\) only/);
    const badName = await cli('repo', 'register', 'http://127.0.0.1:9/x.git', '--name', 'Bad_Name');
    expect(badName).toMatchObject({ code: 1, stderr: expect.stringContaining('repository name must be a lowercase RFC 1123 label') });
    const badOutput = await cli('repo', 'get', '-o', 'xml');
    expect(badOutput).toMatchObject({ code: 1, stderr: expect.stringContaining('allowed formats are') });
    expect(await cli('repo', 'get', '-o', 'json')).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('registers an unreachable repository with Ready=False and says why', async () => {
    const r = await cli('repo', 'register', 'http://127.0.0.1:9/unreachable.git');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/first sync failed: cannot reach Git server at http:\/\/127.0.0.1:9\/unreachable.git/);
    const get = await cli('repo', 'get', '-o', "custom-columns=NAME:.metadata.name,READY:.status.conditions[?(@.type=='Ready')].status");
    expect(get.stdout).toBe('NAME          READY\nunreachable   False\n');
    expect((await cli('repo', 'register', 'http://127.0.0.1:9/unreachable.git')).stderr).toBe(
      'Error: repository "unreachable" already exists in namespace "default" \n',
    );
  });

  it('refuses an empty namespace and a branch or directory Porch would refuse', async () => {
    expect(await cli('rpkg', 'get', '--namespace=')).toMatchObject({
      code: 1,
      stderr: 'error: namespace flag specified without a value; please provide a value for --namespace/-n or omit the flag\n',
    });
    expect((await cli('repo', 'register', 'http://127.0.0.1:9/x.git', '--branch', 'release-1.0')).stderr).toMatch(/^error: branch: branch must be lowercase/);
    expect((await cli('repo', 'register', 'http://127.0.0.1:9/x.git', '--directory', '../../etc')).stderr).toMatch(
      /^error: directory: directory must be a plain path/,
    );
    expect((await cli('repo', 'get', 'x')).code).toBe(1);
  });

  it('names the database it cannot reach', async () => {
    const r = await cli('--db', 'postgres://nobody:secret@127.0.0.1:9/porchlight', 'repo', 'get');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/127\.0\.0\.1:9/);
    expect(r.stderr).not.toContain('secret');
  });
});

describe('porchlight repo register --sync-schedule', () => {
  it("refuses a bad cron expression with porchctl's wording, and shows a good one", async () => {
    const bad = await cli('repo', 'register', 'http://127.0.0.1:9/sched.git', '--sync-schedule', 'every minute');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: invalid sync-schedule cron expression: /);
    const good = await cli('repo', 'register', 'http://127.0.0.1:9/sched.git', '--sync-schedule', '*/10 * * * *');
    expect(good.code).toBe(0);
    const get = await cli('repo', 'get', 'sched', '-o', 'custom-columns=NAME:.metadata.name,SCHEDULE:.spec.sync.schedule');
    expect(get.stdout).toBe('NAME    SCHEDULE\nsched   */10 * * * *\n');
    expect((await cli('repo', 'get', 'sched', '--no-headers', '-o', 'custom-columns=NAME:.metadata.name')).stdout).toBe('sched\n');
  });
});

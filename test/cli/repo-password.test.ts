// repo register takes the Git password from stdin or PORCHLIGHT_REPO_PASSWORD,
// so it never has to be on a command line `ps` shows; a password that is on
// the command line (the flag, or in the URL) still works, with one warning.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/main.ts';
import { PASSWORD_ENV } from '../../src-main/cli/repo-password.ts';
import { unpackTarRepo } from '../support/fixtures.ts';
import { startGitServer, type GitServer } from '../support/git-server.ts';

const PASSWORD = 'piped-pass-4711';
const BIN = fileURLToPath(new URL('../../bin/porchlight.mjs', import.meta.url));
const WARNING = /^warning: a password on the command line can be read by other users of this machine \(ps\)/m;

let work: string;
let server: GitServer;
const env = () => ({ ...process.env, PORCHLIGHT_HOME: path.join(work, 'home'), PORCHLIGHT_DB: '', [PASSWORD_ENV]: '' });

async function cli(args: string[], opts: { stdin?: string; env?: NodeJS.ProcessEnv } = {}) {
  let stdout = '';
  let stderr = '';
  const stdin = opts.stdin === undefined ? undefined : async () => opts.stdin!;
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: opts.env ?? env(), stdin });
  return { code, stdout, stderr };
}

/** The revisions a registered repository's first sync found: none when the password was wrong. */
async function revisionsOf(repo: string): Promise<number> {
  const out = await cli(['rpkg', 'get', '-o', 'custom-columns=R:.spec.repository', '--no-headers']);
  return out.stdout.split('\n').filter((l) => l === repo).length;
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-password-'));
  fs.mkdirSync(path.join(work, 'served'));
  await unpackTarRepo('simple-repository', path.join(work, 'served'), 'simple');
  server = await startGitServer({ root: path.join(work, 'served'), username: 'alice', password: PASSWORD });
}, 60_000);
afterAll(async () => {
  await server?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('repo register passwords', () => {
  it('reads the password from stdin, without a warning', async () => {
    const args = ['repo', 'register', server.baseUrl('simple'), '--name=from-stdin', '--repo-basic-username=alice', '--repo-basic-password-stdin'];
    expect(args.join(' ')).not.toContain(PASSWORD);
    expect(await cli(args, { stdin: `${PASSWORD}\n` })).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await revisionsOf('from-stdin')).toBeGreaterThan(0);
    // The password read is the one used: a wrong one fails the first sync.
    const wrong = await cli(['repo', 'register', server.baseUrl('simple'), '--name=wrong', '--repo-basic-username=alice', '--repo-basic-password-stdin'], {
      stdin: 'not-it\n',
    });
    expect(wrong.stderr).toMatch(/first sync failed/);
    expect(await revisionsOf('wrong')).toBe(0);
  });

  it('reads the password from PORCHLIGHT_REPO_PASSWORD, without a warning', async () => {
    const args = ['repo', 'register', server.baseUrl('simple'), '--name=from-env', '--repo-basic-username=alice'];
    expect(await cli(args, { env: { ...env(), [PASSWORD_ENV]: PASSWORD } })).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await revisionsOf('from-env')).toBeGreaterThan(0);
  });

  it('warns once about a password on the command line, and still takes it', async () => {
    const flag = await cli([
      'repo',
      'register',
      server.baseUrl('simple'),
      '--name=from-flag',
      '--repo-basic-username=alice',
      `--repo-basic-password=${PASSWORD}`,
    ]);
    expect(flag.code).toBe(0);
    expect(flag.stderr.match(new RegExp(WARNING, 'gm'))).toHaveLength(1);
    expect(await revisionsOf('from-flag')).toBeGreaterThan(0);
    const inUrl = await cli(['repo', 'register', server.baseUrl('simple').replace('http://', `http://alice:${PASSWORD}@`), '--name=from-url']);
    expect(inUrl.code).toBe(0);
    expect(inUrl.stderr.match(new RegExp(WARNING, 'gm'))).toHaveLength(1);
  });

  it('refuses two sources, stdin without a user, and an empty stdin', async () => {
    const base = ['repo', 'register', server.baseUrl('simple'), '--name=refused'];
    expect(await cli([...base, '--repo-basic-username=alice', '--repo-basic-password=x', '--repo-basic-password-stdin'], { stdin: 'y' })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('error: give the password once: --repo-basic-password or --repo-basic-password-stdin, not both'),
    });
    expect(await cli([...base, '--repo-basic-password-stdin'], { stdin: 'y' })).toMatchObject({
      code: 1,
      stderr: 'error: --repo-basic-password-stdin needs --repo-basic-username\n',
    });
    expect(await cli([...base, '--repo-basic-username=alice', '--repo-basic-password-stdin'], { stdin: '\n' })).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^error: --repo-basic-password-stdin: stdin held no password/),
    });
    expect((await cli(['repo', 'get'])).stdout).not.toContain('refused');
  });

  it('says in --help which to prefer', async () => {
    const help = await cli(['repo', 'register', '--help']);
    expect(help.stdout).toContain('--repo-basic-password-stdin');
    expect(help.stdout).toMatch(/Passwords: prefer --repo-basic-password-stdin .* or the PORCHLIGHT_REPO_PASSWORD environment variable/);
  });

  it('keeps the password out of the process arguments of a real porchlight process', async () => {
    const args = [BIN, 'repo', 'register', server.baseUrl('simple'), '--name=real-process', '--repo-basic-username=alice', '--repo-basic-password-stdin'];
    const child = spawn(process.execPath, args, { env: env(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    // What `ps` shows of it, read while it waits for stdin.
    const cmdline = fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8');
    expect(cmdline).toContain('--repo-basic-password-stdin');
    expect(cmdline).not.toContain(PASSWORD);
    child.stdin.end(`${PASSWORD}\n`);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(await revisionsOf('real-process')).toBeGreaterThan(0);
  }, 60_000);
});

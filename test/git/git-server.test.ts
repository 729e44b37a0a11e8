// Proves the test Git server speaks smart HTTP the way Gitea does, to both
// native git and isomorphic-git, with Basic auth and a switchable outage.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOneTag, generateRepo } from '../support/generate-repo.ts';
import { createEmptyRepo, listRefs, unpackTarRepo } from '../support/fixtures.ts';
import { startGitServer, type GitServer } from '../support/git-server.ts';

const execFileAsync = promisify(execFile);
const USER = 'nephio';
const PASS = 'secret';
const onAuth = () => ({ username: USER, password: PASS });

/** Native git, never prompting, with an identity for commits. */
async function nativeGit(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', args, {
    cwd,
    env: {
      ...process.env,
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: '',
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    },
  });
  return stdout;
}

describe('git test server', () => {
  let tmp: string;
  let root: string;
  let server: GitServer;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'porchlight-git-server-'));
    root = join(tmp, 'repos');
    await unpackTarRepo('simple-repository', root);
    await createEmptyRepo('porch-test', root);
    await generateRepo({ dir: join(root, 'generated.git'), packages: 40, revisions: 2 });
    server = await startGitServer({ root, username: USER, password: PASS });
  });

  afterAll(async () => {
    await server?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('answers 401 with a Basic challenge without, or with wrong, credentials', async () => {
    const url = `${server.baseUrl('simple-repository')}/info/refs?service=git-upload-pack`;
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const wrong = await fetch(url, { headers: { Authorization: `Basic ${Buffer.from(`${USER}:nope`).toString('base64')}` } });
    expect(wrong.status).toBe(401);
    const right = await fetch(url, { headers: { Authorization: `Basic ${Buffer.from(`${USER}:${PASS}`).toString('base64')}` } });
    expect(right.status).toBe(200);
    expect(right.headers.get('content-type')).toBe('application/x-git-upload-pack-advertisement');
    await right.arrayBuffer();
  });

  it('serves /<name>.git, /<name> and /nephio/<name>.git, 404 for unknown repositories', async () => {
    const auth = { Authorization: `Basic ${Buffer.from(`${USER}:${PASS}`).toString('base64')}` };
    const get = async (path: string): Promise<number> => {
      const res = await fetch(`${server.origin}${path}/info/refs?service=git-upload-pack`, { headers: auth });
      await res.arrayBuffer();
      return res.status;
    };
    expect(await get('/simple-repository.git')).toBe(200);
    expect(await get('/simple-repository')).toBe(200);
    expect(await get('/nephio/simple-repository.git')).toBe(200);
    expect(await get('/nephio/simple-repository')).toBe(200);
    expect(await get('/no-such-repo.git')).toBe(404);
    expect(await get('/../repos/simple-repository.git')).toBe(404);
    expect(server.baseUrl('x', 'nephio')).toBe(`${server.origin}/nephio/x.git`);
  });

  it('lets native git clone with credentials and refuses it without', async () => {
    const dest = join(tmp, 'native-clone');
    await nativeGit(tmp, ['clone', '-q', server.authUrl('simple-repository', 'nephio'), dest]);
    expect((await nativeGit(dest, ['tag', '--list'])).split('\n').filter(Boolean).sort()).toEqual([
      'basens/v1',
      'basens/v2',
      'empty/v1',
      'istions/v1',
      'istions/v2',
    ]);
    expect((await nativeGit(dest, ['rev-parse', '--abbrev-ref', 'HEAD'])).trim()).toBe('main');

    server.clearLog();
    await expect(nativeGit(tmp, ['clone', '-q', server.baseUrl('simple-repository'), join(tmp, 'refused')])).rejects.toThrow(
      /Authentication failed|could not read Username/,
    );
    expect(server.requestLog.some((e) => e.status === 401)).toBe(true);
  });

  it('takes gzip-encoded requests, fetches and pushes from native git', async () => {
    const dest = join(tmp, 'native-generated');
    server.clearLog();
    // 81 "want" lines (80 tags and main) exceed the 1 KiB above which git gzips a request body.
    await nativeGit(tmp, ['clone', '-q', server.authUrl('generated'), dest]);
    expect(server.requestLog.some((e) => e.encoding === 'gzip' && e.status === 200)).toBe(true);
    await addOneTag(join(root, 'generated.git'), 'pkg-0007');
    await nativeGit(dest, ['fetch', '-q', '--tags', 'origin']);
    expect((await nativeGit(dest, ['rev-parse', 'refs/tags/pkg-0007/v3'])).trim()).toMatch(/^[0-9a-f]{40}$/);

    fs.writeFileSync(join(dest, 'pushed.txt'), 'hello\n');
    await nativeGit(dest, ['add', 'pushed.txt']);
    await nativeGit(dest, ['commit', '-q', '-m', 'native push']);
    await nativeGit(dest, ['push', '-q', 'origin', 'HEAD:refs/heads/native-branch']);
    const refs = await listRefs(join(root, 'generated.git'));
    expect(refs.get('refs/heads/native-branch')).toBe((await nativeGit(dest, ['rev-parse', 'HEAD'])).trim());
  });

  it('works with isomorphic-git: getRemoteInfo2, listServerRefs, clone and push with onAuth', async () => {
    const url = server.baseUrl('simple-repository', 'nephio');
    const info = await git.getRemoteInfo2({ http, url, onAuth });
    expect(info.capabilities).toBeDefined();
    const refs = await git.listServerRefs({ http, url, onAuth, prefix: 'refs/tags/' });
    expect(refs.map((r) => r.ref).sort()).toEqual([
      'refs/tags/basens/v1',
      'refs/tags/basens/v2',
      'refs/tags/empty/v1',
      'refs/tags/istions/v1',
      'refs/tags/istions/v2',
    ]);

    const dir = join(tmp, 'iso-clone');
    const cache = {};
    await git.clone({ fs, http, dir, url, onAuth, cache, ref: 'main', singleBranch: true });
    const main = await git.resolveRef({ fs, dir, ref: 'refs/heads/main' });
    await git.tag({ fs, dir, ref: 'iso/v1', object: main });
    const result = await git.push({ fs, http, dir, url, onAuth, ref: 'refs/tags/iso/v1', remoteRef: 'refs/tags/iso/v1' });
    expect(result.ok).toBe(true);
    expect((await listRefs(join(root, 'simple-repository.git'))).get('refs/tags/iso/v1')).toBe(main);
  });

  it('isomorphic-git pushes a first commit into an empty repository', async () => {
    const dir = join(tmp, 'iso-empty');
    fs.mkdirSync(dir);
    await git.init({ fs, dir, defaultBranch: 'main' });
    fs.writeFileSync(join(dir, 'README.md'), 'porch-test\n');
    await git.add({ fs, dir, filepath: 'README.md' });
    const oid = await git.commit({ fs, dir, message: 'first', author: { name: 'T', email: 't@example.com', timestamp: 0 } });
    const url = server.baseUrl('porch-test', 'nephio');
    await git.push({ fs, http, dir, url, onAuth, ref: 'main' });
    expect((await listRefs(join(root, 'porch-test.git'))).get('refs/heads/main')).toBe(oid);
  });

  it('counts requests, so a test can assert there was no Git traffic', async () => {
    server.clearLog();
    expect(server.requestCount()).toBe(0);
    await git.getRemoteInfo2({ http, url: server.baseUrl('simple-repository'), onAuth });
    // isomorphic-git asks anonymously first, then with credentials after the 401.
    expect(server.requestLog.map((e) => e.status)).toEqual([401, 200]);
    expect(server.requestLog[1]?.repo).toBe('simple-repository.git');
    expect(server.requestLog[1]?.service).toBe('git-upload-pack');
  });

  it('injects faults: a status code, then normal service again', async () => {
    server.setFault({ status: 503 });
    await expect(git.getRemoteInfo2({ http, url: server.baseUrl('simple-repository'), onAuth })).rejects.toMatchObject({
      code: 'HttpError',
      data: { statusCode: 503 },
    });
    server.setFault(null);
    await expect(git.getRemoteInfo2({ http, url: server.baseUrl('simple-repository'), onAuth })).resolves.toBeDefined();
  });

  it('injects a hang: the request gets no answer until the client gives up', async () => {
    server.setFault('hang');
    try {
      const res = fetch(`${server.baseUrl('simple-repository')}/info/refs?service=git-upload-pack`, {
        signal: AbortSignal.timeout(300),
      });
      await expect(res).rejects.toMatchObject({ name: 'TimeoutError' });
    } finally {
      server.setFault(null);
    }
  });

  it('refuses connections while paused and serves again after resume', async () => {
    const url = server.baseUrl('simple-repository');
    await server.pause();
    await expect(git.getRemoteInfo2({ http, url, onAuth })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(fetch(`${url}/info/refs?service=git-upload-pack`)).rejects.toThrow();
    await server.resume();
    expect(server.baseUrl('simple-repository')).toBe(url); // same port
    await expect(git.getRemoteInfo2({ http, url, onAuth })).resolves.toBeDefined();
  });

  it('without configured credentials serves anonymously and still takes pushes', async () => {
    const open = await startGitServer({ root });
    try {
      const dir = join(tmp, 'iso-anon');
      const url = open.baseUrl('simple-repository');
      await git.clone({ fs, http, dir, url, ref: 'main', singleBranch: true, noTags: true });
      const main = await git.resolveRef({ fs, dir, ref: 'refs/heads/main' });
      await git.tag({ fs, dir, ref: 'anon/v1', object: main });
      const result = await git.push({ fs, http, dir, url, ref: 'refs/tags/anon/v1' });
      expect(result.ok).toBe(true);
      expect(open.requestLog.every((e) => e.status === 200)).toBe(true);
    } finally {
      await open.stop();
    }
  });
});

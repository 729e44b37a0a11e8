// rpkg init and pull through the CLI: a draft made in the database only, read
// back as files and as a ResourceList, and paths that would escape refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/main.ts';
import { writePackageFiles } from '../../src-main/cli/rpkg-draft-commands.ts';
import { readPackageDir } from '../../src-main/cli/rpkg-push.ts';
import { createEmptyRepo, listRefs, unpackTarRepo } from '../support/fixtures.ts';
import { startGitServer, type GitServer } from '../support/git-server.ts';

let work: string;
let server: GitServer;
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

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-draft-'));
  fs.mkdirSync(path.join(work, 'served'));
  await createEmptyRepo('blueprints', path.join(work, 'served'));
  await unpackTarRepo('simple-repository', path.join(work, 'served'), 'simple');
  server = await startGitServer({ root: path.join(work, 'served') });
});
afterAll(async () => {
  await server?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('rpkg init and pull', () => {
  it('creates a draft without touching Git and pulls it back', async () => {
    expect((await cli('repo', 'register', server.baseUrl('blueprints'), '--name', 'bp')).code).toBe(0);
    server.clearLog();
    expect(await cli('rpkg', 'init', 'team/web', '--repository=bp', '--workspace=ws1', '--keywords=a,b')).toEqual({
      code: 0,
      stdout: 'bp.team.web.ws1 created\n',
      stderr: '',
    });
    expect(server.requestCount()).toBe(0);
    const table = await cli('rpkg', 'get', 'bp.team.web.ws1');
    expect(table.stdout).toMatch(/bp\.team\.web\.ws1\s+team\/web\s+ws1\s+0\s+false\s+Draft\s+bp/);

    const list = YAML.parse((await cli('rpkg', 'pull', 'bp.team.web.ws1')).stdout);
    expect(list.kind).toBe('ResourceList');
    expect(list.items.map((i: { kind: string }) => i.kind)).toEqual(['KptRevisionMetadata', 'Kptfile', 'ConfigMap']);
    expect(list.items[1].info).toEqual({ description: 'sample description', keywords: ['a', 'b'] });
    expect(list.items[1].metadata.annotations['config.kubernetes.io/path']).toBe('Kptfile');

    const dir = path.join(work, 'pulled');
    expect((await cli('rpkg', 'pull', 'bp.team.web.ws1', dir)).code).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(['.KptRevisionMetadata', 'Kptfile', 'README.md', 'package-context.yaml']);
    expect((await cli('rpkg', 'pull', 'bp.team.web.ws1', dir)).stderr).toMatch(/not empty/);
  });

  it('refuses names Porch refuses and a package that exists', async () => {
    expect((await cli('rpkg', 'init', 'Bad_Name', '--repository=bp', '--workspace=ws1')).stderr).toMatch(/^error: name: package name must be DNS-1123 labels/);
    expect((await cli('rpkg', 'init', 'web2', '--repository=bp', '--workspace=WS')).stderr).toMatch(
      /^error: workspace: workspace name must be a lowercase RFC 1123 label/,
    );
    expect(await cli('rpkg', 'init', 'team/web', '--repository=bp', '--workspace=ws2')).toMatchObject({
      code: 1,
      stderr: 'Error: Internal error occurred: package "team/web" already exists in repository "bp" \n',
    });
    expect((await cli('rpkg', 'init', 'x', '--repository=nope', '--workspace=ws')).stderr).toMatch(/repository "nope" not found/);
  });

  it("moves drafts through Porch's lifecycle with porchctl's messages, without Git", async () => {
    const name = 'bp.team.web.ws1';
    server.clearLog();
    const notPublished = `can only propose published packages for deletion; package ${name} is not published`;
    expect(await cli('rpkg', 'propose-delete', name)).toEqual({
      code: 1,
      stdout: '',
      stderr: `${name} failed (${notPublished})\nError: errors:\n  ${notPublished} \n`,
    });
    expect(await cli('rpkg', 'propose', name)).toEqual({ code: 0, stdout: `${name} proposed\n`, stderr: '' });
    expect((await cli('rpkg', 'get', name, '-o', 'custom-columns=L:.spec.lifecycle', '--no-headers')).stdout).toBe('Proposed\n');
    expect(await cli('rpkg', 'reject', name)).toMatchObject({ code: 0, stdout: `${name} no longer proposed for approval\n` });
    expect(await cli('rpkg', 'reject', name)).toMatchObject({ code: 1, stderr: expect.stringContaining(`cannot reject ${name} with lifecycle 'Draft'`) });
    expect(await cli('rpkg', 'del', name)).toMatchObject({ code: 0, stdout: `${name} deleted\n` });
    expect(await cli('rpkg', 'get', name)).toMatchObject({
      code: 1,
      stderr: `Error: the server could not find the requested resource (get packagerevisions.porch.kpt.dev ${name}) \n`,
    });
    expect(server.requestCount()).toBe(0);
  });

  it('proposes a published revision for deletion and back, refuses to delete it directly, then deletes its tag', async () => {
    expect((await cli('repo', 'register', server.baseUrl('simple'), '--name', 'simple')).code).toBe(0);
    const name = 'simple.basens.v1';
    expect(await cli('rpkg', 'del', name)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`packagerevisions.porch.kpt.dev "${name}" is forbidden: published PackageRevisions must be proposed for deletion`),
    });
    expect(await cli('rpkg', 'propose-delete', name)).toEqual({ code: 0, stdout: `${name} proposed for deletion\n`, stderr: '' });
    expect(await cli('rpkg', 'propose-delete', name)).toEqual({ code: 0, stdout: '', stderr: `${name} is already proposed for deletion\n` });
    expect(await cli('rpkg', 'reject', name)).toEqual({ code: 0, stdout: `${name} no longer proposed for deletion\n`, stderr: '' });
    expect((await cli('rpkg', 'get', name, '-o', 'custom-columns=L:.spec.lifecycle', '--no-headers')).stdout).toBe('Published\n');
    expect((await cli('rpkg', 'propose-delete', name)).code).toBe(0);
    expect(await cli('rpkg', 'del', name)).toEqual({ code: 0, stdout: `${name} deleted\n`, stderr: '' });
    expect((await listRefs(path.join(work, 'served', 'simple.git'))).has('refs/tags/basens/v1')).toBe(false);
  });

  it('lists in keyset chunks: every revision once, one header, YAML documents still separated', async () => {
    expect((await cli('repo', 'register', server.baseUrl('simple'), '--name', 'chunked')).code).toBe(0);
    const rows = (out: string) =>
      out
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/)[0]);
    const whole = await cli('rpkg', 'get');
    const chunked = await cli('rpkg', 'get', '--chunk-size', '2');
    expect(rows(whole.stdout).length).toBeGreaterThan(5);
    expect(rows(chunked.stdout)).toEqual(rows(whole.stdout));
    expect(rows(chunked.stdout).filter((n) => n === 'NAME')).toHaveLength(1);
    const yamlDocs = YAML.parseAllDocuments((await cli('rpkg', 'get', '--chunk-size', '3', '-o', 'yaml')).stdout);
    expect(yamlDocs.map((d) => (d.toJS() as { metadata: { name: string } }).metadata.name)).toEqual(rows(whole.stdout).slice(1));
    expect((await cli('rpkg', 'get', '--chunk-size', '0')).stderr).toMatch(/--chunk-size must be a positive whole number/);
  });

  it('never writes outside the destination directory', () => {
    const dir = path.join(work, 'safe');
    expect(() => writePackageFiles(dir, [{ path: '../escape.yaml', content: new Uint8Array([1]) }])).toThrow(/outside/);
    expect(() => writePackageFiles(dir, [{ path: '/etc/passwd', content: new Uint8Array([1]) }])).toThrow(/outside/);
    expect(fs.existsSync(path.join(work, 'escape.yaml'))).toBe(false);
  });

  it('never writes a .git, in any spelling, and writes nothing when one path is refused', () => {
    const dir = path.join(work, 'no-dotgit');
    for (const p of ['.git/config', 'sub/.GIT/config', 'git~1/config', '.git./config', '.g\u200cit/config']) {
      expect(
        () =>
          writePackageFiles(dir, [
            { path: 'Kptfile', content: new Uint8Array([1]) },
            { path: p, content: new Uint8Array([1]) },
          ]),
        p,
      ).toThrow(/"\.git" is not a package file: .*Git's own directory/);
    }
    expect(fs.existsSync(dir)).toBe(false);
  });

  it("never pushes a .git in another spelling; the directory's own .git is skipped", () => {
    const dir = path.join(work, 'push-dotgit');
    writePackageFiles(dir, [{ path: 'Kptfile', content: new Uint8Array([1]) }]);
    fs.mkdirSync(path.join(dir, '.git'));
    fs.writeFileSync(path.join(dir, '.git', 'config'), '[core]\n');
    expect(readPackageDir(dir).map((f) => f.path)).toEqual(['Kptfile']);
    for (const name of ['git~1', '.git.', '.g\u200cit']) {
      fs.mkdirSync(path.join(dir, name));
      fs.writeFileSync(path.join(dir, name, 'config'), '[core]\n');
      expect(() => readPackageDir(dir), name).toThrow(/refusing to push .*Git's own directory/);
      fs.rmSync(path.join(dir, name), { recursive: true });
    }
  });

  it('pushes a pulled directory back byte for byte, refuses a symlink and a stale copy', async () => {
    expect((await cli('rpkg', 'init', 'bytes', '--repository=bp', '--workspace=w1')).code).toBe(0);
    const dir = path.join(work, 'bytes');
    expect((await cli('rpkg', 'pull', 'bp.bytes.w1', dir)).code).toBe(0);
    const stale = path.join(work, 'bytes-stale');
    expect((await cli('rpkg', 'pull', 'bp.bytes.w1', stale)).code).toBe(0);
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x9f, 0x41]);
    fs.writeFileSync(path.join(dir, 'logo.bin'), binary);
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sub\n');
    expect(await cli('rpkg', 'push', 'bp.bytes.w1', dir)).toEqual({ code: 0, stdout: 'bp.bytes.w1 pushed\n', stderr: '' });
    const again = path.join(work, 'bytes-again');
    expect((await cli('rpkg', 'pull', 'bp.bytes.w1', again)).code).toBe(0);
    expect(fs.readFileSync(path.join(again, 'logo.bin'))).toEqual(binary);
    expect(fs.readFileSync(path.join(again, 'sub', 'cm.yaml'), 'utf8')).toContain('name: sub');

    // The copy pulled before that push is stale now: refused, nothing written.
    fs.writeFileSync(path.join(stale, 'other.yaml'), 'a: 1\n');
    expect(await cli('rpkg', 'push', 'bp.bytes.w1', stale)).toMatchObject({ code: 1, stderr: expect.stringContaining('the object has been modified') });
    fs.symlinkSync('/etc/passwd', path.join(again, 'passwd.yaml'));
    expect(await cli('rpkg', 'push', 'bp.bytes.w1', again)).toMatchObject({ code: 1, stderr: expect.stringContaining('"passwd.yaml": it is a symbolic link') });
    const list = YAML.parse((await cli('rpkg', 'pull', 'bp.bytes.w1')).stdout);
    expect(list.items.map((i: { metadata: { name: string } }) => i.metadata.name)).not.toContain('passwd');
  });
});

// Repositories registered by path, on both databases: read and written in
// place with Git's own locking, no server and no clone. Everything is checked
// with native git: fsck clean, Porch's layout, a work tree and index never
// touched, a concurrent native update never lost, nothing of the user's
// repository deleted when it is unregistered.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestService, type TestService } from '../support/service.ts';
import { updateLocalRefs } from '../../src-main/git/local-ref-update.ts';
import { PushRejected, ZERO_OID } from '../../src-main/git/push.ts';
import { git, listRefs, unpackTarRepo } from '../support/fixtures.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';

const who = ['-c', 'user.name=Native Git', '-c', 'user.email=native@example.com'];

async function workingClone(dir: string, branch = 'main'): Promise<string> {
  await git(path.dirname(dir), ['init', '-q', '-b', branch, dir]);
  fs.writeFileSync(path.join(dir, 'README.md'), '# notes\n');
  await git(dir, ['add', 'README.md']);
  await git(dir, [...who, 'commit', '-q', '-m', 'first']);
  return dir;
}

const fsckClean = async (dir: string) => {
  // --strict, and no "dangling"/"bad" lines on stderr either: git fsck exits 0 with warnings.
  const out = await git(dir, ['fsck', '--strict', '--no-dangling']);
  expect(out.trim()).toBe('');
};

describe.each(testEngines())('repositories registered by path on $kind', (engine) => {
  useTestEngine(engine);
  let work: string;
  let service: TestService;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-local-'));
    service = openTestService({ db: await engine.open(), dataHome: path.join(work, 'home') });
  });
  afterAll(async () => {
    await service?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const publish = async (repository: string, name: string, workspace = 'v1') => {
    const rev = await service.initPackage({ repository, name, workspace, description: `${name} package` });
    await service.changeLifecycle({ name: rev.metadata.name, verb: 'propose' });
    expect(await service.changeLifecycle({ name: rev.metadata.name, verb: 'approve' })).toBe('approved');
    return rev.metadata.name;
  };

  it('refuses what is not a Git repository it can write, saying what to do', async () => {
    const plain = fs.mkdtempSync(path.join(work, 'plain-'));
    await expect(service.registerRepository({ url: plain, name: 'plain' })).rejects.toThrow(/is not a Git repository .*git init/);
    await expect(service.registerRepository({ url: path.join(work, 'missing'), name: 'missing' })).rejects.toThrow(/no such directory/);
    await expect(service.registerRepository({ url: 'relative/path', name: 'rel' })).rejects.toThrow(/absolute path/);
    const repo = await workingClone(path.join(work, 'creds'));
    await expect(service.registerRepository({ url: repo, name: 'creds', username: 'u', password: 'p' })).rejects.toThrow(/takes no credentials/);
    // A reftable repository (Git 2.45+) cannot be written with the files backend's locks.
    const reftable = await workingClone(path.join(work, 'reftable'));
    fs.appendFileSync(path.join(reftable, '.git', 'config'), '[extensions]\n\trefStorage = reftable\n');
    await expect(service.registerRepository({ url: reftable, name: 'reftable' })).rejects.toThrow(/reftable.*git refs migrate/);
    expect(await service.listRepositories({})).toEqual([]);
  });

  it('publishes into a bare repository in Porch layout, fsck clean', async () => {
    const bare = path.join(work, 'blueprints.git');
    await git(work, ['init', '-q', '--bare', '-b', 'main', bare]);
    const { sync, warnings } = await service.registerRepository({ url: `file://${bare}`, name: 'blueprints' });
    expect(sync).not.toBeInstanceOf(Error);
    expect(warnings).toEqual([]);
    expect((await service.getRepository({ name: 'blueprints' })).spec.git.repo).toBe(`file://${bare}`);

    const name = await publish('blueprints', 'network/vpc');
    const tagged = (await git(bare, ['rev-parse', 'network/vpc/v1^{commit}'])).trim();
    expect((await git(bare, ['rev-parse', 'main'])).trim()).toBe(tagged);
    // The first commit of an empty repository: its only parent is the task commit.
    expect(await git(bare, ['show', '-s', '--format=%s%n%P', tagged])).toMatch(/^Approving package revision network\/vpc\/1\n[0-9a-f]{40}\n$/);
    expect(await git(bare, ['ls-tree', '-r', '--name-only', 'main'])).toBe('network/vpc/Kptfile\nnetwork/vpc/README.md\nnetwork/vpc/package-context.yaml\n');
    await fsckClean(bare);
    // No stray temporary or lock files in the user's repository.
    const stray = (await git(bare, ['count-objects', '-v'])).match(/^garbage: (\d+)/m)?.[1];
    expect(stray).toBe('0');
    expect((await service.listPackageRevisions({ name }))[0]).toMatchObject({ spec: { lifecycle: 'Published', revision: 1 } });
    // What the approval wrote is what a sync finds: nothing to add or remove.
    expect(await service.syncRepository({ name: 'blueprints' })).toMatchObject({ externalOnly: 0, cachedOnly: 0 });
  });

  it('syncs what native git commits and tags there, and deletes a packed tag', async () => {
    const bare = path.join(work, 'blueprints.git');
    // A second revision made with native git (edit, commit, tag, push), then every ref packed (as `git gc` does).
    const edit = path.join(work, 'edit');
    await git(work, ['clone', '-q', bare, edit]);
    fs.appendFileSync(path.join(edit, 'network/vpc/README.md'), '\nEdited by hand.\n');
    await git(edit, [...who, 'commit', '-q', '-am', 'Edit the vpc README']);
    await git(edit, ['tag', 'network/vpc/v2']);
    await git(edit, ['push', '-q', 'origin', 'main', 'network/vpc/v2']);
    await git(bare, ['pack-refs', '--all']);
    expect(fs.existsSync(path.join(bare, 'refs/tags/network/vpc/v1'))).toBe(false);
    // v2 is new; the placeholder (the package on main) moved with the branch.
    expect(await service.syncRepository({ name: 'blueprints' })).toMatchObject({ externalOnly: 2, cachedOnly: 1 });
    const v2 = (await service.listPackageRevisions({})).filter((r) => r.spec.repository === 'blueprints' && r.spec.revision === 2);
    expect(v2.map((r) => r.spec.packageName)).toEqual(['network/vpc']);

    const name = v2.find((r) => r.spec.revision === 2)!.metadata.name;
    await service.changeLifecycle({ name, verb: 'propose-delete' });
    expect(await service.changeLifecycle({ name, verb: 'delete' })).toBe('deleted');
    const refs = await listRefs(bare);
    expect(refs.has('refs/tags/network/vpc/v2')).toBe(false);
    expect(refs.has('refs/tags/network/vpc/v1')).toBe(true);
    expect(fs.existsSync(path.join(bare, 'packed-refs.lock'))).toBe(false);
    await fsckClean(bare);
  });

  it('never touches the work tree or index of a working clone, and says so when the branch is checked out', async () => {
    const clone = await workingClone(path.join(work, 'deploy'));
    fs.writeFileSync(path.join(clone, 'scratch.txt'), 'my own work in progress\n');
    const indexBefore = fs.readFileSync(path.join(clone, '.git', 'index'));
    const { warnings } = await service.registerRepository({ url: clone, name: 'deploy', deployment: true });
    expect(warnings.join('\n')).toMatch(/branch main is checked out in .*deploy.*never touches that work tree/);

    // Said again on the repository's Ready condition at every sync.
    expect((await service.getRepository({ name: 'deploy' })).status.conditions?.[0]?.message).toMatch(/branch main is checked out/);
    await publish('deploy', 'app');
    expect(fs.readFileSync(path.join(clone, '.git', 'index'))).toEqual(indexBefore);
    expect(fs.readFileSync(path.join(clone, 'scratch.txt'), 'utf8')).toBe('my own work in progress\n');
    expect(fs.existsSync(path.join(clone, 'app'))).toBe(false);
    // The branch moved (HEAD follows it), with a reflog entry as Git writes one.
    expect(await git(clone, ['log', '-1', '--format=%s', 'main'])).toBe('Approving package revision app/1\n');
    expect(await git(clone, ['reflog', '-1', '--format=%gs', 'main'])).toMatch(/Approving package revision app\/1/);
    await fsckClean(clone);

    // Another branch checked out: no warning.
    const other = await workingClone(path.join(work, 'feature'), 'feature');
    await git(other, ['branch', 'main']);
    expect((await service.registerRepository({ url: other, name: 'feature' })).warnings).toEqual([]);
  });

  it('unregistering leaves the repository where it was, whole', async () => {
    const clone = path.join(work, 'deploy');
    const before = await listRefs(clone);
    await service.unregisterRepository({ name: 'deploy', force: true });
    await service.cleanup();
    expect(await listRefs(clone)).toEqual(before);
    expect(fs.readFileSync(path.join(clone, 'scratch.txt'), 'utf8')).toBe('my own work in progress\n');
    await fsckClean(clone);
  });

  it('ignores a packed-refs line that names a path out of the repository; nothing is written outside it', async () => {
    const base = fs.mkdtempSync(path.join(work, 'escape-'));
    const bare = path.join(base, 'repo.git');
    await git(base, ['init', '-q', '--bare', '-b', 'main', bare]);
    const run = (args: string[], input?: string) => execFileSync('git', args, { cwd: bare, input, encoding: 'utf8' }).trim();
    const tree = (entries: string) => run(['mktree'], entries);
    const kptfile = run(['hash-object', '-w', '--stdin'], 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: pkg\n');
    // A tree that holds the path the ref names, through entries called "..", which only plumbing writes.
    let climb = tree(`040000 tree ${tree(`100644 blob ${kptfile}\tKptfile\n`)}\tpkg\n`);
    climb = tree(`040000 tree ${climb}\toutside\n`);
    for (let i = 0; i < 3; i++) climb = tree(`040000 tree ${climb}\t..\n`);
    const commit = (t: string, m: string) => run([...who, 'commit-tree', t, '-m', m]);
    const hostile = commit(climb, 'hostile');
    const main = commit(tree(`100644 blob ${kptfile}\tREADME.md\n`), 'first');
    run(['update-ref', 'refs/heads/main', main]);
    // refs/tags/../../../outside/pkg/v1, joined onto the git directory, is <base>/outside/pkg/v1.
    fs.writeFileSync(path.join(bare, 'packed-refs'), `# pack-refs with: peeled fully-peeled sorted \n${hostile} refs/tags/../../../outside/pkg/v1\n`);

    // The isomorphic reader finds ".." entries in raw trees, so this path reaches furthest.
    const before = process.env.PORCHLIGHT_GIT;
    process.env.PORCHLIGHT_GIT = 'isomorphic';
    try {
      const { sync } = await service.registerRepository({ url: bare, name: 'escape' });
      expect(sync).not.toBeInstanceOf(Error);
      const listed = (await service.listPackageRevisions({})).filter((r) => r.spec.repository === 'escape');
      expect(listed.map((r) => r.spec.packageName).filter((p) => p.includes('..'))).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.PORCHLIGHT_GIT;
      else process.env.PORCHLIGHT_GIT = before;
    }
    // A ref name Porchlight would build from such a path is refused before anything is written.
    await expect(updateLocalRefs(bare, `file://${bare}`, [{ ref: 'refs/tags/../../../outside/pkg/v2', old: ZERO_OID, oid: main }])).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: expect.stringMatching(/not a valid Git ref name \(it contains "\.\."\)/),
    });
    expect(fs.readdirSync(base)).toEqual(['repo.git']);
    await service.unregisterRepository({ name: 'escape', force: true });
  });

  it.skipIf(process.geteuid?.() !== 0)("refuses a repository another user owns unless Git's safe.directory lists it", async () => {
    const repo = await workingClone(path.join(work, 'foreign'));
    execFileSync('chown', ['-R', 'nobody', repo]);
    const home = fs.mkdtempSync(path.join(work, 'home-'));
    const trust = (...directories: string[]) =>
      fs.writeFileSync(path.join(home, '.gitconfig'), `[safe]\n${directories.map((d) => `\tdirectory = ${d}\n`).join('')}`);
    const saved = { HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, GIT_CONFIG_GLOBAL: process.env.GIT_CONFIG_GLOBAL };
    process.env.HOME = home;
    delete process.env.XDG_CONFIG_HOME;
    delete process.env.GIT_CONFIG_GLOBAL;
    try {
      const refused = {
        code: 'FAILED_PRECONDITION',
        message: expect.stringMatching(new RegExp(`owned by nobody \\(uid 65534\\), not by you .*git config --global --add safe\\.directory ${repo}$`)),
      };
      await expect(service.registerRepository({ url: repo, name: 'foreign' })).rejects.toMatchObject(refused);
      expect((await service.listRepositories({})).map((r) => r.metadata.name)).not.toContain('foreign');

      trust('/somewhere/else', repo);
      expect((await service.registerRepository({ url: repo, name: 'foreign' })).sync).not.toBeInstanceOf(Error);
      // Taken off the list (an empty value clears it, as in Git), the next sync is refused too.
      trust(repo, '');
      await expect(service.syncRepository({ name: 'foreign' })).rejects.toMatchObject(refused);
      trust('*');
      expect(await service.syncRepository({ name: 'foreign' })).toBeDefined();
      await service.unregisterRepository({ name: 'foreign', force: true });
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('a repository moved away fails its sync with the reason; its cached revisions still read', async () => {
    const bare = path.join(work, 'blueprints.git');
    fs.renameSync(bare, `${bare}.moved`);
    try {
      await expect(service.syncRepository({ name: 'blueprints' })).rejects.toThrow(/is gone \(moved or deleted\?\)/);
      expect((await service.listPackageRevisions({})).filter((r) => r.spec.repository === 'blueprints').length).toBeGreaterThan(0);
    } finally {
      fs.renameSync(`${bare}.moved`, bare);
    }
  });
});

describe("updateLocalRefs: Git's locking, compare and swap", () => {
  let repo: string;
  let head: string;
  beforeAll(async () => {
    repo = await unpackTarRepo('simple-repository', fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-refs-')), 'refs');
    head = (await git(repo, ['rev-parse', 'main'])).trim();
  });
  afterAll(() => fs.rmSync(path.dirname(repo), { recursive: true, force: true }));

  it('refuses the whole update when one ref moved on, and changes nothing', async () => {
    const before = await listRefs(repo);
    const update = updateLocalRefs(repo, `file://${repo}`, [
      { ref: 'refs/tags/new/v1', old: ZERO_OID, oid: head },
      { ref: 'refs/heads/main', old: '1'.repeat(40), oid: head },
    ]);
    await expect(update).rejects.toBeInstanceOf(PushRejected);
    expect(await listRefs(repo)).toEqual(before);
    expect(fs.readdirSync(path.join(repo, 'refs', 'heads')).filter((f) => f.endsWith('.lock'))).toEqual([]);
  });

  it('waits for a lock native git holds, then fails naming the lock file, and leaves it alone', async () => {
    const lock = path.join(repo, 'refs', 'heads', 'main.lock');
    fs.writeFileSync(lock, '');
    const started = Date.now();
    await expect(updateLocalRefs(repo, `file://${repo}`, [{ ref: 'refs/heads/main', old: head, oid: head }])).rejects.toThrow(
      /main\.lock exists: another Git process/,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
    expect(fs.existsSync(lock)).toBe(true);
    fs.rmSync(lock);
  });

  it('an update Git itself sees: for-each-ref and fsck agree', async () => {
    await updateLocalRefs(repo, `file://${repo}`, [{ ref: 'refs/tags/new/v1', old: ZERO_OID, oid: head }]);
    expect((await listRefs(repo)).get('refs/tags/new/v1')).toBe(head);
    await updateLocalRefs(repo, `file://${repo}`, [{ ref: 'refs/tags/new/v1', old: head }]);
    expect((await listRefs(repo)).has('refs/tags/new/v1')).toBe(false);
    await fsckClean(repo);
  });
});

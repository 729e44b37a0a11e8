// Hostile and odd Git repositories (issue 7): what arrives from Git is input
// too. One repository, written with native git, holds a package with symbolic
// links pointing out of it (/etc/passwd, ../../outside), a file whose name is
// not UTF-8, tags by hand that are not numbered revisions (pkg/vfoo, pkg/v2.0),
// and 10,000 tags of a CI that tags every build. A sync must finish in
// bounded time, register the revisions Porch would list, store no link
// target's contents, and refuse to make a new revision that would rename or
// drop the file it cannot name.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src-main/db/database.ts';
import { openDatabase } from '../../src-main/db/open-database.ts';
import { runCli } from '../../src-main/cli/main.ts';
import { ObjectReader } from '../../src-main/git/object-reader.ts';
import { NativeObjectReader } from '../../src-main/git/native-object-reader.ts';
import { openTestService, type TestService } from '../support/service.ts';
import { packageFilePathProblem } from '../../src-shared/package-files.ts';
import { clonePackageSchema } from '../../src-shared/requests.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';
import { startGitServer, type GitServer } from '../support/git-server.ts';

const BUILD_TAGS = 10_000;

function git(cwd: string, args: string[], input?: string): string {
  return execFileSync('git', args, { cwd, input, encoding: 'utf8', maxBuffer: 1 << 28 });
}

describe('a hostile Git repository', () => {
  let work: string;
  let server: GitServer;
  let service: TestService;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-hostile-repo-'));
    const tree = path.join(work, 'tree');
    fs.mkdirSync(path.join(tree, 'pkg'), { recursive: true });
    git(work, ['init', '-q', '-b', 'main', tree]);
    git(tree, ['config', 'user.email', 'ci@example.com']);
    git(tree, ['config', 'user.name', 'ci']);
    fs.writeFileSync(path.join(tree, 'pkg', 'Kptfile'), 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: pkg\ninfo:\n  description: hostile\n');
    fs.writeFileSync(path.join(tree, 'pkg', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n');
    fs.symlinkSync('/etc/passwd', path.join(tree, 'pkg', 'passwd'));
    fs.symlinkSync('../../outside', path.join(tree, 'pkg', 'up'));
    // A Latin-1 name: bytes Git keeps as they are, and UTF-8 cannot represent.
    fs.writeFileSync(
      Buffer.concat([Buffer.from(path.join(tree, 'pkg', 'caf')), Buffer.from([0xe9]), Buffer.from('.yaml')]) as unknown as string,
      'name: latin1\n',
    );
    git(tree, ['add', '-A']);
    git(tree, ['commit', '-q', '-m', 'hostile package']);
    git(tree, ['tag', 'pkg/v1']);
    git(tree, ['tag', 'pkg/vfoo']);
    git(tree, ['tag', 'pkg/v2.0']);
    const head = git(tree, ['rev-parse', 'HEAD']).trim();
    git(
      tree,
      ['update-ref', '--stdin'],
      Array.from({ length: BUILD_TAGS }, (_, i) => `create refs/tags/build-${String(i).padStart(5, '0')} ${head}\n`).join(''),
    );
    const served = path.join(work, 'served');
    fs.mkdirSync(served);
    git(work, ['clone', '-q', '--bare', tree, path.join(served, 'hostile.git')]);
    git(path.join(served, 'hostile.git'), ['config', 'http.receivepack', 'true']);
    server = await startGitServer({ root: served });
    service = openTestService({ db: await openDatabase({ db: path.join(work, 'db') }), dataHome: path.join(work, 'home') });
  });
  afterAll(async () => {
    await service?.close();
    await server?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('syncs 10,000 tags in bounded time, lists the revisions Porch would, stores no link target, and keeps a non-UTF-8 name safe', async () => {
    const started = performance.now();
    const { sync } = await service.registerRepository({ url: server.baseUrl('hostile'), name: 'hostile' });
    const ms = performance.now() - started;
    expect(sync).not.toBeInstanceOf(Error);
    expect(ms, `sync of ${BUILD_TAGS} tags took ${Math.round(ms)} ms`).toBeLessThan(30_000);

    const revisions = (await service.listPackageRevisions({})).map((r) => `${r.spec.packageName} ${r.spec.revision} ${r.spec.lifecycle}`).sort();
    // pkg/v1 is revision 1; pkg/vfoo and pkg/v2.0 are tags by hand, listed as Porch
    // lists manual tags (revision -1, see manual-tagged-repository in the
    // conformance suite); the branch is the placeholder; 10,000 build tags are no package.
    expect(revisions).toEqual(['pkg -1 Published', 'pkg -1 Published', 'pkg -1 Published', 'pkg 1 Published']);

    const { resources } = await service.readResources({ name: 'hostile.pkg.v1' });
    const paths = resources.map((r) => r.path).sort();
    // Links are not package files.
    expect(paths).not.toContain('passwd');
    expect(paths).not.toContain('up');
    // The Latin-1 name cannot be stored as it is: the file is left out, and the
    // revision says so, so nothing made from it renames or drops it in Git.
    expect(paths).toEqual(['Kptfile', 'cm.yaml']);
    const v1 = await service.getPackageRevision({ name: 'hostile.pkg.v1' });
    expect(JSON.parse(v1.metadata.annotations!['porchlight.dev/unreadable-file-names']!)).toEqual(['caf\uFFFD.yaml']);
    expect(v1.status.conditions).toContainEqual(
      expect.objectContaining({
        type: 'porchlight.dev/FilesLeftOut',
        status: 'True',
        reason: 'UnreadableNames',
        message: expect.stringMatching(/"caf\uFFFD\.yaml", names that are not UTF-8.*git mv/),
      }),
    );
    for (const attempt of [
      () => service.copyPackage({ source: 'hostile.pkg.v1', workspace: 'v2' }),
      () => service.clonePackage({ repository: 'hostile', name: 'downstream', workspace: 'one', source: { kind: 'revision', name: 'hostile.pkg.v1' } }),
      () =>
        service.clonePackage({
          repository: 'hostile',
          name: 'fromgit',
          workspace: 'one',
          source: { kind: 'git', repo: server.baseUrl('hostile'), ref: 'pkg/v1', directory: 'pkg' },
        }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({
        code: 'FAILED_PRECONDITION',
        message: expect.stringMatching(/names that are not UTF-8.*rename them in Git \(git mv\)/i),
      });
    }
    expect((await service.listPackageRevisions({})).filter((r) => r.spec.lifecycle === 'Draft')).toEqual([]);
    expect(paths).toEqual(expect.arrayContaining(['Kptfile', 'cm.yaml']));
    const passwd = fs.existsSync('/etc/passwd') ? fs.readFileSync('/etc/passwd') : undefined;
    for (const r of resources) if (passwd && passwd.length > 20) expect(Buffer.from(r.content).includes(passwd.subarray(0, 20))).toBe(false);

    // The next sync is as quick as an unchanged one should be.
    const again = performance.now();
    expect(await service.syncRepository({ name: 'hostile' })).toMatchObject({ remoteUnchanged: true });
    expect(performance.now() - again).toBeLessThan(2_000);
  });
  it('takes odd ref names and broken kpt: annotations without a crash, registering only what makes sense', async () => {
    const tree = path.join(work, 'odd-tree');
    git(work, ['init', '-q', '-b', 'main', tree]);
    git(tree, ['config', 'user.email', 'ci@example.com']);
    git(tree, ['config', 'user.name', 'ci']);
    fs.mkdirSync(path.join(tree, 'app'));
    fs.writeFileSync(path.join(tree, 'app', 'Kptfile'), 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: app\n');
    git(tree, ['add', '-A']);
    // Annotations that are not JSON, name a path out of the repository, or carry absurd numbers.
    git(tree, ['commit', '-q', '-m', 'Approving\n\nkpt:{not json']);
    git(tree, ['tag', 'app/v1']);
    git(tree, ['commit', '-q', '--allow-empty', '-m', 'x\n\nkpt:{"package":"../../etc","workspaceName":"../w","revision":"1"}']);
    git(tree, ['tag', 'app/v2']);
    git(tree, ['commit', '-q', '--allow-empty', '-m', 'y\n\nkpt:{"package":"app","workspaceName":"w3","revision":"99999999999999999999"}']);
    git(tree, ['tag', 'app/v3']);
    // Ref names Git allows and Porch would never write.
    for (const tag of ['app/v99999999999999999999', 'app/v0', 'app/v007', 'app/v-1', 'app/V4', 'прил/v1', 'app/v5/extra']) git(tree, ['tag', tag]);
    for (const branch of ['drafts/app', 'drafts/app/', 'proposed/app/ws/deeper', 'drafts/../app', 'drafts/app/ünïcode']) {
      try {
        git(tree, ['branch', branch]);
      } catch {
        // Git itself refuses some of these names; the rest are in the repository.
      }
    }
    const served = path.join(work, 'served');
    git(work, ['clone', '-q', '--bare', tree, path.join(served, 'odd.git')]);

    const { sync } = await service.registerRepository({ url: server.baseUrl('odd'), name: 'odd', namespace: 'odd' });
    expect(sync).not.toBeInstanceOf(Error);
    const listed = await service.listPackageRevisions({ namespace: 'odd' });
    for (const r of listed) {
      expect(r.spec.packageName).not.toMatch(/(^|\/)\.\.?(\/|$)/);
      expect(r.spec.workspaceName).not.toMatch(/\.\./);
      expect(Math.abs(r.spec.revision ?? 0)).toBeLessThan(2 ** 31);
    }
    // v1 and v2 are revisions 1 and 2 (a broken annotation is ignored, a path out of the repository too);
    // the seven tags on the third commit share its annotation's workspace, so they are one revision, once.
    const numbered = listed.filter((r) => r.spec.packageName === 'app' && (r.spec.revision ?? 0) > 0).map((r) => r.spec.revision);
    expect(new Set(numbered).size).toBe(numbered.length);
    expect(numbered.slice(0, 2)).toEqual([1, 2]);
    expect(numbered).toHaveLength(3);
    expect(new Set(listed.map((r) => r.metadata.name)).size).toBe(listed.length);
    // Every revision it listed reads.
    for (const r of listed) await service.readResources({ namespace: 'odd', name: r.metadata.name });
  });
});

/**
 * A package revision that plants Git's own directory in every spelling a file
 * system reads as ".git", written with git plumbing (git add refuses these
 * names): its config sets core.fsmonitor, which `git status` would run.
 */
function plantDotGit(bare: string, marker: string): void {
  const run = (args: string[], input?: string) => git(bare, args, input).trim();
  const blob = (text: string) => run(['hash-object', '-w', '--stdin'], text);
  const tree = (entries: [string, 'blob' | 'tree', string][]) =>
    run(['mktree'], entries.map(([name, type, oid]) => `${type === 'tree' ? '040000' : '100644'} ${type} ${oid}\t${name}\n`).join(''));
  const config = blob(`[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tfsmonitor = touch ${marker}\n`);
  const keep = blob('');
  const dotGit = tree([
    ['HEAD', 'blob', blob('ref: refs/heads/main\n')],
    ['config', 'blob', config],
    ['objects', 'tree', tree([['.keep', 'blob', keep]])],
    ['refs', 'tree', tree([['heads', 'tree', tree([['.keep', 'blob', keep]])]])],
  ]);
  const pkg = tree([
    ['Kptfile', 'blob', blob('apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: pkg\ninfo:\n  description: planted\n')],
    ['cm.yaml', 'blob', blob('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n')],
    ['.gitignore', 'blob', blob('out/\n')],
    ['.github', 'tree', tree([['ci.yaml', 'blob', blob('name: ci\n')]])],
    ['.git', 'tree', dotGit],
    ['.GIT', 'blob', config],
    ['git~1', 'tree', dotGit],
    ['.git.', 'tree', dotGit],
    ['.g\u200cit', 'tree', dotGit],
    ['.git::$INDEX_ALLOCATION', 'blob', config],
    ['..', 'tree', tree([['x.yaml', 'blob', blob('kind: Escaped\n')]])],
  ]);
  // Directories that would be packages on the branch, if their names were package paths.
  const kptfileOnly = tree([['Kptfile', 'blob', blob('apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: x\n')]]);
  const root = tree([
    ['pkg', 'tree', pkg],
    ['..', 'tree', kptfileOnly],
    ['.git', 'tree', kptfileOnly],
    ['GIT~1', 'tree', kptfileOnly],
  ]);
  const commit = run(['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', 'commit-tree', root, '-m', 'planted package']);
  run(['update-ref', 'refs/heads/main', commit]);
  run(['update-ref', 'refs/tags/pkg/v1', commit]);
}

const REFUSED = ['.git/', '.GIT', 'git~1/', '.git./', '.g\u200cit/', '.git::$INDEX_ALLOCATION', '../'];
const KEPT = ['.github/ci.yaml', '.gitignore', 'Kptfile', 'cm.yaml'];

describe.each(testEngines())('a package that plants .git, on $kind', (engine) => {
  useTestEngine(engine);
  let work: string;
  let server: GitServer;
  let db: Database;
  let service: TestService | undefined;
  let marker: string;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-planted-'));
    marker = path.join(work, 'fsmonitor-ran');
    const served = path.join(work, 'served');
    fs.mkdirSync(served);
    for (const name of ['planted', 'downstream']) git(served, ['init', '-q', '--bare', '-b', 'main', `${name}.git`]);
    plantDotGit(path.join(served, 'planted.git'), marker);
    server = await startGitServer({ root: served });
    db = await engine.open();
    service = openTestService({ db, dataHome: path.join(work, 'home') });
  });
  afterAll(async () => {
    await service?.close();
    await server?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('lists the same refused paths with either Git reader', async () => {
    const gitdir = path.join(work, 'served', 'planted.git');
    const pkgTree = git(gitdir, ['rev-parse', 'pkg/v1:pkg']).trim();
    for (const reader of [new ObjectReader({ gitdir, url: '', cache: {} }), new NativeObjectReader(gitdir)]) {
      try {
        const files = await reader.files(pkgTree);
        expect(
          files
            .filter((f) => f.nameRefused)
            .map((f) => f.path)
            .sort(),
        ).toEqual([...REFUSED].sort());
        expect(
          files
            .filter((f) => !f.nameRefused)
            .map((f) => f.path)
            .sort(),
        ).toEqual(KEPT);
      } finally {
        reader.close();
      }
    }
  });

  it('stores none of the planted files, says which it left out, and derives drafts without them', async () => {
    const { sync } = await service!.registerRepository({ url: server.baseUrl('planted'), name: 'planted' });
    expect(sync).not.toBeInstanceOf(Error);
    expect((await service!.registerRepository({ url: server.baseUrl('downstream'), name: 'downstream' })).sync).not.toBeInstanceOf(Error);

    // Only pkg is a package: "..", ".git" and "GIT~1" on the branch are no package paths.
    expect((await service!.listPackageRevisions({})).filter((r) => r.spec.repository === 'planted').map((r) => r.spec.packageName)).toEqual(['pkg', 'pkg']);
    // Nothing refused reached the database, for the tag or the branch's placeholder.
    const stored = (await db.query<{ path: string }>(`SELECT DISTINCT path FROM resources ORDER BY path`)).rows.map((r) => r.path);
    expect(stored).toEqual(KEPT);
    expect(stored.filter((p) => packageFilePathProblem(p))).toEqual([]);

    for (const name of ['planted.pkg.v1', 'planted.pkg.main']) {
      const revision = await service!.getPackageRevision({ name });
      const condition = revision.status.conditions?.find((c) => c.type === 'porchlight.dev/FilesLeftOut');
      expect(condition, name).toMatchObject({ status: 'True', reason: 'RefusedPaths' });
      for (const p of REFUSED) expect(condition!.message).toContain(JSON.stringify(p));
      expect(condition!.message).toMatch(/goes without them/);
      expect(JSON.parse(revision.metadata.annotations!['porchlight.dev/refused-file-paths']!).sort()).toEqual([...REFUSED].sort());
    }

    // A listing says it too (pages are built apart from single reads).
    const page = (await service!.listPackageRevisions({})).find((r) => r.metadata.name === 'planted.pkg.v1')!;
    expect(page.status.conditions).toContainEqual(expect.objectContaining({ type: 'porchlight.dev/FilesLeftOut', reason: 'RefusedPaths' }));

    // A later tag of the same tree is copied inside the database, and says the same.
    const bare = path.join(work, 'served', 'planted.git');
    git(bare, ['update-ref', 'refs/tags/pkg/v4', git(bare, ['rev-parse', 'pkg/v1']).trim()]);
    await service!.syncRepository({ name: 'planted' });
    expect((await service!.getPackageRevision({ name: 'planted.pkg.v4' })).status.conditions).toContainEqual(
      expect.objectContaining({ type: 'porchlight.dev/FilesLeftOut', reason: 'RefusedPaths' }),
    );

    // Drafts made from it go without the planted files, in this repository and another.
    await service!.copyPackage({ source: 'planted.pkg.v1', workspace: 'v2' });
    await service!.clonePackage({ repository: 'downstream', name: 'copied', workspace: 'one', source: { kind: 'revision', name: 'planted.pkg.v1' } });
    for (const name of ['planted.pkg.v2', 'downstream.copied.one']) {
      const paths = (await service!.readResources({ name })).resources.map((r) => r.path);
      expect(
        paths.filter((p) => packageFilePathProblem(p)),
        name,
      ).toEqual([]);
      expect(paths, name).toEqual(expect.arrayContaining(['Kptfile', 'cm.yaml', '.gitignore', '.github/ci.yaml']));
    }

    // Straight from the Git URL there is no revision to say what was left out: refused, saying what to do.
    await expect(
      service!.clonePackage({
        repository: 'downstream',
        name: 'fromgit',
        workspace: 'one',
        source: { kind: 'git', repo: server.baseUrl('planted'), ref: 'pkg/v1', directory: 'pkg' },
      }),
    ).rejects.toMatchObject({ code: 'FAILED_PRECONDITION', message: expect.stringMatching(/"\.git\/".*Register the repository instead/) });
  });

  it('refuses a clone from a directory out of the upstream repository as an invalid argument (issue 15, 9a)', async () => {
    for (const directory of ['../pkg', 'pkg/../..', '/..', '.git', 'pkg/.GIT.']) {
      const request = {
        repository: 'downstream',
        name: 'escape',
        workspace: 'one',
        source: { kind: 'git' as const, repo: server.baseUrl('planted'), ref: 'pkg/v1', directory },
      };
      expect(clonePackageSchema.safeParse(request).success, directory).toBe(false);
      await expect(service!.clonePackage(request), directory).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(/directory .* must be a path inside the repository/),
      });
    }
  });

  it('leaves out refused paths a revision synced before they were refused still holds, when deriving a draft', async () => {
    const { repository_id, id } = (
      await db.query<{ repository_id: number; id: number }>(`SELECT repository_id, id FROM package_revisions WHERE name = $1 AND status = 'default'`, [
        'planted.pkg.v1',
      ])
    ).rows[0]!;
    const legacy = Buffer.from('[core]\n\tfsmonitor = touch /tmp/should-not-run\n');
    await db.query(`INSERT INTO resources (repository_id, package_revision_id, path, content, size_bytes) VALUES ($1, $2, $3, $4, $5)`, [
      repository_id,
      id,
      '.git/config',
      legacy,
      legacy.length,
    ]);
    await service!.copyPackage({ source: 'planted.pkg.v1', workspace: 'v3' });
    expect((await service!.readResources({ name: 'planted.pkg.v3' })).resources.map((r) => r.path).sort()).toEqual(KEPT);
  });

  it('pulls the revision without any .git (git status there runs nothing); the CLI refuses a clone from out of the upstream', async () => {
    await service!.close();
    service = undefined;
    const dir = path.join(work, 'pulled');
    let stderr = '';
    const code = await runCli(['--db', engine.target, 'rpkg', 'pull', 'planted.pkg.v1', dir], {
      stdout: () => {},
      stderr: (s) => (stderr += s),
      env: { ...process.env, PORCHLIGHT_HOME: path.join(work, 'home'), PORCHLIGHT_DB: '' },
    });
    // The row the test above planted is left out, with a warning.
    expect({ code, stderr }).toEqual({
      code: 0,
      stderr: expect.stringMatching(/^warning: left out "\.git\/config": "\.git" is not a package file: it is Git's own directory/),
    });
    const written = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) => fs.statSync(path.join(dir, p)).isFile());
    expect(written.sort()).toEqual(['.KptRevisionMetadata', ...KEPT.map((p) => p.split('/').join(path.sep))].sort());
    expect(fs.existsSync(path.join(work, 'x.yaml'))).toBe(false);
    spawnSync('git', ['status'], { cwd: dir, env: { ...process.env, GIT_CEILING_DIRECTORIES: work } });
    expect(fs.existsSync(marker)).toBe(false);

    // The CLI's clone door refuses an upstream directory out of the repository before anything is read.
    stderr = '';
    const clone = await runCli(
      ['--db', engine.target, 'rpkg', 'clone', server.baseUrl('planted'), 'escape', '--directory', '../pkg', '--ref', 'pkg/v1', '--repository', 'downstream'],
      {
        stdout: () => {},
        stderr: (s) => (stderr += s),
        env: { ...process.env, PORCHLIGHT_HOME: path.join(work, 'home'), PORCHLIGHT_DB: '' },
      },
    );
    expect({ clone, stderr }).toEqual({ clone: 1, stderr: expect.stringMatching(/directory "\/?\.\.\/pkg" must be a path inside the repository/) });
  });
});

// Hostile and odd Git repositories (issue 7): what arrives from Git is input
// too. One repository, written with native git, holds a package with symbolic
// links pointing out of it (/etc/passwd, ../../outside), a file whose name is
// not UTF-8, tags by hand that are not numbered revisions (pkg/vfoo, pkg/v2.0),
// and 10,000 tags of a CI that tags every build. A sync must finish in
// bounded time, register the revisions Porch would list, store no link
// target's contents, and refuse to make a new revision that would rename or
// drop the file it cannot name.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/db/open-database.ts';
import { PorchlightService } from '../../src-main/service/porchlight-service.ts';
import { startGitServer, type GitServer } from '../support/git-server.ts';

const BUILD_TAGS = 10_000;

function git(cwd: string, args: string[], input?: string): string {
  return execFileSync('git', args, { cwd, input, encoding: 'utf8', maxBuffer: 1 << 28 });
}

describe('a hostile Git repository', () => {
  let work: string;
  let server: GitServer;
  let service: PorchlightService;

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
    fs.writeFileSync(Buffer.concat([Buffer.from(path.join(tree, 'pkg', 'caf')), Buffer.from([0xe9]), Buffer.from('.yaml')]) as unknown as string, 'name: latin1\n');
    git(tree, ['add', '-A']);
    git(tree, ['commit', '-q', '-m', 'hostile package']);
    git(tree, ['tag', 'pkg/v1']);
    git(tree, ['tag', 'pkg/vfoo']);
    git(tree, ['tag', 'pkg/v2.0']);
    const head = git(tree, ['rev-parse', 'HEAD']).trim();
    git(tree, ['update-ref', '--stdin'], Array.from({ length: BUILD_TAGS }, (_, i) => `create refs/tags/build-${String(i).padStart(5, '0')} ${head}\n`).join(''));
    const served = path.join(work, 'served');
    fs.mkdirSync(served);
    git(work, ['clone', '-q', '--bare', tree, path.join(served, 'hostile.git')]);
    git(path.join(served, 'hostile.git'), ['config', 'http.receivepack', 'true']);
    server = await startGitServer({ root: served });
    service = new PorchlightService({ db: await openDatabase({ db: path.join(work, 'db') }), dataHome: path.join(work, 'home') });
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
    for (const attempt of [
      () => service.copyPackage({ source: 'hostile.pkg.v1', workspace: 'v2' }),
      () => service.clonePackage({ repository: 'hostile', name: 'downstream', workspace: 'one', source: { kind: 'revision', name: 'hostile.pkg.v1' } }),
      () => service.clonePackage({ repository: 'hostile', name: 'fromgit', workspace: 'one', source: { kind: 'git', repo: server.baseUrl('hostile'), ref: 'pkg/v1', directory: 'pkg' } }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: 'FAILED_PRECONDITION', message: expect.stringMatching(/names that are not UTF-8.*rename them in Git \(git mv\)/i) });
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

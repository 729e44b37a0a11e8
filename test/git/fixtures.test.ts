// Each Porch fixture must come out as a sound bare repository with the refs
// Porch's own tests rely on; the generator must write Porch's layout exactly.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOneTag, approvalMessage, generateRepo } from '../support/generate-repo.ts';
import { PORCH_TAR_REPOS, addBranchCopy, createEmptyRepo, git, listRefs, porchDataPath, unpackBundle, unpackTarRepo } from '../support/fixtures.ts';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'porchlight-fixtures-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const tags = (refs: Map<string, string>): string[] =>
  [...refs.keys()]
    .filter((r) => r.startsWith('refs/tags/'))
    .map((r) => r.slice('refs/tags/'.length))
    .sort();

describe('Porch tar fixtures', () => {
  it.each(PORCH_TAR_REPOS)('%s unpacks as a bare repository that passes fsck', async (name) => {
    const dir = await unpackTarRepo(name, join(tmp, 'tars'));
    expect(dir).toBe(join(tmp, 'tars', `${name}.git`));
    expect((await git(dir, ['rev-parse', '--is-bare-repository'])).trim()).toBe('true');
    expect((await git(dir, ['config', 'http.receivepack'])).trim()).toBe('true');
    expect((await git(dir, ['symbolic-ref', 'HEAD'])).trim()).toBe('refs/heads/main');
    await git(dir, ['fsck', '--no-progress']);
  });

  it('simple-repository has its tags and main', async () => {
    const refs = await listRefs(await unpackTarRepo('simple-repository', join(tmp, 'named'), 'simple'));
    expect(tags(refs)).toEqual(['basens/v1', 'basens/v2', 'empty/v1', 'istions/v1', 'istions/v2']);
    expect(refs.has('refs/heads/main')).toBe(true);
  });

  it('nested and drafts repositories keep nested tags and draft branches', async () => {
    const nested = await listRefs(await unpackTarRepo('nested-repository', join(tmp, 'named')));
    expect(tags(nested)).toContain('catalog/namespace/basens/v3');
    expect(nested.has('refs/heads/drafts/catalog/gcp/bucket/v2')).toBe(true);
    const drafts = await listRefs(await unpackTarRepo('drafts-repository.tar', join(tmp, 'named')));
    expect([...drafts.keys()].filter((r) => r.startsWith('refs/heads/drafts/')).sort()).toEqual([
      'refs/heads/drafts/bucket/v1',
      'refs/heads/drafts/none/v1',
      'refs/heads/drafts/pkg-with-history/v1',
    ]);
  });

  it('addBranchCopy makes feature and nested/release branches at main', async () => {
    const dir = await unpackTarRepo('simple-repository', join(tmp, 'branches'));
    const main = (await listRefs(dir)).get('refs/heads/main');
    expect(await addBranchCopy(dir, 'main', 'feature')).toBe(main);
    await addBranchCopy(dir, 'main', 'nested/release');
    const refs = await listRefs(dir);
    expect(refs.get('refs/heads/feature')).toBe(main);
    expect(refs.get('refs/heads/nested/release')).toBe(main);
    // A tag works as the source too.
    expect(await addBranchCopy(dir, 'basens/v1', 'from-tag')).toBe(refs.get('refs/tags/basens/v1'));
  });

  it('names a missing data file in its error', () => {
    expect(() => porchDataPath('no-such.tar')).toThrow(/no-such\.tar is missing/);
  });
});

describe('test-blueprints bundle and empty repository', () => {
  it('loads every branch and tag, HEAD on main, and nothing from refs/remotes', async () => {
    const dir = await unpackBundle('test-blueprints', join(tmp, 'bundle'));
    const refs = await listRefs(dir);
    expect(tags(refs)).toEqual([
      'basens/v1',
      'basens/v2',
      'basens/v3',
      'basens/v4',
      'bucket/v1',
      'empty/v1',
      'redis-bucket/v1',
      'unready/v1',
      'update/v1',
      'update/v2',
    ]);
    expect([...refs.keys()].filter((r) => !r.startsWith('refs/tags/'))).toEqual(['refs/heads/main']);
    expect((await git(dir, ['symbolic-ref', 'HEAD'])).trim()).toBe('refs/heads/main');
    expect((await git(dir, ['config', 'http.receivepack'])).trim()).toBe('true');
    await git(dir, ['fsck', '--no-progress']);
  });

  it('createEmptyRepo gives a bare repository with no refs and an unborn main', async () => {
    const dir = await createEmptyRepo('porch-test', join(tmp, 'empty'));
    expect((await listRefs(dir)).size).toBe(0);
    expect((await git(dir, ['symbolic-ref', 'HEAD'])).trim()).toBe('refs/heads/main');
  });
});

describe('generate-repo', () => {
  it('writes one approval commit and tag per package revision, deterministically', async () => {
    const a = await generateRepo({ dir: join(tmp, 'gen-a.git'), packages: 7, revisions: 3 });
    const b = await generateRepo({ dir: join(tmp, 'gen-b.git'), packages: 7, revisions: 3 });
    expect(a.head).toBe(b.head);
    expect(a.tags).toBe(21);
    const refs = await listRefs(a.dir);
    expect(tags(refs)).toHaveLength(21);
    await git(a.dir, ['fsck', '--no-progress', '--strict']);

    const log = await git(a.dir, ['log', '--format=%B%x00', 'main']);
    const messages = log
      .split('\0')
      .map((m) => m.trim())
      .filter(Boolean);
    expect(messages).toHaveLength(22); // plus the initial commit
    const trailers = messages.filter((m) => m.includes('\n\nkpt:'));
    expect(trailers).toHaveLength(21);

    // Same shape as Porch's own approvals in nested-repository-with-invalid-kpt-annotation.tar.
    const tagged = (await git(a.dir, ['log', '-1', '--format=%B', 'pkg-0003/v2'])).replace(/\n+$/, '\n');
    expect(tagged).toBe(approvalMessage('pkg-0003', 2));
    expect(tagged).toBe('Approve pkg-0003/v2\n\nkpt:{"package":"pkg-0003","workspaceName":"v2","revision":"v2"}\n');

    const files = (await git(a.dir, ['ls-tree', '-r', '--name-only', 'pkg-0003/v2', 'pkg-0003'])).trim().split('\n');
    expect(files).toEqual(['pkg-0003/Kptfile', 'pkg-0003/README.md', 'pkg-0003/configmap.yaml', 'pkg-0003/namespace.yaml', 'pkg-0003/package-context.yaml']);
    const tree = (rev: string) => git(a.dir, ['rev-parse', `${rev}:pkg-0003`]);
    expect(await tree('pkg-0003/v1')).not.toBe(await tree('pkg-0003/v2'));
    expect(await git(a.dir, ['show', 'pkg-0003/v2:pkg-0003/Kptfile'])).toMatch(/^apiVersion: kpt\.dev\/v1\nkind: Kptfile\nmetadata:\n {2}name: pkg-0003\n/);
  });

  it('addOneTag publishes exactly one new revision on top of main', async () => {
    const { dir, head } = await generateRepo({ dir: join(tmp, 'gen-add.git'), packages: 4, revisions: 2 });
    const result = await addOneTag(dir, 'pkg-0002');
    expect(result.tag).toBe('pkg-0002/v3');
    const after = await listRefs(dir);
    expect(tags(after)).toHaveLength(9);
    expect(after.get('refs/heads/main')).toBe(result.commit);
    expect((await git(dir, ['rev-parse', `${result.commit}^`])).trim()).toBe(head);
    expect(
      (await git(dir, ['diff', '--name-only', head, result.commit]))
        .trim()
        .split('\n')
        .every((f) => f.startsWith('pkg-0002/')),
    ).toBe(true);
    expect((await addOneTag(dir, 'pkg-0009')).tag).toBe('pkg-0009/v1'); // a brand-new package
    await git(dir, ['fsck', '--no-progress', '--strict']);
  });
});

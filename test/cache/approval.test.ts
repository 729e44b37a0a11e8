// Approval and deletion against a real Git server, on both databases: what
// lands in Git is read back with native git and must be Porch's layout; the
// remote moving on, the server going away and a crash between push and
// database write must each end with one revision, never a half-written one.
import fs from 'node:fs';
import YAML from 'yaml';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/db/open-database.ts';
import { openTestService } from '../support/service.ts';
import { pushRefs, PushRejected, ZERO_OID } from '../../src-main/git/push.ts';
import { createHttpClient } from '../../src-main/git/http-client.ts';
import { git, listRefs } from '../support/fixtures.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';
import { useWorkbench } from '../support/workbench.ts';

const PASSWORD = 'approval-secret';

describe.each(testEngines())('approval on $kind', (engine) => {
  useTestEngine(engine);
  const wb = useWorkbench(engine, { repositories: { simple: 'simple-repository' }, username: 'alice', password: PASSWORD });

  const proposal = async (pkg: string, workspace: string) => {
    const rev = await wb.service.initPackage({ repository: 'simple', name: pkg, workspace, description: `${pkg} for tests` });
    await wb.service.changeLifecycle({ name: rev.metadata.name, verb: 'propose' });
    return rev.metadata.name;
  };
  const show = (rev: string, format = '%H') => git(wb.served.simple!, ['show', '-s', `--format=${format}`, rev]);
  const revision = async (name: string) => (await wb.service.listPackageRevisions({ name }))[0];

  it('publishes in Porch layout: task commit, approval commit with two parents, trailer, tag', async () => {
    await wb.service.registerRepository({ url: wb.server.baseUrl('simple'), name: 'simple', username: 'alice', password: PASSWORD });
    const headBefore = (await show('main')).trim();
    const treeBefore = await git(wb.served.simple!, ['ls-tree', 'main']);
    const name = await proposal('team/web', 'first');
    wb.server.clearLog();
    expect(await wb.service.changeLifecycle({ name, verb: 'approve' })).toBe('approved');
    // One push carrying branch and tag; no fetch: the branch head was already local.
    const pushes = wb.server.requestLog.filter((r) => r.service === 'git-receive-pack' && r.method === 'POST');
    expect(pushes).toHaveLength(1);
    expect(wb.server.requestLog.filter((r) => r.service === 'git-upload-pack' && r.method === 'POST')).toHaveLength(0);

    const tagged = (await show('team/web/v1')).trim();
    expect((await show('main')).trim()).toBe(tagged);
    const [first, second] = (await show(tagged, '%P')).trim().split(' ');
    expect(first).toBe(headBefore);
    expect((await show(second!, '%P')).trim()).toBe(headBefore);
    expect(await show(tagged, '%B')).toBe('Approving package revision team/web/1\n\nkpt:{"package":"team/web","workspaceName":"first","revision":"1"}\n\n');
    const taskMessage = await show(second!, '%B');
    expect(taskMessage).toMatch(
      /^Creating new empty revision\n\n\nkpt:\{"package":"team\/web","workspaceName":"first","revision":"0","task":\{"type":"init","init":\{"description":"team\/web for tests"\}\}\}\n/,
    );
    // Only the path to the new package changed: every other top-level tree keeps its id.
    const treeAfter = await git(wb.served.simple!, ['ls-tree', 'main']);
    for (const line of treeBefore.trim().split('\n')) expect(treeAfter).toContain(line);
    expect(await git(wb.served.simple!, ['ls-tree', '-r', '--name-only', 'main', 'team/web'])).toBe(
      'team/web/Kptfile\nteam/web/README.md\nteam/web/package-context.yaml\n',
    );
    expect(await git(wb.served.simple!, ['show', 'team/web/v1:team/web/Kptfile'])).toContain('description: team/web for tests');

    expect(await revision(name)).toMatchObject({ spec: { lifecycle: 'Published', revision: 1 }, metadata: { labels: { 'kpt.dev/latest-revision': 'true' } } });
    expect(await revision('simple.team.web.main')).toMatchObject({ spec: { lifecycle: 'Published', revision: -1, workspaceName: 'main' } });
    // The cache already holds what the approval put in Git: the next sync finds nothing to add or remove.
    expect(await wb.service.syncRepository({ name: 'simple' })).toMatchObject({ externalOnly: 0, cachedOnly: 0 });
  });

  it('lists the same way from a fresh data directory, as Porch would read it', async () => {
    // A new PGlite data directory and data home: nothing shared with the first but the Git server.
    const fresh = path.join(wb.work, 'fresh');
    const other = openTestService({ db: await openDatabase({ db: path.join(fresh, 'db'), env: {}, dataHome: fresh }), dataHome: fresh });
    try {
      const mine = (await wb.service.listPackageRevisions({})).filter((r) => r.spec.packageName === 'team/web');
      const { sync } = await other.registerRepository({
        url: wb.server.baseUrl('simple'),
        name: 'simple',
        namespace: 'fresh',
        username: 'alice',
        password: PASSWORD,
      });
      expect(sync).not.toBeInstanceOf(Error);
      const theirs = (await other.listPackageRevisions({ namespace: 'fresh' })).filter((r) => r.spec.packageName === 'team/web');
      const key = (r: (typeof mine)[number]) =>
        [r.metadata.name, r.spec.workspaceName, r.spec.revision ?? 0, r.spec.lifecycle, r.metadata.labels?.['kpt.dev/latest-revision'] ?? ''].join(' ');
      expect(theirs.map(key)).toEqual(mine.map(key));
      const a = await wb.service.readResources({ name: 'simple.team.web.first' });
      const b = await other.readResources({ namespace: 'fresh', name: 'simple.team.web.first' });
      expect(b.resources.map((r) => [r.path, Buffer.from(r.content).toString()])).toEqual(a.resources.map((r) => [r.path, Buffer.from(r.content).toString()]));
      expect(b.revision.spec.tasks).toEqual([{ type: 'init', init: { description: 'team/web for tests' } }]);
    } finally {
      await other.close();
    }
  });

  it('rebuilds on the new head when the remote moved on', async () => {
    const name = await proposal('team/api', 'one');
    const wt = path.join(wb.work, 'moved');
    await git(wb.work, ['clone', '-q', wb.server.authUrl('simple'), wt]);
    fs.writeFileSync(path.join(wt, 'unrelated.txt'), 'someone else was here\n');
    await git(wt, ['add', '.']);
    await git(wt, ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'unrelated change']);
    await git(wt, ['push', '-q', 'origin', 'main']);
    const moved = (await git(wt, ['rev-parse', 'HEAD'])).trim();

    expect(await wb.service.changeLifecycle({ name, verb: 'approve' })).toBe('approved');
    expect((await show('team/api/v1', '%P')).split(' ')[0]).toBe(moved);
    expect(await git(wb.served.simple!, ['show', 'main:unrelated.txt'])).toBe('someone else was here\n');
  });

  it('has a push refused, not applied, when the remote moved since it was listed', async () => {
    const head = (await show('main')).trim();
    const parent = (await show('main~1')).trim();
    const push = pushRefs(wb.served.simple!, wb.server.baseUrl('simple'), [{ ref: 'refs/heads/main', old: parent, oid: parent }], {
      http: createHttpClient(),
      auth: { username: 'alice', password: PASSWORD },
      objects: [],
    });
    await expect(push).rejects.toBeInstanceOf(PushRejected);
    expect((await show('main')).trim()).toBe(head);
    // A tag that already exists is refused the same way.
    const tag = pushRefs(wb.served.simple!, wb.server.baseUrl('simple'), [{ ref: 'refs/tags/team/web/v1', old: ZERO_OID, oid: head }], {
      http: createHttpClient(),
      auth: { username: 'alice', password: PASSWORD },
      objects: [head],
    });
    await expect(tag).rejects.toBeInstanceOf(PushRejected);
  });

  it('leaves the revision Proposed when Git is unreachable, and approves once it is back', async () => {
    const name = await proposal('team/db', 'one');
    await wb.server.pause();
    try {
      const err = await wb.service.changeLifecycle({ name, verb: 'approve' }).catch((e: Error & { code?: string }) => e);
      expect(err).toMatchObject({ code: 'UNAVAILABLE' });
      expect((err as Error).message).toMatch(/cannot reach|127\.0\.0\.1/);
    } finally {
      await wb.server.resume();
    }
    expect(await revision(name)).toMatchObject({ spec: { lifecycle: 'Proposed' } });
    expect([...(await listRefs(wb.served.simple!)).keys()].filter((r) => r.includes('team/db'))).toEqual([]);
    expect(await wb.service.changeLifecycle({ name, verb: 'approve' })).toBe('approved');
    expect(await revision(name)).toMatchObject({ spec: { lifecycle: 'Published', revision: 1 } });
  });

  it('records an approval whose database write was lost, once, without a second revision', async () => {
    const name = await proposal('team/cache', 'one');
    const crashing = openTestService({
      db: wb.service.db,
      dataHome: wb.home,
      afterPush: async () => {
        throw new Error('simulated crash after push');
      },
    });
    await expect(crashing.changeLifecycle({ name, verb: 'approve' })).rejects.toThrow(/simulated crash/);
    expect((await listRefs(wb.served.simple!)).has('refs/tags/team/cache/v1')).toBe(true);
    expect(await revision(name)).toMatchObject({ spec: { lifecycle: 'Proposed' } });
    // Approving again finds its own earlier push and records it.
    expect(await wb.service.changeLifecycle({ name, verb: 'approve' })).toBe('approved');
    expect(await revision(name)).toMatchObject({ spec: { lifecycle: 'Published', revision: 1 } });
    const tags = [...(await listRefs(wb.served.simple!)).keys()].filter((r) => r.startsWith('refs/tags/team/cache/'));
    expect(tags).toEqual(['refs/tags/team/cache/v1']);
  });

  it('refuses approval while readiness gates are unmet, and approval of a draft', async () => {
    const draft = await wb.service.initPackage({ repository: 'simple', name: 'team/gated', workspace: 'one' });
    await expect(wb.service.changeLifecycle({ name: draft.metadata.name, verb: 'approve' })).rejects.toThrow('cannot change approval from Draft to Published');
    const { resources } = await wb.service.readResources({ name: draft.metadata.name });
    const kptfile = Buffer.from(resources.find((r) => r.path === 'Kptfile')!.content).toString();
    const doc = YAML.parseDocument(kptfile);
    doc.setIn(['info', 'readinessGates'], [{ conditionType: 'example.com/ready' }]);
    const gated = doc.toString();
    await wb.service.updateResources({
      name: draft.metadata.name,
      resourceVersion: draft.metadata.resourceVersion!,
      mode: 'patch',
      files: [{ path: 'Kptfile', content: Buffer.from(gated) }],
    });
    await wb.service.changeLifecycle({ name: draft.metadata.name, verb: 'propose' });
    await expect(wb.service.changeLifecycle({ name: draft.metadata.name, verb: 'approve' })).rejects.toThrow('readiness conditions not met');
    expect((await revision(draft.metadata.name))!.spec.lifecycle).toBe('Proposed');
    expect((await listRefs(wb.served.simple!)).has('refs/tags/team/gated/v1')).toBe(false);
  });

  it('refuses to delete a revision another one was cloned from', async () => {
    const clone = await wb.service.clonePackage({
      repository: 'simple',
      name: 'team/downstream',
      workspace: 'one',
      source: { kind: 'revision', name: 'simple.team.api.one' },
    });
    await wb.service.changeLifecycle({ name: 'simple.team.api.one', verb: 'propose-delete' });
    await expect(wb.service.changeLifecycle({ name: 'simple.team.api.one', verb: 'delete' })).rejects.toThrow(
      `packagerevisions.porch.kpt.dev "simple.team.api.one" is forbidden: cannot delete package revision, it is referenced as upstream by: ${clone.metadata.name}`,
    );
    expect((await listRefs(wb.served.simple!)).has('refs/tags/team/api/v1')).toBe(true);
    await wb.service.changeLifecycle({ name: 'simple.team.api.one', verb: 'reject' });
  });

  it('deletes a published revision by removing its tag, and the placeholder by a Delete commit', async () => {
    const name = 'simple.team.web.first';
    await expect(wb.service.changeLifecycle({ name, verb: 'delete' })).rejects.toThrow(/must be proposed for deletion/);
    expect(await wb.service.changeLifecycle({ name, verb: 'propose-delete' })).toBe('proposed for deletion');
    expect(await wb.service.changeLifecycle({ name, verb: 'delete' })).toBe('deleted');
    expect((await listRefs(wb.served.simple!)).has('refs/tags/team/web/v1')).toBe(false);
    expect(await revision(name)).toBeUndefined();

    const placeholder = 'simple.team.web.main';
    await wb.service.changeLifecycle({ name: placeholder, verb: 'propose-delete' });
    expect(await wb.service.changeLifecycle({ name: placeholder, verb: 'delete' })).toBe('deleted');
    expect((await show('main', '%s')).trim()).toBe('Delete team/web');
    expect(await git(wb.served.simple!, ['ls-tree', '--name-only', 'main', 'team/'])).not.toContain('team/web');
    expect(await git(wb.served.simple!, ['ls-tree', '--name-only', 'main', 'team/'])).toContain('team/api');
    // A fresh sync agrees: nothing of team/web is left.
    await wb.service.syncRepository({ name: 'simple', force: true });
    expect((await wb.service.listPackageRevisions({})).filter((r) => r.spec.packageName === 'team/web')).toEqual([]);
  });
});

// Sync against a real Git server on loopback, on both databases: Porch's three
// sets, the remembered remote version, the lease, errors in the Ready
// condition, unregistration with drafts, and reads with Git gone.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tryTakeSyncLease, findRepository, releaseSyncLease, syncLeaseHolder } from '../../src-main/cache/repository-store.ts';
import { addOneTag } from '../support/generate-repo.ts';
import { git, unpackTarRepo } from '../support/fixtures.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';
import { useWorkbench } from '../support/workbench.ts';

const PASSWORD = 'correct-horse-battery-staple';

describe.each(testEngines())('sync on $kind', (engine) => {
  useTestEngine(engine);
  const wb = useWorkbench(engine, { repositories: { simple: 'simple-repository', drafts: 'drafts-repository' }, username: 'alice', password: PASSWORD });

  const names = async (namespace = 'default') => (await wb.service.listPackageRevisions({ namespace })).map((r) => r.metadata.name);

  it('registers, clones and caches every revision, with resources byte for byte', async () => {
    const phases = new Set<string>();
    const { repository, sync } = await wb.service.registerRepository(
      { url: wb.server.baseUrl('simple'), name: 'simple', username: 'alice', password: PASSWORD },
      (p) => void phases.add(p.phase),
    );
    expect(phases.size).toBeGreaterThan(0);
    expect(sync).toMatchObject({ externalOnly: 8, cachedOnly: 0, both: 0, remoteUnchanged: false });
    expect(repository.status.conditions?.[0]).toMatchObject({ type: 'Ready', status: 'True' });
    expect(repository.status.syncStats).toMatchObject({ externalOnly: 8 });
    expect(await names()).toEqual([
      'simple.basens.main',
      'simple.basens.v1',
      'simple.basens.v2',
      'simple.empty.main',
      'simple.empty.v1',
      'simple.istions.main',
      'simple.istions.v1',
      'simple.istions.v2',
    ]);
    const { resources } = await wb.service.readResources({ name: 'simple.basens.v2' });
    expect(resources.map((r) => r.path)).toEqual(['Kptfile', 'README.md', 'namespace.yaml', 'package-context.yaml']);
    for (const r of resources) {
      const native = await git(wb.served.simple!, ['show', `basens/v2:basens/${r.path}`]);
      expect(Buffer.from(r.content).toString('utf8')).toBe(native);
    }
  });

  it('costs one round trip when the remote did not change', async () => {
    wb.server.clearLog();
    const stats = await wb.service.syncRepository({ name: 'simple' });
    expect(stats).toMatchObject({ remoteUnchanged: true, both: 8, externalOnly: 0, cachedOnly: 0 });
    expect(wb.server.requestCount()).toBe(1);
  });

  it('inserts what Git added and moves latest', async () => {
    // Publish basens/v3 the way Porch would: a commit on main and a tag.
    const work2 = path.join(wb.work, 'wt');
    await git(wb.work, ['clone', '-q', wb.server.authUrl('simple'), work2]);
    fs.writeFileSync(path.join(work2, 'basens', 'extra.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n');
    await git(work2, ['add', '.']);
    await git(work2, [
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@example.com',
      'commit',
      '-qm',
      'Approve basens/v3\n\nkpt:{"package":"basens","workspaceName":"ws3","revision":"v3"}',
    ]);
    await git(work2, ['tag', 'basens/v3']);
    await git(work2, ['push', '-q', 'origin', 'main', 'basens/v3']);

    const stats = await wb.service.syncRepository({ name: 'simple' });
    // the new tag, and the basens placeholder whose tree changed (old one dropped)
    expect(stats).toMatchObject({ externalOnly: 2, cachedOnly: 1, remoteUnchanged: false });
    const basens = await wb.service.listPackageRevisions({ packageName: 'basens' });
    expect(basens.map((r) => [r.metadata.name, r.spec.revision, r.metadata.labels?.['kpt.dev/latest-revision'] ?? 'false'])).toEqual([
      ['simple.basens.main', -1, 'false'],
      ['simple.basens.v1', 1, 'false'],
      ['simple.basens.v2', 2, 'false'],
      ['simple.basens.ws3', 3, 'true'],
    ]);
    const placeholder = await wb.service.readResources({ name: 'simple.basens.main' });
    expect(placeholder.resources.map((r) => r.path)).toContain('extra.yaml');
    expect(basens.find((r) => r.spec.revision === 3)?.status.publishedBy).toBe('t@example.com');
  });

  it('deletes what Git no longer has', async () => {
    await git(wb.served.simple!, ['tag', '-d', 'istions/v1']);
    const stats = await wb.service.syncRepository({ name: 'simple' });
    expect(stats.cachedOnly).toBe(1);
    expect(await names()).not.toContain('simple.istions.v1');
    const left = await engine
      .open()
      .then(async (db) => {
        try {
          return (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM package_revisions WHERE status <> 'default'`)).rows[0]!.n;
        } finally {
          await db.close();
        }
      })
      .catch(() => -1);
    // PGlite's directory is locked by the service, so only PostgreSQL can look from outside.
    if (engine.kind === 'postgres') expect(left).toBe(0);
  });

  it.runIf(engine.kind === 'postgres')('refuses a second sync while another machine holds the lease, naming the holder', async () => {
    const row = (await findRepository(wb.service.db, 'default', 'simple'))!;
    expect(await tryTakeSyncLease(wb.service.db, row.id, 'bob@laptop:42', 60)).toBe(true);
    await expect(wb.service.syncRepository({ name: 'simple' })).rejects.toMatchObject({ code: 'BUSY', message: expect.stringContaining('bob@laptop:42') });
    await releaseSyncLease(wb.service.db, row.id, 'bob@laptop:42');
  });

  it('takes over the lease of a process that died (PGlite: any other holder, the directory lock admits one process; PostgreSQL: a dead pid on this machine)', async () => {
    const row = (await findRepository(wb.service.db, 'default', 'simple'))!;
    // A pid that is not running: a child that has exited.
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const holder = engine.kind === 'pglite' ? 'bob@laptop:42' : `bob@${os.hostname()}:${dead}`;
    expect(await tryTakeSyncLease(wb.service.db, row.id, holder, 600)).toBe(true);
    await expect(wb.service.syncRepository({ name: 'simple' })).resolves.toMatchObject({ remoteUnchanged: expect.any(Boolean) });
    expect(await syncLeaseHolder(wb.service.db, row.id)).toBeUndefined();
  });

  it('reports an unreachable Git server in Ready and keeps serving from the cache', async () => {
    await wb.server.pause();
    try {
      await expect(wb.service.syncRepository({ name: 'simple', force: true })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      const repo = await wb.service.getRepository({ name: 'simple' });
      expect(repo.status.conditions?.[0]).toMatchObject({ type: 'Ready', status: 'False', message: expect.stringContaining('cannot reach Git server') });
      expect((await names()).length).toBe(8);
    } finally {
      await wb.server.resume();
    }
    await wb.service.syncRepository({ name: 'simple', force: true });
    expect((await wb.service.getRepository({ name: 'simple' })).status.conditions?.[0]?.status).toBe('True');
  });

  it('says when credentials are refused, without repeating the password', async () => {
    const { sync } = await wb.service.registerRepository({
      url: wb.server.baseUrl('simple'),
      name: 'wrong-password',
      username: 'alice',
      password: 'not-the-password',
    });
    expect(sync).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((sync as Error).message).not.toContain('not-the-password');
    const repo = await wb.service.getRepository({ name: 'wrong-password' });
    expect(repo.status.conditions?.[0]).toMatchObject({ status: 'False', message: expect.stringContaining('refused the credentials') });
    await wb.service.unregisterRepository({ name: 'wrong-password' });
  });

  it('moves credentials written into the URL to the credential store', async () => {
    const url = wb.server.baseUrl('simple').replace('http://', `http://alice:${encodeURIComponent(PASSWORD)}@`);
    const { repository, sync } = await wb.service.registerRepository({ url, name: 'in-url' });
    expect(sync).toMatchObject({ externalOnly: 8 });
    expect(repository.spec.git.repo).toBe(wb.server.baseUrl('simple'));
    expect(repository.spec.git.secretRef).toEqual({ name: 'in-url-auth' });
    await expect(wb.service.registerRepository({ url, name: 'twice', username: 'alice', password: PASSWORD })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('never stores the password in the database', async () => {
    const dump = await wb.service.db.query<{ t: string }>(
      `SELECT row_to_json(x)::text AS t FROM (SELECT * FROM repositories) x
       UNION ALL SELECT row_to_json(y)::text FROM (SELECT id, name, meta, spec, tasks, kptfile FROM package_revisions) y`,
    );
    expect(dump.rows.length).toBeGreaterThan(0);
    expect(dump.rows.some((r) => r.t.includes(PASSWORD))).toBe(false);
    const stored = fs.statSync(path.join(wb.home, 'credentials.json'));
    expect(stored.mode & 0o077).toBe(0);
    expect(fs.statSync(path.join(wb.home, 'credentials.key')).mode & 0o077).toBe(0);
    // Not in plain text anywhere in the data home either: the credentials file is sealed.
    expect(fs.readFileSync(path.join(wb.home, 'credentials.json'), 'utf8')).not.toContain(PASSWORD);
    expect(fs.readFileSync(path.join(wb.home, 'credentials.json'), 'utf8')).not.toContain('alice');
  });

  it('refuses to unregister a repository holding drafts made here unless forced', async () => {
    await wb.service.registerRepository({ url: wb.server.baseUrl('drafts'), name: 'drafts', username: 'alice', password: PASSWORD });
    expect((await names()).filter((n) => n.startsWith('drafts.'))).toContain('drafts.bucket.v1');
    // Porch's API shape: a draft has no revision and no publish time; a tag has its self lock.
    const draft = await wb.service.getPackageRevision({ name: 'drafts.bucket.v1' });
    expect(draft.spec).not.toHaveProperty('revision');
    expect(draft.status).toMatchObject({ publishTimestamp: null, upstreamLock: {} });
    const tag = await wb.service.getPackageRevision({ name: 'drafts.basens.v2' });
    expect(tag.status.selfLock).toEqual({
      type: 'git',
      git: { repo: wb.server.baseUrl('drafts'), directory: 'basens', ref: 'basens/v2', commit: 'c93d417f1393ae5d7def978da70c42b62e645cda' },
    });
    expect(tag.metadata.labels).toEqual({ 'kpt.dev/latest-revision': 'true' });
    expect(tag.spec).toMatchObject({ revision: 2, packageMetadata: {} });

    // Drafts mirrored from Git branches are not lost by unregistering; one made here would be.
    const row = (await findRepository(wb.service.db, 'default', 'drafts'))!;
    const pkg = (await wb.service.db.query<{ id: number }>(`SELECT id FROM packages WHERE repository_id = $1 AND package_path = 'basens'`, [row.id])).rows[0]!
      .id;
    await wb.service.db.query(
      `INSERT INTO package_revisions (repository_id, package_id, namespace, name, package_path, workspace, revision, lifecycle, updated_by)
       VALUES ($1, $2, 'default', 'drafts.basens.local', 'basens', 'local', 0, 'Draft', 'test')`,
      [row.id, pkg],
    );
    await expect(wb.service.unregisterRepository({ name: 'drafts' })).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: expect.stringContaining('1 draft or proposed'),
    });
    expect((await names()).filter((n) => n.startsWith('drafts.')).length).toBe(12);
    const cloneDirs = fs.readdirSync(path.join(wb.home, 'repos'));
    const { draftsDestroyed } = await wb.service.unregisterRepository({ name: 'drafts', force: true });
    expect(draftsDestroyed).toBe(1);
    expect((await names()).filter((n) => n.startsWith('drafts.'))).toEqual([]);
    expect(fs.readdirSync(path.join(wb.home, 'repos')).length).toBe(cloneDirs.length - 1);
    const rows = await wb.service.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM repositories WHERE name = 'drafts'`);
    expect(rows.rows[0]!.n).toBe(0);
    await wb.service.unregisterRepository({ name: 'in-url' });
  });

  it('skips a tag that names a tree and a tag that clashes, without failing the sync', async () => {
    await git(wb.served.simple!, ['tag', '-a', '-m', 'not a package', 'istions/v9', 'main^{tree}']);
    const annotated = (
      await git(wb.served.simple!, [
        '-c',
        'user.name=t',
        '-c',
        'user.email=t@example.com',
        'commit-tree',
        'main^{tree}',
        '-p',
        'main',
        '-m',
        'Approve basens/v4\n\nkpt:{"package":"basens","workspaceName":"wsx","revision":"v4"}',
      ])
    ).trim();
    await git(wb.served.simple!, ['tag', 'basens/v4', annotated]);
    await git(wb.served.simple!, ['tag', 'basens/4', 'main']);
    const stats = await wb.service.syncRepository({ name: 'simple' });
    expect(stats.remoteUnchanged).toBe(false);
    const basens = await wb.service.listPackageRevisions({ packageName: 'basens' });
    expect(basens.filter((r) => r.spec.revision === 4).length).toBe(1);
    expect((await wb.service.listPackageRevisions({ packageName: 'istions' })).map((r) => r.spec.revision)).not.toContain(9);
    expect((await wb.service.getRepository({ name: 'simple' })).status.conditions?.[0]?.status).toBe('True');
    // Tidy up for the tests after this one.
    for (const t of ['istions/v9', 'basens/v4', 'basens/4']) await git(wb.served.simple!, ['tag', '-d', t]);
    await wb.service.syncRepository({ name: 'simple' });
    expect((await names()).length).toBe(8);
  });

  it('drops a draft mirrored from Git once Git approves it', async () => {
    const repo = await unpackTarRepo('drafts-repository', path.join(wb.work, 'served'), 'drafts2');
    await wb.service.registerRepository({ url: wb.server.baseUrl('drafts2'), name: 'drafts2', username: 'alice', password: PASSWORD });
    expect((await wb.service.getPackageRevision({ name: 'drafts2.bucket.v1' })).spec.lifecycle).toBe('Draft');
    const approved = (
      await git(repo, [
        '-c',
        'user.name=t',
        '-c',
        'user.email=t@example.com',
        'commit-tree',
        'drafts/bucket/v1^{tree}',
        '-p',
        'main',
        '-m',
        'Approve bucket/v1\n\nkpt:{"package":"bucket","workspaceName":"v1","revision":"v1"}',
      ])
    ).trim();
    await git(repo, ['update-ref', 'refs/heads/main', approved]);
    await git(repo, ['tag', 'bucket/v1', approved]);
    await git(repo, ['branch', '-D', 'drafts/bucket/v1']);
    await wb.service.syncRepository({ name: 'drafts2' });
    const bucket = await wb.service.getPackageRevision({ name: 'drafts2.bucket.v1' });
    expect(bucket.spec).toMatchObject({ lifecycle: 'Published', revision: 1 });
    expect(bucket.metadata.labels?.['kpt.dev/latest-revision']).toBe('true');
    await wb.service.unregisterRepository({ name: 'drafts2' });
  });

  it('serves everything after a restart with Git unreachable', async () => {
    await wb.server.pause();
    try {
      await wb.restart();
      expect((await names()).length).toBe(8);
      const { resources } = await wb.service.readResources({ name: 'simple.basens.ws3' });
      expect(resources.some((r) => r.path === 'extra.yaml')).toBe(true);
    } finally {
      await wb.server.resume();
    }
    expect(await wb.service.syncRepository({ name: 'simple' })).toMatchObject({ remoteUnchanged: true });
  });

  it('syncs a generated repository incrementally, one new tag at a time', async () => {
    await addOneTag(wb.served.simple!, 'empty');
    const stats = await wb.service.syncRepository({ name: 'simple' });
    expect(stats.externalOnly).toBeGreaterThanOrEqual(1);
    expect((await wb.service.listPackageRevisions({ packageName: 'empty' })).map((r) => r.spec.revision)).toContain(2);
  });
});

// A page of whole revisions (pagePackageRevisions, the CLI's page) is read as
// one JSON value and mapped without the row-per-revision path: these tests
// hold it to the same answer as getPackageRevision, revision by revision,
// for rows with every optional field set and none, on both engines; and the
// uid, now hashed with Node's SHA-1, to uuid's v5.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { v5 as uuidv5 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src-main/db/database.ts';
import { packageRevisionUid } from '../../src-main/cache/revision-store.ts';
import { openTestService, type TestService } from '../support/service.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';

describe('package revision uid', () => {
  it("is uuid's v5 of Porch's name, for any namespace and name", () => {
    const names = [
      ['default', 'repo.pkg.v1'],
      ['Team-A', 'Repo.Apps.Pkg.Main'],
      ['ns', 'répo.päckage.wörkspace'],
      ['ns', 'emoji.\u{1F600}.v1'],
      // Longer than the buffer the input is put together in.
      ['ns', `long.${'x'.repeat(3000)}.v1`],
    ];
    for (const [namespace, name] of names) {
      const expected = uuidv5(
        `packagerevision:porch.kpt.dev/v1alpha1/${namespace!.toLowerCase()}/${name!.toLowerCase()}`,
        'aac71d91-5c67-456f-8fd2-902ef6da820e',
      );
      expect(packageRevisionUid(namespace!, name!), `${namespace}/${name!.slice(0, 40)}`).toBe(expected);
    }
  });
});

describe.each(testEngines())('a page of whole revisions on $kind', (engine) => {
  useTestEngine(engine);
  let home: string;
  let db: Database;
  let service: TestService;

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-page-'));
    db = await engine.open();
    service = openTestService({ db, dataHome: home });
    // Two repositories, one a deployment repository, so a namespace-wide page
    // merges them by name and takes each one's URL and flag.
    for (const [name, deployment] of [
      ['beta', true],
      ['alpha', false],
    ] as const) {
      const repo = (
        await db.query<{ id: number }>(
          `INSERT INTO repositories (namespace, name, spec, deployment, updated_by) VALUES ('page', $1, $2::jsonb, $3, 'test') RETURNING id`,
          [name, JSON.stringify({ type: 'git', git: { repo: `https://git.example/${name}.git`, branch: 'main', directory: '/' } }), deployment],
        )
      ).rows[0]!.id;
      await db.query(
        `INSERT INTO packages (repository_id, namespace, name, package_path, updated_by)
         SELECT $1, 'page', $2 || '.p' || g, 'team/p' || g, 'test' FROM generate_series(1, 3) g`,
        [repo, name],
      );
      // Per package: the placeholder, v1 (plain), v2 (every field set), a draft.
      await db.query(
        `INSERT INTO package_revisions (repository_id, package_id, namespace, name, package_path, workspace, revision, lifecycle, latest,
           meta, spec, tasks, upstream_lock, kptfile, git_ref, git_commit, published_by, published_at, resource_version, created_at, updated_by)
         SELECT p.repository_id, p.id, 'page', p.name || '.' || w.workspace, p.package_path, w.workspace, w.revision, w.lifecycle::lifecycle, w.revision = 2,
                CASE WHEN w.revision = 2 THEN '{"labels": {"tier": "gold"}, "annotations": {"note": "ünïcode \\" quoted"}}' ELSE '{}' END::jsonb,
                CASE WHEN w.revision = 2 THEN '{"readinessGates": [{"conditionType": "Ready"}]}' ELSE '{}' END::jsonb,
                CASE WHEN w.revision = 0 THEN '[{"type": "init", "init": {"description": "draft"}}]' ELSE '[]' END::jsonb,
                CASE WHEN w.revision = 2 THEN '{"type": "git", "git": {"repo": "https://up.example/u.git", "directory": "u", "ref": "u/v1", "commit": "abc"}}'::jsonb END,
                CASE WHEN w.revision = 2
                     THEN '{"document": {"kind": "Kptfile"}, "packageMetadata": {"labels": {"a": "b"}}, "conditions": [{"type": "Ready", "status": "True"}], "readinessGates": [], "upstreamLock": null}'
                     WHEN w.revision = 1 THEN '{"document": null, "packageMetadata": {}, "conditions": [], "readinessGates": [], "upstreamLock": null}' END::jsonb,
                CASE WHEN w.revision = -1 THEN 'refs/heads/main' WHEN w.revision > 0 THEN 'refs/tags/' || p.package_path || '/v' || w.revision END,
                CASE WHEN w.revision <> 0 THEN md5(p.name || w.workspace) END,
                CASE WHEN w.revision > 0 THEN 'someone@example.com' END,
                CASE WHEN w.revision > 0 THEN timestamptz '2025-03-04 05:06:07.891234+00' + make_interval(days => w.revision) END,
                w.revision + 2, timestamptz '2025-01-02 03:04:05.678901+02' + make_interval(mins => w.revision), 'test'
           FROM packages p
          CROSS JOIN (VALUES ('main', -1, 'Published'), ('v1', 1, 'Published'), ('v2', 2, 'Published'), ('draft', 0, 'Draft')) AS w(workspace, revision, lifecycle)
          WHERE p.repository_id = $1`,
        [repo],
      );
    }
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  /** Every page of `request` from the first, and the names each ended with. */
  async function allPages(request: Parameters<TestService['pagePackageRevisions']>[0]) {
    const pages: Awaited<ReturnType<TestService['pagePackageRevisions']>>[] = [];
    let after: string | undefined;
    do {
      const page = await service.pagePackageRevisions({ ...request, after });
      pages.push(page);
      after = page.next;
    } while (after);
    return pages;
  }

  it('answers what getPackageRevision answers, revision by revision, in name order, page after page', async () => {
    const pages = await allPages({ namespace: 'page', limit: 5 });
    const items = pages.flatMap((p) => p.items);
    const names = items.map((r) => r.metadata.name);
    expect(names).toHaveLength(24);
    expect(names).toEqual([...names].sort());
    expect(pages.slice(0, -1).every((p) => p.items.length === 5 && p.next === p.items.at(-1)!.metadata.name)).toBe(true);
    expect(pages.at(-1)!.next).toBeUndefined();
    for (const item of items) expect(item).toStrictEqual(await service.getPackageRevision({ namespace: 'page', name: item.metadata.name }));

    // What the fields came to, for the revision with all of them.
    const full = items.find((r) => r.metadata.name === 'beta.p1.v2')!;
    expect(full.metadata).toMatchObject({
      labels: { tier: 'gold', 'kpt.dev/latest-revision': 'true' },
      annotations: { note: 'ünïcode " quoted' },
      creationTimestamp: '2025-01-02T01:06:05Z',
      resourceVersion: '4',
    });
    expect(full.spec).toMatchObject({ revision: 2, packageMetadata: { labels: { a: 'b' } }, readinessGates: [{ conditionType: 'Ready' }] });
    expect(full.status).toMatchObject({
      publishedBy: 'someone@example.com',
      publishTimestamp: '2025-03-06T05:06:07Z',
      deployment: true,
      conditions: [{ type: 'Ready', status: 'True' }],
      selfLock: { git: { repo: 'https://git.example/beta.git', ref: 'team/p1/v2' } },
    });
  });

  it('pages one repository, with a cursor, and filters', async () => {
    const pages = await allPages({ namespace: 'page', repository: 'alpha', limit: 7 });
    const items = pages.flatMap((p) => p.items);
    expect(items.map((r) => r.spec.repository)).toEqual(Array(12).fill('alpha'));
    for (const item of items) expect(item).toStrictEqual(await service.getPackageRevision({ namespace: 'page', name: item.metadata.name }));
    const drafts = await service.pagePackageRevisions({ namespace: 'page', lifecycle: 'Draft', limit: 100 });
    expect(drafts.items.map((r) => r.metadata.name)).toEqual([
      'alpha.p1.draft',
      'alpha.p2.draft',
      'alpha.p3.draft',
      'beta.p1.draft',
      'beta.p2.draft',
      'beta.p3.draft',
    ]);
    expect(drafts.items[0]!.spec.tasks).toEqual([{ type: 'init', init: { description: 'draft' } }]);
    expect(await service.pagePackageRevisions({ namespace: 'page', search: 'nothing-like-it', limit: 100 })).toEqual({ items: [] });
    expect(await service.pagePackageRevisions({ namespace: 'page', repository: 'alpha', after: 'alpha.zzz', limit: 100 })).toEqual({ items: [] });
  });
});

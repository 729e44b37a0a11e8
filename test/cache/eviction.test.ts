// Cleanup policies end to end, on both databases, with a real Git server:
// published revisions nobody read for N days lose their resources from the
// database (and the cleanup worker deletes them), drafts and proposals never
// do, a recent read keeps a revision, and every evicted revision still reads
// byte for byte, from the local clone or, with the clone gone, fetched again.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cloneDirFor } from '../../src-main/cache/sync.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';
import { useWorkbench } from '../support/workbench.ts';

describe.each(testEngines())('cleanup policies on $kind', (engine) => {
  useTestEngine(engine);
  const wb = useWorkbench(engine, { repositories: { simple: 'simple-repository' }, username: 'u', password: 'p' });

  const rows = async (name: string) =>
    Number(
      (
        await wb.service.db.query<{ n: string }>(
          `SELECT count(*) AS n FROM resources r JOIN package_revisions p ON p.repository_id = r.repository_id AND p.id = r.package_revision_id WHERE p.name = $1 AND p.status = 'default'`,
          [name],
        )
      ).rows[0]!.n,
    );
  const evicted = async (name: string) =>
    (await wb.service.db.query<{ e: boolean }>(`SELECT resources_evicted AS e FROM package_revisions WHERE name = $1 AND status = 'default'`, [name])).rows[0]!
      .e;
  const contents = async (name: string) => (await wb.service.readResources({ name })).resources.map((f) => [f.path, Buffer.from(f.content).toString('base64')]);

  it('evicts what nobody read, never drafts or proposals, and reads it back byte for byte', async () => {
    await wb.service.registerRepository({ url: wb.server.baseUrl('simple'), name: 'simple', username: 'u', password: 'p', syncIntervalSeconds: 0 });
    const draft = await wb.service.copyPackage({ source: 'simple.basens.v2', workspace: 'kept-draft' });
    const proposal = await wb.service.copyPackage({ source: 'simple.basens.v1', workspace: 'kept-proposal' });
    await wb.service.changeLifecycle({ name: proposal.metadata.name, verb: 'propose' });
    const before = { v1: await contents('simple.basens.v1'), v2: await contents('simple.basens.v2'), draft: await contents(draft.metadata.name) };
    const draftRows = await rows(draft.metadata.name);

    // Everything was cached ten days ago; basens v2 is read today. The policy: one day.
    await wb.service.flushReadTimes();
    await wb.service.db.query(`UPDATE package_revisions SET updated_at = now() - interval '10 days', last_read_at = NULL`);
    await wb.service.setCleanupPolicy({ evictAfterDays: 1 });
    await contents('simple.basens.v2');
    const [run] = await wb.service.runCleanupPolicies({ namespace: 'default' });
    expect(run).toMatchObject({ namespace: 'default', revisionsEvicted: expect.any(Number) });
    expect(run!.error).toBeUndefined();
    expect(run!.rowsFreed).toBeGreaterThan(0);
    expect(run!.bytesFreed).toBeGreaterThan(0);

    expect(await evicted('simple.basens.v1')).toBe(true);
    // The worker has deleted the evicted rows, not only marked them.
    expect(Number((await wb.service.db.query<{ n: string }>(`SELECT count(*) AS n FROM resources WHERE status <> 'default'`)).rows[0]!.n)).toBe(0);
    expect(await rows('simple.basens.v1')).toBe(0);
    expect(await evicted('simple.basens.v2')).toBe(false);
    expect(await rows(draft.metadata.name)).toBe(draftRows);
    expect(await evicted(proposal.metadata.name)).toBe(false);

    const stats = await wb.service.cacheStats({ namespace: 'default' });
    expect(stats.policy).toEqual({ namespace: 'default', enabled: true, evictAfterDays: 1, saved: true });
    expect(stats.evictedRevisions).toBe(run!.revisionsEvicted);
    expect(stats.lastRuns[0]).toMatchObject({ rowsFreed: run!.rowsFreed, bytesFreed: run!.bytesFreed });

    // Read again: from the local clone, byte for byte, and cached again.
    expect(await contents('simple.basens.v1')).toEqual(before.v1);
    expect(await evicted('simple.basens.v1')).toBe(false);
    expect(await rows('simple.basens.v1')).toBe(before.v1.length);

    // Evicted again, with the local clone gone: fetched, then read.
    await wb.service.flushReadTimes();
    await wb.service.db.query(`UPDATE package_revisions SET last_read_at = now() - interval '10 days' WHERE name = 'simple.basens.v1'`);
    await wb.service.runCleanupPolicies({ namespace: 'default' });
    expect(await evicted('simple.basens.v1')).toBe(true);
    const repoId = Number((await wb.service.db.query<{ id: string }>(`SELECT id FROM repositories WHERE name = 'simple'`)).rows[0]!.id);
    await fs.promises.rm(cloneDirFor(`${wb.home}/repos`, repoId), { recursive: true, force: true });
    expect(await contents('simple.basens.v1')).toEqual(before.v1);

    // What is built from an evicted revision reads it back too: a new draft from it has every file.
    await wb.service.flushReadTimes();
    await wb.service.db.query(`UPDATE package_revisions SET last_read_at = now() - interval '10 days' WHERE name = 'simple.basens.v1'`);
    await wb.service.runCleanupPolicies({ namespace: 'default' });
    const fromEvicted = await wb.service.copyPackage({ source: 'simple.basens.v1', workspace: 'from-evicted' });
    expect((await contents(fromEvicted.metadata.name)).map(([p]) => p)).toEqual(before.v1.map(([p]) => p));

    // A sync does not copy files from an evicted revision that has none.
    await wb.service.syncRepository({ name: 'simple', force: true });
    expect(await contents('simple.basens.v2')).toEqual(before.v2);
    expect(await contents(draft.metadata.name)).toEqual(before.draft);
  }, 60_000);

  it('does nothing when the policy is disabled', async () => {
    await wb.service.setCleanupPolicy({ enabled: false });
    await wb.service.flushReadTimes();
    await wb.service.db.query(`UPDATE package_revisions SET updated_at = now() - interval '400 days', last_read_at = NULL`);
    const [run] = await wb.service.runCleanupPolicies({ namespace: 'default' });
    expect(run).toMatchObject({ revisionsEvicted: 0, rowsFreed: 0 });
    await expect(wb.service.setCleanupPolicy({ evictAfterDays: 0 })).rejects.toThrow(/at least 1 day/);
  });
});

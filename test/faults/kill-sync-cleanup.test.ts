// kill -9 during a first sync, a re-sync and a cleanup, at random moments, on
// both engines (issue 7). A child process (kill-child.ts) registers and syncs
// a generated repository of 450 tags, or unregisters it and cleans up, and is
// killed part way. Then: amcheck is clean, the next sync takes over the dead
// process's lease and repairs the cache (every tag has its row and every row
// its tag, no revision number twice), the next cleanup finishes the job, and a
// draft in another repository is untouched byte for byte.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src-main/db/database.ts';
import { runCleanup } from '../../src-main/cache/cleanup-worker.ts';
import { addOneTag, generateRepo } from '../support/generate-repo.ts';
import { listRefs } from '../support/fixtures.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';
import { amcheckProblems } from '../support/integrity.ts';
import { useWorkbench } from '../support/workbench.ts';
import { rng, startChild } from './killable-child.ts';

const PASSWORD = 'kill-sync-secret';

describe.each(testEngines())('kill -9 during sync and cleanup on $kind', (engine) => {
  useTestEngine(engine);
  const wb = useWorkbench(engine, { repositories: { simple: 'simple-repository' }, username: 'alice', password: PASSWORD });
  const seed = Number(process.env.PORCHLIGHT_KILL_SEED ?? Date.now() % 100_000);
  const random = rng(seed);
  let big: string;
  let register: { url: string; name: string; username: string; password: string };
  const db = () => (wb.service as unknown as { db: Database }).db;

  /** A child doing `job`, killed after a random delay up to `maxMs` (or finishing first); amcheck after. */
  async function killPartWay(job: Record<string, unknown>, maxMs: number, label: string): Promise<string[]> {
    return wb.whileClosed(async () => {
      const child = startChild({ db: engine.target, home: wb.home, ...job });
      await child.waitFor('ready');
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * maxMs)));
      child.process.kill('SIGKILL');
      const { code, signal, stderr } = await child.exited;
      // Killed, or finished first (that round had nothing to kill); never failed.
      expect(signal === 'SIGKILL' || code === 0, `${label}: exit ${code} ${signal} ${stderr}`).toBe(true);
      expect(await amcheckProblems(engine), label).toEqual([]);
      return child.acks;
    });
  }

  /** After the repair sync: the cache lists exactly the tags of the repository, each number once. */
  async function expectRepaired(label: string): Promise<void> {
    await wb.service.syncRepository({ name: 'big', force: true });
    const tags = [...(await listRefs(big)).keys()]
      .filter((r) => r.startsWith('refs/tags/'))
      .map((r) => r.slice('refs/tags/'.length))
      .sort();
    const published = (await wb.service.listPackageRevisions({}))
      .filter((r) => r.spec.repository === 'big' && (r.spec.revision ?? 0) > 0)
      .map((r) => `${r.spec.packageName}/v${r.spec.revision}`);
    expect(published.slice().sort(), label).toEqual(tags);
    expect(new Set(published).size, label).toBe(published.length);
  }

  const draftBytes = async (name: string) =>
    (await wb.service.readResources({ name })).resources.map((r) => [r.path, Buffer.from(r.content).toString('base64')]);

  it(`repairs a first sync and a re-sync killed part way (seed ${seed})`, async () => {
    big = (await generateRepo({ dir: path.join(path.dirname(wb.served.simple!), 'big.git'), packages: 150, revisions: 3 })).dir;
    register = { url: wb.server.baseUrl('big'), name: 'big', username: 'alice', password: PASSWORD };
    for (let round = 0; round < 3; round++) {
      await killPartWay({ mode: 'sync', register }, 2500, `first sync, round ${round}`);
    }
    // A repository row the kill left half registered is still registered: sync repairs it.
    if (!(await wb.service.listRepositories({})).some((r) => r.metadata.name === 'big')) await wb.service.registerRepository(register);
    await expectRepaired('after the first sync was killed');

    for (let round = 0; round < 3; round++) {
      // New tags by another writer, then a re-sync killed part way.
      for (let i = 0; i < 20; i++) await addOneTag(big, `pkg${String(Math.floor(random() * 150)).padStart(4, '0')}`);
      await killPartWay({ mode: 'sync', register }, 1500, `re-sync, round ${round}`);
      await expectRepaired(`after re-sync round ${round}`);
    }
  }, 300_000);

  it(`finishes a cleanup killed part way and keeps every other draft (seed ${seed})`, async () => {
    await wb.service.registerRepository({ url: wb.server.baseUrl('simple'), name: 'simple', username: 'alice', password: PASSWORD });
    const draft = await wb.service.initPackage({ repository: 'simple', name: 'keep/me', workspace: 'one' });
    const before = await draftBytes(draft.metadata.name);
    const bigId = Number((await db().query<{ id: number }>(`SELECT id FROM repositories WHERE name = 'big'`)).rows[0]!.id);

    const acks = await killPartWay({ mode: 'cleanup', name: 'big' }, 1200, 'cleanup');
    // Killed before the unregister committed: the repository is still there, and goes now.
    if (!acks.includes('unregistered') && (await wb.service.listRepositories({})).some((r) => r.metadata.name === 'big')) {
      await wb.service.unregisterRepository({ name: 'big', force: true });
    }
    if (engine.kind === 'pglite') await wb.service.cleanup();
    else {
      // On a shared PostgreSQL another live worker may hold a claim, so an orphaned one is taken
      // back only after the reclaim delay (10 minutes); here the delay has passed.
      await runCleanup(db(), { reclaimAfterMs: 0, cloneDirFor: (id) => path.join(wb.home, 'repos', `${id}.git`) });
    }
    expect((await wb.service.listRepositories({})).map((r) => r.metadata.name)).toEqual(['simple']);
    for (const table of ['package_revisions', 'packages', 'resources']) {
      const left = await db().query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE repository_id = $1`, [bigId]);
      expect(left.rows[0]!.n, table).toBe(0);
    }
    expect((await db().query<{ n: number }>(`SELECT count(*)::int AS n FROM repositories WHERE id = $1`, [bigId])).rows[0]!.n).toBe(0);
    expect(fs.existsSync(path.join(wb.home, 'repos', `${bigId}.git`))).toBe(false);
    expect(await draftBytes(draft.metadata.name)).toEqual(before);
    expect((await wb.service.getPackageRevision({ name: draft.metadata.name })).spec.lifecycle).toBe('Draft');
  }, 300_000);
});

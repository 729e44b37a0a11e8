// The hostile-input corpus (hostile-corpus.ts) against the service, on both
// engines: every case answers in bounded time with a clear error or a safe
// result, a refused request leaves the draft byte for byte as it was, and no
// SQL in any text field ever reaches the database as SQL.
import { describe, expect, it } from 'vitest';
import { isPorchlightError } from '../../src-shared/errors.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';
import { useWorkbench } from '../support/workbench.ts';
import { HOSTILE_CASES } from './hostile-corpus.ts';

const CASE_BUDGET_MS = 15_000;

describe.each(testEngines())('hostile input on $kind', (engine) => {
  useTestEngine(engine);
  const wb = useWorkbench(engine, { repositories: { simple: 'simple-repository' } });

  it('answers every case of the corpus clearly, in bounded time, and loses nothing', async () => {
    await wb.service.registerRepository({ url: wb.server.baseUrl('simple'), name: 'simple' });
    const draft = await wb.service.initPackage({ repository: 'simple', name: 'target', workspace: 'one' });
    const name = draft.metadata.name;
    const snapshot = async () => {
      const { revision, resources } = await wb.service.readResources({ name });
      return { version: revision.metadata.resourceVersion!, files: resources.map((r) => `${r.path}:${Buffer.from(r.content).toString('base64')}`).sort() };
    };
    const tables = async () => (await wb.service.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)).rows[0]!.n;
    const tablesBefore = await tables();

    const outcomes: string[] = [];
    for (const c of HOSTILE_CASES) {
      const before = await snapshot();
      const started = performance.now();
      const heapBefore = process.memoryUsage().heapUsed;
      let result: unknown;
      let error: unknown;
      try {
        result = await c.run(wb.service, { name, version: before.version });
      } catch (e) {
        error = e;
      }
      const ms = performance.now() - started;
      expect(ms, `${c.name}: answered in ${Math.round(ms)} ms`).toBeLessThan(CASE_BUDGET_MS);
      // A bomb that expanded would take gigabytes; a 50 MB file may take a few copies of itself.
      expect(process.memoryUsage().heapUsed - heapBefore, `${c.name}: heap growth`).toBeLessThan(600 * 1024 * 1024);
      if (c.refused) {
        expect(error, `${c.name}: must be refused`).toBeDefined();
        expect(isPorchlightError(error), `${c.name}: a PorchlightError, not ${String(error)}`).toBe(true);
        expect((error as { code: string }).code, c.name).toBe(c.refused.code);
        expect((error as Error).message, c.name).toMatch(c.refused.message);
        expect(await snapshot(), `${c.name}: a refused request changes nothing`).toEqual(before);
      } else {
        expect(error, `${c.name}: must be accepted`).toBeUndefined();
        await c.safe?.(wb.service, { name }, result);
        if (!c.changesDraft) expect(await snapshot(), c.name).toEqual(before);
      }
      outcomes.push(`${c.name}: ${error ? (error as Error).message : 'accepted'} (${Math.round(ms)} ms)`);
    }
    expect(await tables()).toBe(tablesBefore);
    expect(outcomes).toHaveLength(HOSTILE_CASES.length);
    // The draft is still usable after all of it.
    const { version } = await snapshot();
    await wb.service.updateResources({ name, resourceVersion: version, mode: 'patch', files: [{ path: 'after.yaml', content: Buffer.from('kind: After\n') }] });
  });
});

// Background sync: periodic per repository, resumes after a restart, stops
// when the repository is unregistered.
import { describe, expect, it } from 'vitest';
import { addOneTag } from '../support/generate-repo.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';
import { useWorkbench } from '../support/workbench.ts';

async function until(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(testEngines())('background sync on $kind', (engine) => {
  useTestEngine(engine);
  const wb = useWorkbench(engine, { repositories: { simple: 'simple-repository' } });
  const revisionsOf = async (pkg: string) => (await wb.service.listPackageRevisions({ packageName: pkg })).map((r) => r.spec.revision);

  it('picks up a new tag on its own, after a restart too', async () => {
    await wb.service.registerRepository({ url: wb.server.baseUrl('simple'), name: 'simple', syncIntervalSeconds: 1 });
    const service = await wb.restart();
    await service.startBackgroundSync();
    expect(service.syncManager.scheduled.length).toBe(1);
    await addOneTag(wb.served.simple!, 'istions');
    await until('istions v3 to be synced', async () => (await revisionsOf('istions')).includes(3));
  });

  it('stops syncing a repository once it is unregistered', async () => {
    await wb.service.unregisterRepository({ name: 'simple' });
    expect(wb.service.syncManager.scheduled).toEqual([]);
    wb.server.clearLog();
    await new Promise((r) => setTimeout(r, 2500));
    expect(wb.server.requestCount()).toBe(0);
  });
});

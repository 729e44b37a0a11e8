// Background sync: periodic per repository, resumes after a restart, stops
// when the repository is unregistered.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PorchlightService } from '../../src-main/service/porchlight-service.ts';
import { addOneTag } from '../../bench/generate-repo.ts';
import { unpackTarRepo } from '../support/fixtures.ts';
import { startGitServer, type GitServer } from '../support/git-server.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';

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
  let server: GitServer;
  let service: PorchlightService;
  let work: string;
  let served: string;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-manager-'));
    fs.mkdirSync(path.join(work, 'served'));
    served = await unpackTarRepo('simple-repository', path.join(work, 'served'), 'simple');
    server = await startGitServer({ root: path.join(work, 'served') });
    service = new PorchlightService({ db: await engine.open(), dataHome: path.join(work, 'home') });
    await service.registerRepository({ url: server.baseUrl('simple'), name: 'simple', syncIntervalSeconds: 1 });
  });

  afterAll(async () => {
    await service?.close();
    await server?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const revisionsOf = async (pkg: string) => (await service.listPackageRevisions({ packageName: pkg })).map((r) => r.spec.revision);

  it('picks up a new tag on its own, after a restart too', async () => {
    await service.close();
    service = new PorchlightService({ db: await engine.open(), dataHome: path.join(work, 'home') });
    await service.startBackgroundSync();
    expect(service.syncManager.scheduled.length).toBe(1);
    await addOneTag(served, 'istions');
    await until('istions v3 to be synced', async () => (await revisionsOf('istions')).includes(3));
  });

  it('stops syncing a repository once it is unregistered', async () => {
    await service.unregisterRepository({ name: 'simple' });
    expect(service.syncManager.scheduled).toEqual([]);
    server.clearLog();
    await new Promise((r) => setTimeout(r, 2500));
    expect(server.requestCount()).toBe(0);
  });
});

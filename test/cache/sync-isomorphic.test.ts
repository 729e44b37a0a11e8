// The pure-JavaScript fetch (isomorphic-git), used where no native `git` is
// installed: the same listing, incremental sync and error reporting.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PorchlightService } from '../../src-main/service/porchlight-service.ts';
import { addOneTag } from '../../bench/generate-repo.ts';
import { unpackTarRepo } from '../support/fixtures.ts';
import { startGitServer, type GitServer } from '../support/git-server.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';

describe.each(testEngines().slice(0, 1))('sync with isomorphic-git fetch on $kind', (engine) => {
  useTestEngine(engine);
  let server: GitServer;
  let service: PorchlightService;
  let work: string;
  let served: string;

  beforeAll(async () => {
    process.env.PORCHLIGHT_GIT = 'isomorphic';
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-iso-'));
    fs.mkdirSync(path.join(work, 'served'));
    served = await unpackTarRepo('nested-repository', path.join(work, 'served'), 'nested');
    server = await startGitServer({ root: path.join(work, 'served'), username: 'u', password: 'p' });
    service = new PorchlightService({ db: await engine.open(), dataHome: path.join(work, 'home') });
  });

  afterAll(async () => {
    delete process.env.PORCHLIGHT_GIT;
    await service?.close();
    await server?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('clones, lists, and syncs one new tag', async () => {
    const { sync } = await service.registerRepository({ url: server.baseUrl('nested'), name: 'nested', username: 'u', password: 'p' });
    expect(sync).toMatchObject({ externalOnly: 15 });
    expect((await service.listPackageRevisions({})).length).toBe(18);
    await addOneTag(served, 'sample');
    const stats = await service.syncRepository({ name: 'nested' });
    expect(stats).toMatchObject({ externalOnly: 2, cachedOnly: 1 });
    expect((await service.listPackageRevisions({ packageName: 'sample' })).map((r) => r.spec.revision)).toEqual([-1, 1, 2, 3]);
  });

  it('reports refused credentials', async () => {
    const { sync } = await service.registerRepository({ url: server.baseUrl('nested'), name: 'bad', username: 'u', password: 'wrong' });
    expect(sync).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

// The pure-JavaScript fetch (isomorphic-git), used where no native `git` is
// installed: the same listing, incremental sync and error reporting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOneTag } from '../../bench/generate-repo.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';
import { useWorkbench } from '../support/workbench.ts';

describe.each(testEngines().slice(0, 1))('sync with isomorphic-git fetch on $kind', (engine) => {
  useTestEngine(engine);
  beforeAll(() => {
    process.env.PORCHLIGHT_GIT = 'isomorphic';
  });
  afterAll(() => {
    delete process.env.PORCHLIGHT_GIT;
  });
  const wb = useWorkbench(engine, { repositories: { nested: 'nested-repository' }, username: 'u', password: 'p' });

  it('clones, lists, and syncs one new tag', async () => {
    const { sync } = await wb.service.registerRepository({ url: wb.server.baseUrl('nested'), name: 'nested', username: 'u', password: 'p' });
    expect(sync).toMatchObject({ externalOnly: 15 });
    expect((await wb.service.listPackageRevisions({})).length).toBe(18);
    await addOneTag(wb.served.nested!, 'sample');
    const stats = await wb.service.syncRepository({ name: 'nested' });
    expect(stats).toMatchObject({ externalOnly: 2, cachedOnly: 1 });
    expect((await wb.service.listPackageRevisions({ packageName: 'sample' })).map((r) => r.spec.revision)).toEqual([-1, 1, 2, 3]);
  });

  it('reports refused credentials', async () => {
    const { sync } = await wb.service.registerRepository({ url: wb.server.baseUrl('nested'), name: 'bad', username: 'u', password: 'wrong' });
    expect(sync).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

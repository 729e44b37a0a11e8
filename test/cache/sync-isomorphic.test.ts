// The pure-JavaScript fetch (isomorphic-git), used where no native `git` is
// installed: the same listing, incremental sync and error reporting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOneTag } from '../support/generate-repo.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';
import { git, listRefs } from '../support/fixtures.ts';
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

  it('approves and deletes without native git, in Porch layout', async () => {
    const draft = await wb.service.initPackage({ repository: 'nested', name: 'iso/pkg', workspace: 'w1' });
    await wb.service.changeLifecycle({ name: draft.metadata.name, verb: 'propose' });
    const head = (await git(wb.served.nested!, ['rev-parse', 'main'])).trim();
    expect(await wb.service.changeLifecycle({ name: draft.metadata.name, verb: 'approve' })).toBe('approved');
    const parents = (await git(wb.served.nested!, ['show', '-s', '--format=%P', 'iso/pkg/v1'])).trim().split(' ');
    expect(parents[0]).toBe(head);
    expect((await git(wb.served.nested!, ['rev-parse', 'main'])).trim()).toBe((await git(wb.served.nested!, ['rev-parse', 'iso/pkg/v1^{commit}'])).trim());
    await wb.service.changeLifecycle({ name: draft.metadata.name, verb: 'propose-delete' });
    expect(await wb.service.changeLifecycle({ name: draft.metadata.name, verb: 'delete' })).toBe('deleted');
    expect((await listRefs(wb.served.nested!)).has('refs/tags/iso/pkg/v1')).toBe(false);
  });
});

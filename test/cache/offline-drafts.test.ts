// Draft work with the Git server gone, on both databases: everything but
// approval works from the cache; approval fails clearly, leaves the proposal
// as it was, and succeeds once the server is back. Also the editing rules:
// resource versions, Drafts only, no paths outside the package, bytes kept.
import { describe, expect, it } from 'vitest';
import { testEngines, useTestEngine } from '../support/databases.ts';
import { useWorkbench } from '../support/workbench.ts';

const file = (path: string, text: string | Uint8Array) => ({ path, content: typeof text === 'string' ? Buffer.from(text) : text });

describe.each(testEngines())('offline drafts on $kind', (engine) => {
  useTestEngine(engine);
  const wb = useWorkbench(engine, { repositories: { simple: 'simple-repository' }, username: 'u', password: 'p' });

  it('inits, clones, copies, upgrades, pushes, proposes and rejects with Git unreachable; approval waits for Git', async () => {
    await wb.service.registerRepository({ url: wb.server.baseUrl('simple'), name: 'simple', username: 'u', password: 'p' });
    // A published clone of basens v1, to upgrade to v2 later with Git gone.
    const downstream = await wb.service.clonePackage({
      repository: 'simple',
      name: 'offline/up',
      workspace: 'w1',
      source: { kind: 'revision', name: 'simple.basens.v1' },
    });
    await wb.service.changeLifecycle({ name: downstream.metadata.name, verb: 'propose' });
    await wb.service.changeLifecycle({ name: downstream.metadata.name, verb: 'approve' });
    await wb.server.pause();
    try {
      const init = await wb.service.initPackage({ repository: 'simple', name: 'offline/new', workspace: 'w1' });
      const clone = await wb.service.clonePackage({
        repository: 'simple',
        name: 'offline/clone',
        workspace: 'w1',
        source: { kind: 'revision', name: 'simple.basens.v1' },
      });
      expect(clone.status.upstreamLock).toMatchObject({ type: 'git', git: { directory: 'basens', ref: 'basens/v1' } });
      const copy = await wb.service.copyPackage({ source: 'simple.basens.v2', workspace: 'w3' });
      expect(copy.spec.tasks).toEqual([{ type: 'edit', edit: { sourceRef: { name: 'simple.basens.v2' } } }]);

      const upgraded = await wb.service.upgradePackage({ source: downstream.metadata.name, workspace: 'w2' });
      expect(upgraded.spec.tasks?.[0]).toMatchObject({
        type: 'upgrade',
        upgrade: { oldUpstreamRef: { name: 'simple.basens.v1' }, newUpstreamRef: { name: 'simple.basens.v2' } },
      });
      expect(upgraded.status.upstreamLock).toMatchObject({ git: { ref: 'basens/v2' } });

      const { resources } = await wb.service.readResources({ name: init.metadata.name });
      const pushed = await wb.service.updateResources({
        name: init.metadata.name,
        resourceVersion: init.metadata.resourceVersion!,
        files: [...resources, file('extra.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n')],
      });
      expect(Number(pushed.revision.metadata.resourceVersion)).toBeGreaterThan(Number(init.metadata.resourceVersion));

      for (const verb of ['propose', 'reject', 'propose'] as const) await wb.service.changeLifecycle({ name: init.metadata.name, verb });
      const err = await wb.service.changeLifecycle({ name: init.metadata.name, verb: 'approve' }).catch((e: Error & { code?: string }) => e);
      expect(err).toMatchObject({ code: 'UNAVAILABLE' });
      expect((await wb.service.getPackageRevision({ name: init.metadata.name })).spec.lifecycle).toBe('Proposed');
    } finally {
      await wb.server.resume();
    }
    expect(await wb.service.changeLifecycle({ name: 'simple.offline.new.w1', verb: 'approve' })).toBe('approved');
    const published = await wb.service.readResources({ name: 'simple.offline.new.w1' });
    expect(published.revision.spec).toMatchObject({ lifecycle: 'Published', revision: 1 });
    expect(published.resources.map((r) => r.path)).toContain('extra.yaml');
  });

  it('refuses a stale resource version, so two writers never overwrite each other', async () => {
    const draft = await wb.service.initPackage({ repository: 'simple', name: 'race', workspace: 'w1' });
    const { resources } = await wb.service.readResources({ name: draft.metadata.name });
    const first = await wb.service.updateResources({
      name: draft.metadata.name,
      resourceVersion: draft.metadata.resourceVersion!,
      files: [...resources, file('a.yaml', 'a: 1\n')],
    });
    const second = wb.service.updateResources({
      name: draft.metadata.name,
      resourceVersion: draft.metadata.resourceVersion!,
      files: [...resources, file('b.yaml', 'b: 1\n')],
    });
    await expect(second).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('the object has been modified') });
    const after = await wb.service.readResources({ name: draft.metadata.name });
    expect(after.resources.map((r) => r.path)).toContain('a.yaml');
    expect(after.resources.map((r) => r.path)).not.toContain('b.yaml');
    expect(after.revision.metadata.resourceVersion).toBe(first.revision.metadata.resourceVersion);
  });

  it('saves one file of a draft without touching the others (patch), and keeps non-UTF-8 bytes exactly', async () => {
    const draft = await wb.service.initPackage({ repository: 'simple', name: 'bytes', workspace: 'w1' });
    const binary = new Uint8Array([0xff, 0xfe, 0x00, 0x41, 0x80]);
    const saved = await wb.service.updateResources({
      name: draft.metadata.name,
      resourceVersion: draft.metadata.resourceVersion!,
      mode: 'patch',
      files: [file('blob.bin', binary)],
    });
    const { resources } = await wb.service.readResources({ name: draft.metadata.name });
    expect(resources.map((r) => r.path).sort()).toEqual(['Kptfile', 'README.md', 'blob.bin', 'package-context.yaml']);
    expect([...resources.find((r) => r.path === 'blob.bin')!.content]).toEqual([...binary]);
    await wb.service.updateResources({
      name: draft.metadata.name,
      resourceVersion: saved.revision.metadata.resourceVersion!,
      mode: 'patch',
      files: [],
      remove: ['README.md'],
    });
    expect((await wb.service.readResources({ name: draft.metadata.name })).resources.map((r) => r.path)).not.toContain('README.md');
  });

  it('refuses paths outside the package and writes to anything but a Draft, changing nothing', async () => {
    const draft = await wb.service.initPackage({ repository: 'simple', name: 'paths', workspace: 'w1' });
    for (const bad of ['../escape.yaml', '/etc/passwd', 'a/../../b', '.git/config', 'dir\\file']) {
      await expect(
        wb.service.updateResources({ name: draft.metadata.name, resourceVersion: draft.metadata.resourceVersion!, mode: 'patch', files: [file(bad, 'x')] }),
      ).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    }
    expect((await wb.service.getPackageRevision({ name: draft.metadata.name })).metadata.resourceVersion).toBe(draft.metadata.resourceVersion);
    const published = await wb.service.getPackageRevision({ name: 'simple.basens.v1' });
    await expect(
      wb.service.updateResources({
        name: 'simple.basens.v1',
        resourceVersion: published.metadata.resourceVersion!,
        mode: 'patch',
        files: [file('x.yaml', 'x')],
      }),
    ).rejects.toThrow(/only Draft package revisions can be modified/);
  });

  it('refuses to clone over an existing package, to clone a placeholder, and to copy a draft', async () => {
    await expect(
      wb.service.clonePackage({ repository: 'simple', name: 'basens', workspace: 'x', source: { kind: 'revision', name: 'simple.empty.v1' } }),
    ).rejects.toThrow('`clone` cannot create a new revision for package "basens" that already exists in repo "simple"; make subsequent revisions using `copy`');
    await expect(
      wb.service.clonePackage({ repository: 'simple', name: 'fromph', workspace: 'x', source: { kind: 'revision', name: 'simple.basens.main' } }),
    ).rejects.toThrow('upstream revision may not be the placeholder package revision simple/simple.basens.main');
    await expect(wb.service.copyPackage({ source: 'simple.race.w1', workspace: 'w2' })).rejects.toThrow('source revision must be published');
    await expect(wb.service.copyPackage({ source: 'simple.basens.v1', workspace: 'v2' })).rejects.toThrow(/workspaceNames must be unique/);
  });

  it('keeps an approval queued in the database while Git is down, across a restart, and publishes it when Git returns', async () => {
    const draft = await wb.service.initPackage({ repository: 'simple', name: 'queued', workspace: 'w1' });
    await wb.service.changeLifecycle({ name: draft.metadata.name, verb: 'propose' });
    await wb.server.pause();
    try {
      expect((await wb.service.queueApproval({ name: draft.metadata.name })).map((q) => q.name)).toEqual([draft.metadata.name]);
      expect(await wb.service.drainApprovalQueue()).toEqual({ approved: [], waiting: [draft.metadata.name] });
      const service = await wb.restart();
      const [queued] = await service.queuedApprovals({});
      expect(queued).toMatchObject({ name: draft.metadata.name, lastError: expect.stringMatching(/^UNAVAILABLE: /) });
    } finally {
      await wb.server.resume();
    }
    expect(await wb.service.drainApprovalQueue()).toEqual({ approved: [draft.metadata.name], waiting: [] });
    expect(await wb.service.queuedApprovals({})).toEqual([]);
    expect((await wb.service.getPackageRevision({ name: draft.metadata.name })).spec).toMatchObject({ lifecycle: 'Published', revision: 1 });
    // Only a proposal can wait for approval.
    await expect(wb.service.queueApproval({ name: draft.metadata.name })).rejects.toThrow(/only a Proposed revision/);
  });

  it('pages through revisions by keyset, with search and filters applied in the database', async () => {
    const all = (await wb.service.listPackageRevisions({})).map((r) => r.metadata.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await wb.service.pagePackageRevisions({ limit: 3, after });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((r) => r.metadata.name));
      after = page.next;
    } while (after);
    expect(seen).toEqual(all);
    const basens = await wb.service.pagePackageRevisions({ search: 'basens', limit: 100 });
    expect(basens.items.map((r) => r.metadata.name)).toEqual(all.filter((n) => n.includes('basens')));
    const drafts = await wb.service.pagePackageRevisions({ lifecycle: 'Draft', limit: 100 });
    expect(drafts.items.every((r) => r.spec.lifecycle === 'Draft')).toBe(true);
    const latest = await wb.service.pagePackageRevisions({ latestOnly: true, limit: 100 });
    expect(latest.items.every((r) => r.metadata.labels?.['kpt.dev/latest-revision'] === 'true')).toBe(true);
    // A search is text, never a pattern: % and _ match themselves.
    expect((await wb.service.pagePackageRevisions({ search: '%', limit: 100 })).items).toEqual([]);
  });
});

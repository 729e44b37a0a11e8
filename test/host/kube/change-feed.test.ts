// The watch feed on its own, with a fake service (this module's unit test):
// what resume can promise (everything since a list, or 410), how events
// become ADDED / MODIFIED / DELETED, and the ring's bound.
import { describe, expect, it } from 'vitest';
import type { ServiceEvent } from '../../../src-shared/contract.ts';
import type { PackageRevision, RevisionSummary } from '../../../src-shared/domain.ts';
import { PorchlightError } from '../../../src-shared/errors.ts';
import { ChangeFeed, type FeedEvent } from '../../../src-main/host/kube/change-feed.ts';
import type { ServiceClient } from '../../../src-main/host/kube/service-client.ts';

function fakeService() {
  const revisions = new Map<string, PackageRevision>();
  const listeners = new Set<(e: ServiceEvent) => void>();
  const revision = (name: string, lifecycle: PackageRevision['spec']['lifecycle'], rv: string): PackageRevision => ({
    apiVersion: 'porch.kpt.dev/v1alpha1',
    kind: 'PackageRevision',
    metadata: { name, namespace: 'default', resourceVersion: rv },
    spec: { packageName: name.split('.')[1]!, repository: 'r', workspaceName: 'v1', lifecycle, packageMetadata: {} },
    status: { upstreamLock: {}, publishTimestamp: null },
  });
  const summary = (p: PackageRevision): RevisionSummary => ({
    name: p.metadata.name,
    packageName: p.spec.packageName,
    workspaceName: p.spec.workspaceName,
    revision: p.spec.revision ?? 0,
    latest: false,
    lifecycle: p.spec.lifecycle,
    repository: p.spec.repository,
  });
  const client: ServiceClient = {
    has: () => true,
    callProposed: async () => {
      throw new Error('not used');
    },
    onEvent: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    call: (async (channel: string, request: { name?: string }) => {
      if (channel === 'repositories.list') return [{ metadata: { name: 'r', namespace: 'default', resourceVersion: '1' }, spec: { git: {} } }];
      if (channel === 'revisions.page') return { items: [...revisions.values()].map(summary) };
      if (channel === 'revisions.get') {
        const found = revisions.get(request.name!);
        if (!found) throw new PorchlightError('NOT_FOUND', 'gone');
        return found;
      }
      throw new Error(`unexpected ${channel}`);
    }) as ServiceClient['call'],
  };
  return {
    client,
    put: (name: string, lifecycle: PackageRevision['spec']['lifecycle'], rv: string) => revisions.set(name, revision(name, lifecycle, rv)),
    drop: (name: string) => revisions.delete(name),
    emit: (e: ServiceEvent) => listeners.forEach((l) => l(e)),
  };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('the watch feed', () => {
  it('turns service events into ADDED, MODIFIED and DELETED against what it last saw', async () => {
    const s = fakeService();
    s.put('r.a.v1', 'Draft', '1');
    const feed = new ChangeFeed(s.client, { resyncMs: 60_000 });
    const seen: FeedEvent[] = [];
    const stop = await feed.subscribe((e) => seen.push(e));
    // The feed reads the state when it handles an event, so each change settles before the next.
    s.put('r.a.v1', 'Proposed', '2');
    s.emit({ type: 'revision.changed', namespace: 'default', name: 'r.a.v1' });
    await settle();
    s.put('r.b.v1', 'Draft', '1');
    s.emit({ type: 'revision.changed', namespace: 'default', name: 'r.b.v1' });
    // The same state announced twice is one change.
    s.emit({ type: 'revision.changed', namespace: 'default', name: 'r.b.v1' });
    await settle();
    s.drop('r.a.v1');
    s.emit({ type: 'revision.changed', namespace: 'default', name: '' });
    await settle();
    expect(seen.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ['MODIFIED', 'r.a.v1'],
      ['ADDED', 'r.b.v1'],
      ['DELETED', 'r.a.v1'],
    ]);
    stop();
    feed.close();
  });

  it('resumes from a list resourceVersion, and expires one from before it tracked, beyond its ring, or not its own', async () => {
    const s = fakeService();
    s.put('r.a.v1', 'Draft', '1');
    const feed = new ChangeFeed(s.client, { resyncMs: 60_000, capacity: 3 });
    // A change before any list or watch: counted, not recorded (the first list starts the tracking).
    s.emit({ type: 'revision.changed', namespace: 'default', name: 'r.a.v1' });
    const stop = await feed.subscribe(() => {});
    expect(feed.since(String(BigInt(feed.rv()) - 1n))).toBe('expired');
    const listed = feed.rv();
    expect(feed.since(listed)).toEqual([]);
    s.put('r.a.v1', 'Proposed', '2');
    s.emit({ type: 'revision.changed', namespace: 'default', name: 'r.a.v1' });
    await settle();
    const replay = feed.since(listed);
    expect(replay !== 'expired' && replay.map((e) => e.type)).toEqual(['MODIFIED']);
    for (let i = 3; i < 7; i++) {
      s.put('r.a.v1', i % 2 ? 'Draft' : 'Proposed', String(i));
      s.emit({ type: 'revision.changed', namespace: 'default', name: 'r.a.v1' });
      await settle();
    }
    // Four more changes through a ring of three: the list's version is no longer covered.
    expect(feed.since(listed)).toBe('expired');
    expect(feed.since('not a number')).toBe('expired');
    expect(feed.since(String(BigInt(feed.rv()) + 1n))).toBe('expired');
    stop();
    feed.close();
  });
});

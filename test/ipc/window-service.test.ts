// What the window relies on from the service, through the dispatcher, on real
// PGlite and a real Git server: progress events while a repository is cloned
// and synced and while a revision is published, notifications from background
// syncs (a failure told once, then the recovery), list pages as summaries with
// a repository filter, the upstream of a clone for a diff, sync schedules, and
// the database choice kept for the next start without its password in clear.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer, ServiceEvent } from '../../src-shared/contract.ts';
import { openDatabase } from '../../src-main/db/open-database.ts';
import type { Dispatch } from '../../src-main/ipc/dispatch.ts';
import { openTestService, type TestService } from '../support/service.ts';
import { databaseSettings, databaseToOpen, savedDatabase } from '../../src-main/service/database-choice.ts';
import { unpackBundle } from '../support/fixtures.ts';
import { startGitServer, type GitServer } from '../support/git-server.ts';

let work: string;
let server: GitServer;
let service: TestService;
let dispatch: Dispatch;
const events: ServiceEvent[] = [];

async function ok<T>(channel: string, payload: unknown): Promise<T> {
  const answer = (await dispatch(channel, payload)) as Answer<T>;
  if (!answer.ok) throw new Error(`${channel}: ${answer.error.code} ${answer.error.message}`);
  return answer.value;
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-window-'));
  const root = path.join(work, 'served');
  fs.mkdirSync(root);
  await unpackBundle('test-blueprints', root);
  server = await startGitServer({ root, username: 'nephio', password: 'secret' });
  const home = path.join(work, 'home');
  service = openTestService({
    db: await openDatabase({ dataHome: home, env: {} }),
    dataHome: home,
    settings: databaseSettings(home, {}),
    onEvent: (e) => void events.push(e),
  });
  dispatch = service.dispatch;
}, 60_000);

afterAll(async () => {
  await service?.close();
  await server?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('the service as the window sees it', () => {
  it('reports the first clone and sync as progress, with totals', async () => {
    await ok('repositories.register', {
      url: server.baseUrl('test-blueprints', 'nephio'),
      name: 'blueprints',
      username: 'nephio',
      password: 'secret',
      syncIntervalSeconds: 0,
    });
    const progress = events.filter((e): e is Extract<ServiceEvent, { type: 'progress' }> => e.type === 'progress' && e.subject === 'blueprints');
    expect(progress.every((p) => p.operation === 'sync')).toBe(true);
    // Native git's own counters, then the packages read into the cache.
    expect(progress.some((p) => /objects|deltas/.test(p.phase) && p.total! > 0)).toBe(true);
    const reading = progress.filter((p) => p.phase === 'Reading packages');
    expect(reading.length).toBeGreaterThan(1);
    expect(reading.at(-1)).toMatchObject({ loaded: reading.at(-1)!.total });
    expect(reading.map((p) => p.loaded)).toEqual([...reading.map((p) => p.loaded)].sort((a, b) => a - b));
  });

  it('pages summaries, one repository or all, by keyset', async () => {
    await ok('repositories.register', {
      url: server.baseUrl('test-blueprints', 'nephio'),
      name: 'second',
      username: 'nephio',
      password: 'secret',
      syncIntervalSeconds: 0,
    });
    const all = await ok<{ items: { name: string; repository: string }[]; next?: string }>('revisions.page', { limit: 1000 });
    const one = await ok<{ items: { name: string; repository: string }[] }>('revisions.page', { limit: 1000, repository: 'second' });
    expect(one.items.length).toBeGreaterThan(0);
    expect(one.items.every((r) => r.repository === 'second')).toBe(true);
    expect(all.items.length).toBe(one.items.length * 2);
    // A row is what the table shows, not a whole PackageRevision.
    expect(Object.keys(all.items[0]!).sort()).toEqual(['latest', 'lifecycle', 'name', 'packageName', 'repository', 'revision', 'workspaceName']);
    const first = await ok<{ items: { name: string }[]; next: string }>('revisions.page', { limit: 3, repository: 'second' });
    const next = await ok<{ items: { name: string }[] }>('revisions.page', { limit: 3, repository: 'second', after: first.next });
    expect(next.items.map((r) => r.name)).toEqual(one.items.slice(3, 6).map((r) => r.name));
    expect((await dispatch('revisions.page', { repository: 'nope' })) as Answer<unknown>).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // By the path of a file inside: exactly the revisions that hold one.
    const withQuota = await ok<{ items: { name: string }[] }>('revisions.page', { limit: 1000, repository: 'second', filePath: 'QUOTA.y' });
    const holding: string[] = [];
    for (const r of one.items) {
      const files = await ok<{ files: { path: string }[] }>('revisions.resources', { name: r.name });
      if (files.files.some((f) => f.path.toLowerCase().includes('quota.y'))) holding.push(r.name);
    }
    expect(holding.length).toBeGreaterThan(0);
    expect(holding.length).toBeLessThan(one.items.length);
    expect(withQuota.items.map((r) => r.name)).toEqual(holding);
    // LIKE's own characters are plain text.
    expect((await ok<{ items: unknown[] }>('revisions.page', { filePath: '%' })).items).toEqual([]);
    await ok('repositories.unregister', { name: 'second' });
  });

  it('reports a publish in steps and gives a clone its upstream to diff against', async () => {
    const clone = await ok<{ metadata: { name: string } }>('revisions.clone', {
      repository: 'blueprints',
      name: 'basens-here',
      workspace: 'v1',
      source: { kind: 'revision', name: 'blueprints.basens.v1' },
    });
    const upstream = await ok<{ source: string; files: { path: string; base64: string }[] }>('revisions.upstreamResources', { name: clone.metadata.name });
    expect(upstream.source).toBe('blueprints.basens.v1');
    const original = await ok<{ files: { path: string; base64: string }[] }>('revisions.resources', { name: 'blueprints.basens.v1' });
    expect(upstream.files).toEqual(original.files);
    const orphan = (await dispatch('revisions.upstreamResources', { name: 'blueprints.basens.v1' })) as Answer<unknown>;
    expect(orphan).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } });

    events.length = 0;
    await ok('revisions.lifecycle', { name: clone.metadata.name, verb: 'propose' });
    await ok('revisions.lifecycle', { name: clone.metadata.name, verb: 'approve' });
    const steps = events.filter((e): e is Extract<ServiceEvent, { type: 'progress' }> => e.type === 'progress' && e.operation === 'publish');
    expect(steps.map((s) => s.phase)).toEqual(['Checking the remote', 'Writing the commits', 'Pushing', 'Recording', 'Published']);
    expect(steps.at(-1)).toMatchObject({ loaded: 4, total: 4, subject: clone.metadata.name });
  });

  it('changes the sync schedule, and tells of a background failure once and of the recovery', async () => {
    const cron = await ok<{ spec: { sync?: { schedule?: string } } }>('repositories.update', { name: 'blueprints', syncSchedule: '*/5 * * * *' });
    expect(cron.spec.sync?.schedule).toBe('*/5 * * * *');
    const bad = (await dispatch('repositories.update', { name: 'blueprints', syncSchedule: 'every day' })) as Answer<unknown>;
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    const interval = await ok<{ spec: { sync?: unknown }; status: { syncIntervalSeconds: number } }>('repositories.update', {
      name: 'blueprints',
      syncIntervalSeconds: 1,
      syncSchedule: null,
    });
    expect(interval.spec.sync).toBeUndefined();
    expect(interval.status.syncIntervalSeconds).toBe(1);

    events.length = 0;
    await server.pause();
    await service.startBackgroundSync();
    const notes = () => events.filter((e): e is Extract<ServiceEvent, { type: 'notification' }> => e.type === 'notification' && e.source === 'sync');
    try {
      await expect.poll(() => notes().length, { timeout: 15_000 }).toBe(1);
      expect(notes()[0]).toMatchObject({ level: 'error', subject: 'blueprints' });
      expect(events).toContainEqual({ type: 'git.reachable', reachable: false });
      // More failing ticks, the same reason: no more notifications.
      await expect.poll(() => events.filter((e) => e.type === 'repository.status').length, { timeout: 15_000 }).toBeGreaterThan(2);
      expect(notes()).toHaveLength(1);
    } finally {
      await server.resume();
    }
    await expect.poll(() => notes().length, { timeout: 15_000 }).toBe(2);
    expect(notes()[1]).toMatchObject({ level: 'info', message: expect.stringContaining('synced again') });
    expect(events).toContainEqual({ type: 'git.reachable', reachable: true });
    service.syncManager.stop();
  }, 60_000);

  it('keeps the database choice for the next start, its password sealed, and lets --db win', async () => {
    const home = path.join(work, 'settings-home');
    const settings = databaseSettings(home, {});
    expect(await settings.info()).toEqual({ dataHome: home, database: { kind: 'pglite', location: path.join(home, 'db') } });
    const info = await settings.setDatabase({ kind: 'postgres', url: 'postgres://team:s3cret-Pass@db.example:5432/porchlight' });
    expect(info.next).toEqual({ kind: 'postgres', location: expect.stringContaining('db.example:5432/porchlight') });
    expect(JSON.stringify(info)).not.toContain('s3cret-Pass');
    for (const file of fs.readdirSync(home)) expect(fs.readFileSync(path.join(home, file)).toString('latin1'), file).not.toContain('s3cret-Pass');
    expect(await savedDatabase(home)).toBe('postgres://team:s3cret-Pass@db.example:5432/porchlight');
    // What the next start opens: the saved choice, unless --db or PORCHLIGHT_DB says otherwise.
    expect(await databaseToOpen(home, undefined, {})).toEqual({ db: 'postgres://team:s3cret-Pass@db.example:5432/porchlight' });
    expect(await databaseToOpen(home, '/tmp/x', {})).toEqual({ db: '/tmp/x', overriddenBy: '--db' });
    expect(await databaseToOpen(home, undefined, { PORCHLIGHT_DB: '/tmp/y' })).toEqual({ db: '/tmp/y', overriddenBy: 'PORCHLIGHT_DB' });
    await expect(databaseSettings(home, { db: '/tmp/x', overriddenBy: '--db' }).setDatabase({ kind: 'pglite' })).rejects.toThrow(/--db/);
    const back = await settings.setDatabase({ kind: 'pglite' });
    expect(back.next).toBeUndefined();
    expect(await savedDatabase(home)).toBeUndefined();
  });
});

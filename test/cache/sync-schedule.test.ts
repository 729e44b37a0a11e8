import { describe, expect, it } from 'vitest';
import { nextSyncDelayMs } from '../../src-main/cache/sync-manager.ts';

describe('when the next background sync is due', () => {
  const base = { id: 1, namespace: 'n', name: 'r' };
  it('follows the interval, and never when it is 0', () => {
    expect(nextSyncDelayMs({ ...base, intervalSeconds: 600 })).toBe(600_000);
    expect(nextSyncDelayMs({ ...base, intervalSeconds: 0 })).toBeUndefined();
  });

  it('follows a cron schedule over the interval', () => {
    const now = new Date('2026-11-23T10:03:30Z');
    expect(nextSyncDelayMs({ ...base, intervalSeconds: 600, schedule: '*/10 * * * *' }, now)).toBe(6 * 60_000 + 30_000);
    expect(nextSyncDelayMs({ ...base, intervalSeconds: 0, schedule: '0 * * * *' }, now)).toBe(56 * 60_000 + 30_000);
  });
});

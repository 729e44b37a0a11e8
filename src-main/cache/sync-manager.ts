// Background sync for a long-lived process (the window, browser mode): one
// timer per repository at its own interval (Porch's default: 10 minutes).
// A tick that finds a sync already running (here or on another laptop sharing
// the PostgreSQL) skips quietly; the next tick tries again.
import { CronExpressionParser } from 'cron-parser';
import type { SyncStats } from '../../src-shared/domain.ts';
import { isPorchlightError } from '../../src-shared/errors.ts';

export interface SyncTarget {
  id: number;
  namespace: string;
  name: string;
  intervalSeconds: number;
  /** Cron expression (spec.sync.schedule); when set, it decides instead of the interval. */
  schedule?: string;
}

/** When the next background sync of `target` is due, in ms from `now`; undefined: never. */
export function nextSyncDelayMs(target: SyncTarget, now = new Date()): number | undefined {
  if (target.schedule) return Math.max(0, CronExpressionParser.parse(target.schedule, { currentDate: now }).next().getTime() - now.getTime());
  return target.intervalSeconds > 0 ? target.intervalSeconds * 1000 : undefined;
}

export interface SyncManagerDeps {
  list: () => Promise<SyncTarget[]>;
  sync: (target: SyncTarget) => Promise<SyncStats>;
  onResult?: (target: SyncTarget, result: SyncStats | Error) => void;
}

export class SyncManager {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  /** Repositories whose tick is running and was not cancelled meanwhile. */
  private readonly ticking = new Set<number>();
  private stopped = false;

  constructor(private readonly deps: SyncManagerDeps) {}

  /** Schedules every registered repository; the first sync runs right away. */
  async start(): Promise<void> {
    this.stopped = false;
    for (const target of await this.deps.list()) this.schedule(target, 0);
  }

  schedule(target: SyncTarget, delayMs = nextSyncDelayMs(target)): void {
    this.cancel(target.id);
    if (this.stopped || delayMs === undefined) return;
    const timer = setTimeout(() => void this.tick(target), delayMs);
    timer.unref();
    this.timers.set(target.id, timer);
  }

  /** Stops a repository's timer (unregistering). */
  cancel(id: number): void {
    const timer = this.timers.get(id);
    if (timer) clearTimeout(timer);
    this.timers.delete(id);
    this.ticking.delete(id);
  }

  stop(): void {
    this.stopped = true;
    for (const id of [...this.timers.keys()]) this.cancel(id);
  }

  get scheduled(): number[] {
    return [...this.timers.keys()];
  }

  private async tick(target: SyncTarget): Promise<void> {
    this.timers.delete(target.id);
    this.ticking.add(target.id);
    try {
      this.deps.onResult?.(target, await this.deps.sync(target));
    } catch (e) {
      if (!(isPorchlightError(e) && e.code === 'BUSY')) this.deps.onResult?.(target, e as Error);
    }
    // Gone while syncing (unregistered, or the manager stopped): no next tick.
    // A cancel while the list was read counts too: unregistering cancels
    // before the repository leaves the list, and a next tick would then sync
    // a repository being destroyed.
    const still = !this.stopped && (await this.deps.list().catch(() => [])).find((t) => t.id === target.id);
    const cancelled = !this.ticking.delete(target.id);
    if (still && !cancelled) this.schedule(still);
  }
}

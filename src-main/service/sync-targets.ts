// A repository's sync schedule: an interval, or a cron expression that wins.
import { CronExpressionParser } from 'cron-parser';
import { invalidArgument } from '../../src-shared/errors.ts';
import type { RepositoryRow } from '../cache/repository-store.ts';
import type { SyncTarget } from '../cache/sync-manager.ts';

export function syncTargetOf(r: RepositoryRow): SyncTarget {
  return { id: r.id, namespace: r.namespace, name: r.name, intervalSeconds: r.sync_interval_s, schedule: r.spec.sync?.schedule };
}

/** porchctl's check and wording for --sync-schedule. */
export function checkCron(expression: string): void {
  try {
    if (expression.trim().split(/\s+/).length !== 5) throw new Error('expected exactly 5 fields, found ' + expression.trim().split(/\s+/).length);
    CronExpressionParser.parse(expression);
  } catch (e) {
    throw invalidArgument(`invalid sync-schedule cron expression: ${(e as Error).message}`);
  }
}

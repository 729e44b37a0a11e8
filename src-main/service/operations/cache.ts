// What the cache holds and its cleanup policies: evict the resources of
// published revisions nobody read for N days (Git keeps them).
import type { EvictionRunView } from '../../../src-shared/contract.ts';
import { cacheStats, evictAll, evictNamespace, getPolicy, setPolicy } from '../../cache/eviction.ts';
import { destroyMarked } from '../cleanup.ts';
import type { ServiceContext } from '../context.ts';
import type { Operations } from './operation.ts';

/** Runs the cleanup policy of one namespace, or of every namespace, now; what it marked is deleted. */
export async function runCleanupPolicies(ctx: ServiceContext, namespace: string | undefined, now?: Date): Promise<EvictionRunView[]> {
  // Reads since the last flush count: a revision read a minute ago is not evicted.
  await ctx.reads.flush(ctx.db);
  const runs = namespace ? [await evictNamespace(ctx.db, namespace, { now })] : await evictAll(ctx.db, { now });
  if (runs.some((r) => r.rowsFreed > 0)) await destroyMarked(ctx);
  for (const run of runs) {
    if (run.error)
      ctx.emit({
        type: 'notification',
        level: 'error',
        source: 'cleanup',
        subject: run.namespace,
        message: `the cleanup policy of ${run.namespace} failed: ${run.error}`,
      });
  }
  return runs;
}

export const cacheOperations: Operations<'cache.stats' | 'cache.policy' | 'cache.setPolicy' | 'cache.runPolicy'> = {
  'cache.stats': async (ctx, r) => {
    await ctx.reads.flush(ctx.db);
    return cacheStats(ctx.db, r.namespace);
  },
  'cache.policy': (ctx, r) => getPolicy(ctx.db, r.namespace),
  'cache.setPolicy': (ctx, r) => setPolicy(ctx.db, { namespace: r.namespace, enabled: r.enabled, evictAfterDays: r.evictAfterDays, updatedBy: ctx.updatedBy }),
  'cache.runPolicy': (ctx, r) => runCleanupPolicies(ctx, r.allNamespaces ? undefined : r.namespace),
};

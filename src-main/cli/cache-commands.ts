// porchlight cache stats|clean|policy: what the cache holds, what cleanup
// policies freed, and each namespace's policy (evict the resources of
// published revisions not read for N days; Git keeps them).
import type { Command } from 'commander';
import { invalidArgument } from '../../src-shared/errors.ts';
import { formatBytes } from '../../src-shared/format-bytes.ts';
import type { CacheStatsView, EvictionRunView } from '../../src-shared/contract.ts';
import type { CliContext } from './cli-context.ts';
import { formatJson, formatTable } from './printers.ts';

const namespaceOf = (cmd: Command) => cmd.optsWithGlobals().namespace as string | undefined;

const runRow = (r: EvictionRunView) => [r.startedAt, String(r.revisionsEvicted), String(r.rowsFreed), formatBytes(r.bytesFreed), r.error ?? ''];

function printStats(s: CacheStatsView): string {
  const policy = s.policy.enabled
    ? `evict resources of published revisions not read for ${s.policy.evictAfterDays} days${s.policy.saved ? '' : ' (default)'}`
    : 'disabled';
  return (
    `Namespace:           ${s.namespace}\n` +
    `Cleanup policy:      ${policy}\n` +
    `Package revisions:   ${s.revisions} (${s.evictedRevisions} with resources evicted, read back from Git when asked for)\n` +
    `Rows to clean up:    ${s.pendingRows}\n` +
    `Resources on disk:   ${formatBytes(s.resourceBytes)} (all namespaces)\n` +
    (s.fileBytes !== undefined
      ? `Files in namespace:  ${formatBytes(s.fileBytes)}\n`
      : s.fileBytesProgress !== undefined
        ? `Files in namespace:  being measured by a background migration (${s.fileBytesProgress}%; porchlight db migrations)\n`
        : '') +
    (s.lastRuns.length
      ? `\nLast policy runs:\n${formatTable(['STARTED', 'REVISIONS', 'ROWS FREED', 'BYTES FREED', 'ERROR'], s.lastRuns.map(runRow))}`
      : '\nNo policy run yet.\n')
  );
}

export function addCacheCommands(program: Command, ctx: CliContext): void {
  const cache = program.command('cache').description('The local cache: its size, and cleanup policies that evict what nobody reads (Git keeps it).');

  cache
    .command('stats')
    .description('What the cache holds in a namespace, its cleanup policy, and what the last policy runs freed.')
    .option('-o, --output <format>', 'json, or the default text')
    .action(async (o: { output?: string }, cmd: Command) => {
      const stats = await (await ctx.client()).call('cache.stats', { namespace: namespaceOf(cmd) });
      ctx.io.stdout(o.output === 'json' ? formatJson(stats) : printStats(stats));
    });

  cache
    .command('clean')
    .description("Run the namespace's cleanup policy now (or every namespace's with -A) and delete what it evicted.")
    .action(async (_o: unknown, cmd: Command) => {
      const service = await ctx.client();
      const all = cmd.optsWithGlobals().allNamespaces as boolean;
      const runs = await service.call('cache.runPolicy', { namespace: namespaceOf(cmd), allNamespaces: all });
      ctx.io.stdout(
        formatTable(
          ['NAMESPACE', 'REVISIONS', 'ROWS FREED', 'BYTES FREED', 'ERROR'],
          runs.map((r) => [r.namespace, ...runRow(r).slice(1)]),
        ),
      );
      if (runs.some((r) => r.error)) process.exitCode = 1;
    });

  const policy = cache.command('policy').description("A namespace's cleanup policy.");
  policy
    .command('get')
    .description("Show the namespace's cleanup policy.")
    .action(async (_o: unknown, cmd: Command) => {
      const p = await (await ctx.client()).call('cache.policy', { namespace: namespaceOf(cmd) });
      ctx.io.stdout(
        formatTable(
          ['NAMESPACE', 'ENABLED', 'EVICT AFTER DAYS', 'SOURCE'],
          [[p.namespace, String(p.enabled), String(p.evictAfterDays), p.saved ? 'saved' : 'default']],
        ),
      );
    });
  policy
    .command('set')
    .description("Set the namespace's cleanup policy: evict the resources of published revisions not read for N days (drafts and proposals are never evicted).")
    .option('--evict-after-days <n>', 'days without a read before a published revision’s resources leave the database', '30')
    .option('--disable', 'never evict in this namespace', false)
    .action(async (o: { evictAfterDays: string; disable: boolean }, cmd: Command) => {
      const days = Number(o.evictAfterDays);
      if (!Number.isInteger(days)) throw invalidArgument(`--evict-after-days must be a whole number of days, not "${o.evictAfterDays}"`);
      const p = await (await ctx.client()).call('cache.setPolicy', { namespace: namespaceOf(cmd), enabled: !o.disable, evictAfterDays: days });
      ctx.io.stdout(`cleanup policy of ${p.namespace}: ${p.enabled ? `evict after ${p.evictAfterDays} days without a read` : 'disabled'}\n`);
    });
}

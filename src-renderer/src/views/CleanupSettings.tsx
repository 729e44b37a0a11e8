// The namespace's cleanup policy (evict the resources of published revisions
// nobody has read for N days; Git keeps them and the next read brings them
// back), what the cache holds, and what the last runs freed.
import { useEffect, useState } from 'react';
import type { CacheStatsView } from '../../../src-shared/contract.ts';
import { call } from '../api.ts';
import { useStore } from '../store.ts';
import { formatBytes } from '../../../src-shared/format-bytes.ts';

export function CleanupSettings() {
  const namespace = useStore((s) => s.namespace);
  const notify = useStore((s) => s.notify);
  const [stats, setStats] = useState<CacheStatsView>();
  const [days, setDays] = useState('30');
  const [enabled, setEnabled] = useState(true);
  const [busy, setBusy] = useState(false);
  const load = () =>
    call('cache.stats', { namespace }).then(
      (s) => {
        setStats(s);
        setDays(String(s.policy.evictAfterDays));
        setEnabled(s.policy.enabled);
      },
      (e: Error) => notify('error', e.message),
    );
  useEffect(() => void load(), [namespace]); // eslint-disable-line react-hooks/exhaustive-deps
  const save = async () => {
    try {
      await call('cache.setPolicy', { namespace, enabled, evictAfterDays: Number(days) });
      notify('info', enabled ? `cleanup policy of ${namespace}: evict after ${days} days without a read` : `cleanup policy of ${namespace}: disabled`);
      await load();
    } catch (e) {
      notify('error', (e as Error).message);
    }
  };
  const runNow = async () => {
    setBusy(true);
    try {
      const runs = await call('cache.runPolicy', { namespace });
      const run = runs[0];
      notify(
        run?.error ? 'error' : 'info',
        run?.error
          ? `cleanup failed: ${run.error}`
          : `cleanup freed ${run?.rowsFreed ?? 0} rows (${formatBytes(run?.bytesFreed ?? 0)}) from ${run?.revisionsEvicted ?? 0} revisions`,
      );
      await load();
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h3>Cleanup policy ({namespace})</h3>
      <div className="register" aria-label="Cleanup policy">
        <label className="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Evict what nobody reads
        </label>
        <label>
          Days without a read{' '}
          <input aria-label="Days without a read" type="number" min={1} max={3650} value={days} disabled={!enabled} onChange={(e) => setDays(e.target.value)} />
        </label>
        <button onClick={() => void save()}>Save policy</button>
        <button onClick={() => void runNow()} disabled={busy || !enabled}>
          {busy ? 'Cleaning…' : 'Run now'}
        </button>
      </div>
      <p className="help">
        The files of published revisions leave the database after that many days without a read; Git keeps them, and the next read brings them back from the
        local clone. Drafts and proposals are never evicted.
      </p>
      {stats && (
        <dl className="summary" aria-label="Cache statistics">
          <dt>Package revisions</dt>
          <dd>
            {stats.revisions} ({stats.evictedRevisions} with files evicted)
          </dd>
          <dt>Files on disk</dt>
          <dd>{formatBytes(stats.resourceBytes)} (all namespaces)</dd>
          <dt>Files in {namespace}</dt>
          <dd>
            {stats.fileBytes !== undefined
              ? formatBytes(stats.fileBytes)
              : stats.fileBytesProgress !== undefined
                ? `being measured (${stats.fileBytesProgress}%)`
                : 'unknown'}
          </dd>
          <dt>Rows to clean up</dt>
          <dd>{stats.pendingRows}</dd>
          <dt>Last runs</dt>
          <dd>
            {stats.lastRuns.length
              ? stats.lastRuns.map((r) => (
                  <div key={r.startedAt}>
                    {new Date(r.startedAt).toLocaleString()}: {r.revisionsEvicted} revisions, {r.rowsFreed} rows, {formatBytes(r.bytesFreed)} freed
                    {r.error ? ` (failed: ${r.error})` : ''}
                  </div>
                ))
              : 'none yet'}
          </dd>
        </dl>
      )}
    </>
  );
}

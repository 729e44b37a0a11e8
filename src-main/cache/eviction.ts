// Cleanup policies: the resources of published revisions nobody has read for
// N days leave the database (Git has them; the local clone serves the next
// read), so a cache of 100,000 revisions stays small. Drafts and proposals
// exist only here and are never touched. Eviction is a status update of the
// resources, in batches by id inside one partition; the cleanup worker deletes
// them later. Each run records what it freed.
import type { Database, Queryable } from '../db/database.ts';
import { backgroundMigrations } from '../db/background-migrations.ts';
import type { PackageFiles } from './sync-writer.ts';
import type { CacheStatsView, CleanupPolicyView, EvictionRunView } from '../../src-shared/views.ts';

export const DEFAULT_EVICT_AFTER_DAYS = 30;

/** Revisions per eviction batch: one short transaction each, so reads slip in between. */
const EVICT_BATCH = 200;

export async function getPolicy(q: Queryable, namespace: string): Promise<CleanupPolicyView> {
  const res = await q.query<{ enabled: boolean; evict_after_days: number }>(`SELECT enabled, evict_after_days FROM cleanup_policies WHERE namespace = $1`, [
    namespace,
  ]);
  const row = res.rows[0];
  return row
    ? { namespace, enabled: row.enabled, evictAfterDays: row.evict_after_days, saved: true }
    : { namespace, enabled: true, evictAfterDays: DEFAULT_EVICT_AFTER_DAYS, saved: false };
}

export async function setPolicy(
  q: Queryable,
  p: { namespace: string; enabled: boolean; evictAfterDays: number; updatedBy: string },
): Promise<CleanupPolicyView> {
  await q.query(
    `INSERT INTO cleanup_policies (namespace, enabled, evict_after_days, updated_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (namespace) DO UPDATE SET enabled = EXCLUDED.enabled, evict_after_days = EXCLUDED.evict_after_days, updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [p.namespace, p.enabled, p.evictAfterDays, p.updatedBy],
  );
  return getPolicy(q, p.namespace);
}

/** Namespaces that have live repositories: each gets its policy (saved or default). */
async function namespacesWithRepositories(q: Queryable): Promise<string[]> {
  const res = await q.query<{ namespace: string }>(`SELECT DISTINCT namespace FROM repositories WHERE status = 'default' ORDER BY namespace`);
  return res.rows.map((r) => r.namespace);
}

/**
 * One policy run for a namespace: every repository (one partition at a time),
 * batches of revisions whose last read (or, never read, their caching) is older
 * than the cut-off (never read: its last change, which for a synced revision is when it was cached). `now` is for tests.
 */
export async function evictNamespace(db: Database, namespace: string, opts: { now?: Date; batch?: number } = {}): Promise<EvictionRunView> {
  const policy = await getPolicy(db, namespace);
  const run: EvictionRunView = { namespace, startedAt: new Date().toISOString(), revisionsEvicted: 0, rowsFreed: 0, bytesFreed: 0 };
  if (!policy.enabled) return run;
  const cutoff = new Date((opts.now ?? new Date()).getTime() - policy.evictAfterDays * 86_400_000);
  const batch = opts.batch ?? EVICT_BATCH;
  try {
    const repos = await db.query<{ id: number }>(`SELECT id FROM repositories WHERE namespace = $1 AND status = 'default' ORDER BY id`, [namespace]);
    for (const { id: repositoryId } of repos.rows) {
      for (;;) {
        const done = await db.transaction(async (tx) => {
          // Published and DeletionProposed only (revision <> 0), with a Git tree to read them back from.
          const picked = await tx.query<{ id: number }>(
            `SELECT id FROM package_revisions
              WHERE repository_id = $1 AND status = 'default' AND NOT resources_evicted AND revision <> 0
                AND lifecycle IN ('Published', 'DeletionProposed') AND tree_id IS NOT NULL
                AND COALESCE(last_read_at, updated_at) < $2
              ORDER BY COALESCE(last_read_at, updated_at), id LIMIT $3 FOR UPDATE SKIP LOCKED`,
            [repositoryId, cutoff, batch],
          );
          const ids = picked.rows.map((r) => Number(r.id));
          if (!ids.length) return true;
          await tx.query(`UPDATE package_revisions SET resources_evicted = true WHERE repository_id = $1 AND id = ANY($2::bigint[])`, [repositoryId, ids]);
          const freed = await tx.query<{ rows: string; bytes: string | null }>(
            `WITH marked AS (
               UPDATE resources SET status = 'pending_destruction'
                WHERE repository_id = $1 AND package_revision_id = ANY($2::bigint[]) AND status = 'default'
               RETURNING octet_length(content) AS size)
             SELECT count(*) AS rows, sum(size) AS bytes FROM marked`,
            [repositoryId, ids],
          );
          run.revisionsEvicted += ids.length;
          run.rowsFreed += Number(freed.rows[0]?.rows ?? 0);
          run.bytesFreed += Number(freed.rows[0]?.bytes ?? 0);
          return ids.length < batch;
        });
        if (done) break;
      }
    }
  } catch (e) {
    run.error = (e as Error).message;
  }
  run.finishedAt = new Date().toISOString();
  await db.query(
    `INSERT INTO cleanup_runs (namespace, started_at, finished_at, revisions_evicted, rows_freed, bytes_freed, error) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [namespace, run.startedAt, run.finishedAt, run.revisionsEvicted, run.rowsFreed, run.bytesFreed, run.error ?? null],
  );
  return run;
}

/** A policy run over every namespace that has repositories. */
export async function evictAll(db: Database, opts: { now?: Date } = {}): Promise<EvictionRunView[]> {
  const runs: EvictionRunView[] = [];
  for (const namespace of await namespacesWithRepositories(db)) runs.push(await evictNamespace(db, namespace, opts));
  return runs;
}

/**
 * Puts an evicted revision's files back (read from Git by the caller): only the
 * first of two concurrent readers writes, the other's update finds nothing to do.
 */
export async function restoreEvicted(db: Database, repositoryId: number, revisionId: number, files: PackageFiles): Promise<void> {
  await db.transaction(async (tx) => {
    const claimed = await tx.query(
      `UPDATE package_revisions SET resources_evicted = false, last_read_at = now() WHERE repository_id = $1 AND id = $2 AND resources_evicted RETURNING id`,
      [repositoryId, revisionId],
    );
    if (!claimed.rows.length || !files.length) return;
    await tx.query(
      `INSERT INTO resources (repository_id, package_revision_id, path, content, size_bytes)
       SELECT $1, $2, f.path, c.bytes, octet_length(c.bytes) FROM json_to_recordset($3::json) AS f(path text, content text)
        CROSS JOIN LATERAL (SELECT decode(f.content, 'base64') AS bytes) c`,
      [repositoryId, revisionId, JSON.stringify(files.map((f) => ({ path: f.path, content: Buffer.from(f.content).toString('base64') })))],
    );
  });
}

/**
 * Last-read times, counted in memory and written in one statement per
 * repository (one partition) when flushed: a read costs no write.
 */
export class ReadTracker {
  private pending = new Map<number, Set<number>>();

  note(repositoryId: number, revisionId: number): void {
    let ids = this.pending.get(repositoryId);
    if (!ids) this.pending.set(repositoryId, (ids = new Set()));
    ids.add(revisionId);
  }

  get size(): number {
    let n = 0;
    for (const ids of this.pending.values()) n += ids.size;
    return n;
  }

  async flush(q: Queryable): Promise<number> {
    const pending = this.pending;
    this.pending = new Map();
    let written = 0;
    for (const [repositoryId, ids] of pending) {
      const res = await q.query(
        `UPDATE package_revisions SET last_read_at = now() WHERE repository_id = $1 AND id = ANY($2::bigint[]) AND status = 'default'`,
        [repositoryId, [...ids]],
      );
      written += res.affectedRows;
    }
    return written;
  }
}

export async function cacheStats(q: Queryable, namespace: string): Promise<CacheStatsView> {
  const counts = await q.query<{ revisions: string; evicted: string }>(
    `SELECT count(*) AS revisions, count(*) FILTER (WHERE resources_evicted) AS evicted
       FROM package_revisions pr JOIN repositories r ON r.id = pr.repository_id AND r.status = 'default'
      WHERE pr.namespace = $1 AND pr.status = 'default'`,
    [namespace],
  );
  const pending = await q.query<{ n: string }>(
    `SELECT (SELECT count(*) FROM (SELECT 1 FROM resources WHERE status <> 'default' LIMIT 100000) r) + (SELECT count(*) FROM (SELECT 1 FROM package_revisions WHERE status <> 'default' LIMIT 100000) p) AS n`,
  );
  const size = await q.query<{ bytes: string }>(
    `SELECT COALESCE(sum(pg_total_relation_size(inhrelid)), 0) AS bytes FROM pg_inherits WHERE inhparent = 'resources'::regclass`,
  );
  const runs = await q.query<{
    namespace: string;
    started_at: Date;
    finished_at: Date | null;
    revisions_evicted: number;
    rows_freed: string;
    bytes_freed: string;
    error: string | null;
  }>(
    `SELECT namespace, started_at, finished_at, revisions_evicted, rows_freed, bytes_freed, error FROM cleanup_runs WHERE namespace = $1 ORDER BY started_at DESC LIMIT 5`,
    [namespace],
  );
  // Reads switch to the sizes once the background migration filled them all in.
  const sizes = (await backgroundMigrations(q)).find((m) => m.name === 'resource_sizes');
  const fileBytes =
    sizes?.status === 'finished'
      ? Number(
          (
            await q.query<{ bytes: string | null }>(
              `SELECT sum(size_bytes) AS bytes FROM resources
                WHERE status = 'default' AND repository_id = ANY(ARRAY(SELECT id FROM repositories WHERE namespace = $1 AND status = 'default'))`,
              [namespace],
            )
          ).rows[0]?.bytes ?? 0,
        )
      : undefined;
  return {
    namespace,
    ...(fileBytes !== undefined ? { fileBytes } : sizes ? { fileBytesProgress: sizes.percent } : {}),
    policy: await getPolicy(q, namespace),
    revisions: Number(counts.rows[0]?.revisions ?? 0),
    evictedRevisions: Number(counts.rows[0]?.evicted ?? 0),
    pendingRows: Number(pending.rows[0]?.n ?? 0),
    resourceBytes: Number(size.rows[0]?.bytes ?? 0),
    lastRuns: runs.rows.map((r) => ({
      namespace: r.namespace,
      startedAt: new Date(r.started_at).toISOString(),
      ...(r.finished_at ? { finishedAt: new Date(r.finished_at).toISOString() } : {}),
      revisionsEvicted: r.revisions_evicted,
      rowsFreed: Number(r.rows_freed),
      bytesFreed: Number(r.bytes_freed),
      ...(r.error ? { error: r.error } : {}),
    })),
  };
}

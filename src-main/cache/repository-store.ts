// SQL for the repositories table. Behaviour lives in the service and sync; this
// file only maps rows to and from Porch's Repository shape.
import type { Queryable } from '../db/database.ts';
import type { Condition, Repository, SyncStats } from '../../src-shared/domain.ts';

export interface RepositoryRow {
  id: number;
  namespace: string;
  name: string;
  meta: { uid?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: Repository['spec'];
  deployment: boolean;
  sync_interval_s: number;
  remote_version: string | null;
  conditions: Condition[];
  sync_stats: SyncStats | null;
  last_sync_at: Date | null;
  status: string;
  created_at: Date;
  updated_at: Date;
  updated_by: string;
}

const COLUMNS = `id, namespace, name, meta, spec, deployment, sync_interval_s, remote_version, conditions,
  sync_stats, last_sync_at, status, created_at, updated_at, updated_by`;

export function toRepository(row: RepositoryRow): Repository {
  return {
    apiVersion: 'config.porch.kpt.dev/v1alpha1',
    kind: 'Repository',
    metadata: {
      name: row.name,
      namespace: row.namespace,
      uid: row.meta.uid,
      resourceVersion: String(row.updated_at.getTime()),
      creationTimestamp: row.created_at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ...(row.meta.labels ? { labels: row.meta.labels } : {}),
      ...(row.meta.annotations ? { annotations: row.meta.annotations } : {}),
    },
    spec: row.spec,
    status: {
      conditions: row.conditions,
      ...(row.last_sync_at ? { lastFullSyncTime: row.last_sync_at.toISOString().replace(/\.\d{3}Z$/, 'Z') } : {}),
      // Porchlight's own: what the last sync found (Porch logs these; we keep them).
      ...(row.sync_stats ? { syncStats: row.sync_stats } : {}),
      syncIntervalSeconds: row.sync_interval_s,
    },
  };
}

/** A new sync interval and schedule (the schedule lives in spec.sync, as Porch keeps it). */
export async function updateRepositorySync(
  q: Queryable,
  id: number,
  r: { syncIntervalS: number; spec: Repository['spec']; updatedBy: string },
): Promise<RepositoryRow | undefined> {
  const res = await q.query<RepositoryRow>(
    `UPDATE repositories SET sync_interval_s = $2, spec = $3, updated_by = $4, updated_at = now()
     WHERE id = $1 AND status = 'default' RETURNING ${COLUMNS}`,
    [id, r.syncIntervalS, r.spec, r.updatedBy],
  );
  return res.rows[0];
}

export async function insertRepository(
  q: Queryable,
  r: { namespace: string; name: string; uid: string; spec: Repository['spec']; syncIntervalS: number; updatedBy: string },
): Promise<RepositoryRow> {
  const res = await q.query<RepositoryRow>(
    `INSERT INTO repositories (namespace, name, meta, spec, deployment, sync_interval_s, conditions, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
    [
      r.namespace,
      r.name,
      JSON.stringify({ uid: r.uid }),
      JSON.stringify(r.spec),
      r.spec.deployment ?? false,
      r.syncIntervalS,
      JSON.stringify([
        { type: 'Ready', status: 'Unknown', reason: 'Reconciling', message: 'first sync pending', lastTransitionTime: new Date().toISOString() },
      ]),
      r.updatedBy,
    ],
  );
  return res.rows[0]!;
}

export async function findRepository(q: Queryable, namespace: string, name: string): Promise<RepositoryRow | undefined> {
  const res = await q.query<RepositoryRow>(`SELECT ${COLUMNS} FROM repositories WHERE namespace = $1 AND name = $2 AND status = 'default'`, [namespace, name]);
  return res.rows[0];
}

export async function findRepositoryById(q: Queryable, id: number): Promise<RepositoryRow | undefined> {
  const res = await q.query<RepositoryRow>(`SELECT ${COLUMNS} FROM repositories WHERE id = $1 AND status = 'default'`, [id]);
  return res.rows[0];
}

export async function listRepositories(q: Queryable, namespace: string | undefined): Promise<RepositoryRow[]> {
  const res =
    namespace === undefined
      ? await q.query<RepositoryRow>(`SELECT ${COLUMNS} FROM repositories WHERE status = 'default' ORDER BY namespace, name`)
      : await q.query<RepositoryRow>(`SELECT ${COLUMNS} FROM repositories WHERE status = 'default' AND namespace = $1 ORDER BY name`, [namespace]);
  return res.rows;
}

export async function recordSyncResult(
  q: Queryable,
  id: number,
  r: { remoteVersion: string | null; stats: SyncStats | null; ready: Condition; releaseLeaseOf?: string },
): Promise<void> {
  await q.query(
    `UPDATE repositories
        SET remote_version = COALESCE($2, remote_version),
            sync_stats = COALESCE($3, sync_stats),
            conditions = $4,
            last_sync_at = now(),
            sync_owner = CASE WHEN sync_owner = $5 THEN NULL ELSE sync_owner END,
            sync_until = CASE WHEN sync_owner = $5 THEN NULL ELSE sync_until END
      WHERE id = $1`,
    [id, r.remoteVersion, r.stats ? JSON.stringify(r.stats) : null, JSON.stringify([r.ready]), r.releaseLeaseOf ?? null],
  );
}

/**
 * Takes the repository's sync lease if nobody holds a live one. One UPDATE, so two
 * processes on one PostgreSQL cannot both win.
 */
export async function tryTakeSyncLease(q: Queryable, id: number, owner: string, seconds: number): Promise<boolean> {
  const res = await q.query(
    `UPDATE repositories SET sync_owner = $2, sync_until = now() + make_interval(secs => $3)
      WHERE id = $1 AND (sync_until IS NULL OR sync_until < now() OR sync_owner = $2)`,
    [id, owner, seconds],
  );
  return res.affectedRows === 1;
}

/** Takes over a lease its holder can no longer hold (it died): only if `dead` still holds it. */
export async function takeOverSyncLease(q: Queryable, id: number, dead: string, owner: string, seconds: number): Promise<boolean> {
  const res = await q.query(`UPDATE repositories SET sync_owner = $3, sync_until = now() + make_interval(secs => $4) WHERE id = $1 AND sync_owner = $2`, [
    id,
    dead,
    owner,
    seconds,
  ]);
  return res.affectedRows === 1;
}

export async function releaseSyncLease(q: Queryable, id: number, owner: string): Promise<void> {
  await q.query(`UPDATE repositories SET sync_owner = NULL, sync_until = NULL WHERE id = $1 AND sync_owner = $2`, [id, owner]);
}

export async function syncLeaseHolder(q: Queryable, id: number): Promise<{ owner: string; until: Date } | undefined> {
  const res = await q.query<{ sync_owner: string; sync_until: Date }>(`SELECT sync_owner, sync_until FROM repositories WHERE id = $1 AND sync_until > now()`, [
    id,
  ]);
  const row = res.rows[0];
  return row ? { owner: row.sync_owner, until: row.sync_until } : undefined;
}

/** Unregistering is one short statement; the cleanup worker deletes the rows later. */
export async function markRepositoryForDestruction(q: Queryable, id: number, reason: string): Promise<void> {
  await q.query(`UPDATE repositories SET status = 'pending_destruction', status_reason = $2, updated_at = now() WHERE id = $1 AND status = 'default'`, [
    id,
    reason,
  ]);
}

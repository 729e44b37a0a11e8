// Lifecycle moves that touch only the database (Porch's DB cache: proposals and
// rejections never reach Git). Each is one conditional UPDATE, so two writers
// cannot both move the same revision; the database's own trigger refuses any
// move Porch would not make.
import type { Queryable } from '../db/database.ts';
import type { Lifecycle } from '../../src-shared/domain.ts';
import { repositoryIdOfName } from './revision-store.ts';

export interface LiveRevision {
  repository_id: number;
  id: number;
  name: string;
  lifecycle: Lifecycle;
  resource_version: number;
}

export async function findLiveRevision(q: Queryable, namespace: string, name: string): Promise<LiveRevision | undefined> {
  const repositoryId = await repositoryIdOfName(q, namespace, name);
  if (repositoryId === undefined) return undefined;
  const res = await q.query<LiveRevision>(
    `SELECT pr.repository_id, pr.id, pr.name, pr.lifecycle, pr.resource_version
       FROM package_revisions pr JOIN repositories r ON r.id = pr.repository_id AND r.status = 'default'
      WHERE pr.namespace = $1 AND pr.name = $2 AND pr.status = 'default' AND pr.repository_id = $3`,
    [namespace, name, repositoryId],
  );
  return res.rows[0];
}

/** Moves `from` -> `to`; false if the revision was no longer in `from` (someone else moved it). */
export async function moveLifecycle(q: Queryable, rev: LiveRevision, from: Lifecycle, to: Lifecycle, by: string): Promise<boolean> {
  const res = await q.query(
    `UPDATE package_revisions
        SET lifecycle = $4, resource_version = resource_version + 1, updated_at = now(), updated_by = $5
      WHERE repository_id = $1 AND id = $2 AND status = 'default' AND lifecycle = $3`,
    [rev.repository_id, rev.id, from, to, by],
  );
  return res.affectedRows === 1;
}

/** Drafts and proposals are deleted by marking; the cleanup worker removes the rows. */
export async function markUnpublishedForDestruction(q: Queryable, rev: LiveRevision): Promise<boolean> {
  const res = await q.query(
    `UPDATE package_revisions SET status = 'pending_destruction', updated_at = now()
      WHERE repository_id = $1 AND id = $2 AND status = 'default' AND lifecycle IN ('Draft', 'Proposed')`,
    [rev.repository_id, rev.id],
  );
  return res.affectedRows === 1;
}

/**
 * A live revision whose first task names `name` as its upstream (a clone's
 * upstreamRef or an upgrade's newUpstreamRef), as Porch checks before a
 * delete. Placeholders copy their revision's tasks and do not count.
 */
export async function findDownstreamOf(q: Queryable, namespace: string, name: string): Promise<string | undefined> {
  const res = await q.query<{ name: string }>(
    `SELECT pr.name FROM package_revisions pr JOIN repositories r ON r.id = pr.repository_id AND r.status = 'default'
      WHERE pr.namespace = $1 AND pr.status = 'default' AND pr.revision <> -1
        AND (pr.tasks @> $2::jsonb OR pr.tasks @> $3::jsonb)
      ORDER BY pr.name LIMIT 1`,
    [namespace, JSON.stringify([{ clone: { upstreamRef: { upstreamRef: { name } } } }]), JSON.stringify([{ upgrade: { newUpstreamRef: { name } } }])],
  );
  return res.rows[0]?.name;
}

/**
 * Approvals made while Git was unreachable wait on the revision row itself
 * (meta.queuedApproval), in the database with the proposal: they survive the
 * window closing and a restart, and any front door can see or cancel them.
 */
export interface QueuedApprovalRow {
  repository_id: number;
  id: number;
  namespace: string;
  name: string;
  since: string;
  by: string;
  lastError?: string;
}

export async function setQueuedApproval(
  q: Queryable,
  rev: Pick<LiveRevision, 'repository_id' | 'id'>,
  entry: { since: string; by: string; lastError?: string } | undefined,
): Promise<void> {
  await q.query(
    entry
      ? `UPDATE package_revisions SET meta = meta || jsonb_build_object('queuedApproval', $3::jsonb) WHERE repository_id = $1 AND id = $2`
      : `UPDATE package_revisions SET meta = meta - 'queuedApproval' WHERE repository_id = $1 AND id = $2`,
    entry ? [rev.repository_id, rev.id, JSON.stringify(entry)] : [rev.repository_id, rev.id],
  );
}

export async function listQueuedApprovals(q: Queryable, namespace?: string): Promise<QueuedApprovalRow[]> {
  const res = await q.query<{ repository_id: number; id: number; namespace: string; name: string; entry: { since: string; by: string; lastError?: string } }>(
    `SELECT pr.repository_id, pr.id, pr.namespace, pr.name, pr.meta->'queuedApproval' AS entry
       FROM package_revisions pr JOIN repositories r ON r.id = pr.repository_id AND r.status = 'default'
      WHERE pr.status = 'default' AND pr.meta ? 'queuedApproval' AND ($1::text IS NULL OR pr.namespace = $1)
      ORDER BY pr.meta->'queuedApproval'->>'since'`,
    [namespace ?? null],
  );
  return res.rows.map((r) => ({ repository_id: Number(r.repository_id), id: Number(r.id), namespace: r.namespace, name: r.name, ...r.entry }));
}

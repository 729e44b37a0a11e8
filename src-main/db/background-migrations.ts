// The job side of background migrations (migrations/008 says why and how).
// Each batch is one transaction: it locks the migration's row (SKIP LOCKED, so
// two Porchlights on one PostgreSQL never run the same batch), updates at most
// `batchSize` rows of one repository's partition after the recorded cursor,
// and moves the cursor. A kill loses at most the batch in flight, which the
// next run does again; every batch only fills in what is still missing, so
// running one twice changes nothing.
import type { BackgroundMigrationView } from '../../src-shared/contract.ts';
import type { Database, Queryable } from './database.ts';
import { asUpkeep } from './activity.ts';

export interface Cursor {
  repositoryId: number;
  id: number;
}

/** What the window and the CLI show of a background migration: the contract's shape. */
export type BackgroundMigrationStatus = BackgroundMigrationView;

interface Job {
  /** The rows still to do, roughly (for progress). */
  estimate(q: Queryable): Promise<number>;
  /** One batch at `cursor`: the rows it changed and where the next one starts (undefined: done). */
  batch(q: Queryable, cursor: Cursor, size: number): Promise<{ rows: number; next?: Cursor }>;
}

/** Fills resources.size_bytes, one repository's partition at a time, in id order. */
const resourceSizes: Job = {
  async estimate(q) {
    // The planner's row counts when every partition has them: a count(*) of 1.5 million rows
    // would hold PGlite's one connection for half a second. Else (never analyzed) an exact count.
    const planned = await q.query<{ n: string | null; unknown: boolean }>(
      `SELECT sum(greatest(c.reltuples, 0))::bigint AS n, bool_or(c.reltuples < 0) AS unknown
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'resources'::regclass`,
    );
    if (planned.rows[0] && !planned.rows[0].unknown) return Number(planned.rows[0].n ?? 0);
    const res = await q.query<{ n: string }>(`SELECT count(*) AS n FROM resources WHERE size_bytes IS NULL`);
    return Number(res.rows[0]?.n ?? 0);
  },
  async batch(q, cursor, size) {
    const ids = await q.query<{ id: string }>(`SELECT id FROM resources WHERE repository_id = $1 AND id > $2 ORDER BY id LIMIT $3`, [
      cursor.repositoryId,
      cursor.id,
      size,
    ]);
    const batch = ids.rows.map((r) => Number(r.id));
    const res = batch.length
      ? await q.query(`UPDATE resources SET size_bytes = octet_length(content) WHERE repository_id = $1 AND id = ANY($2::bigint[]) AND size_bytes IS NULL`, [
          cursor.repositoryId,
          batch,
        ])
      : { affectedRows: 0 };
    if (batch.length === size) return { rows: res.affectedRows ?? 0, next: { repositoryId: cursor.repositoryId, id: batch[batch.length - 1]! } };
    // This repository is done: on to the next one that has rows (an unregistered one's rows too).
    const next = await q.query<{ id: string | null }>(`SELECT min(repository_id) AS id FROM resources WHERE repository_id > $1`, [cursor.repositoryId]);
    const repositoryId = next.rows[0]?.id;
    return { rows: res.affectedRows ?? 0, next: repositoryId == null ? undefined : { repositoryId: Number(repositoryId), id: 0 } };
  },
};

const JOBS: Record<string, Job> = { resource_sizes: resourceSizes };

interface Row {
  name: string;
  description: string;
  status: BackgroundMigrationStatus['status'];
  cursor: Cursor | null;
  rows_done: string;
  rows_total: string | null;
  error: string | null;
  finished_at: Date | null;
}

function toStatus(r: Row): BackgroundMigrationStatus {
  const done = Number(r.rows_done);
  const total = r.rows_total == null ? undefined : Number(r.rows_total);
  const percent = r.status === 'finished' ? 100 : total ? Math.min(99, Math.floor((done / total) * 100)) : 0;
  return {
    name: r.name,
    description: r.description,
    status: r.status,
    rowsDone: done,
    ...(total !== undefined ? { rowsTotal: total } : {}),
    percent,
    ...(r.error ? { error: r.error } : {}),
    ...(r.finished_at ? { finishedAt: new Date(r.finished_at).toISOString() } : {}),
  };
}

export async function backgroundMigrations(q: Queryable): Promise<BackgroundMigrationStatus[]> {
  const res = await q.query<Row>(`SELECT * FROM background_migrations ORDER BY created_at, name`);
  return res.rows.map(toStatus);
}

export interface RunOptions {
  batchSize?: number;
  /** Asked between batches: true stops the run (foreground work wants the database). */
  shouldStop?: () => boolean;
  onProgress?: (s: BackgroundMigrationStatus) => void;
}

/** One batch of `name`, in one transaction; false when there was nothing to do (finished, failed, or another process has it). */
async function step(db: Database, name: string, job: Job, size: number): Promise<BackgroundMigrationStatus | undefined> {
  try {
    return await db.transaction(async (tx) => {
      const locked = await tx.query<Row>(`SELECT * FROM background_migrations WHERE name = $1 AND status = 'active' FOR UPDATE SKIP LOCKED`, [name]);
      const row = locked.rows[0];
      if (!row) return undefined;
      let cursor = row.cursor;
      let total = row.rows_total;
      let result: { rows: number; next?: Cursor };
      if (cursor) result = await job.batch(tx, cursor, size);
      else {
        // The first batch: estimate the work, and start at the lowest repository (none: nothing to do).
        total = String(await job.estimate(tx));
        const start = await tx.query<{ id: string | null }>(`SELECT min(repository_id) AS id FROM resources`);
        cursor = { repositoryId: Number(start.rows[0]?.id ?? 0), id: 0 };
        result = start.rows[0]?.id == null ? { rows: 0 } : await job.batch(tx, cursor, size);
      }
      const { rows, next } = result;
      const updated = await tx.query<Row>(
        `UPDATE background_migrations
            SET cursor = $2, rows_done = rows_done + $3, rows_total = $4, updated_at = now(),
                status = CASE WHEN $5 THEN 'finished' ELSE status END,
                finished_at = CASE WHEN $5 THEN now() ELSE NULL END
          WHERE name = $1 RETURNING *`,
        [name, next ? JSON.stringify(next) : JSON.stringify(cursor), rows, total, next === undefined],
      );
      return toStatus(updated.rows[0]!);
    });
  } catch (e) {
    // A batch that cannot run says why and stops; the rows it had are untouched (the transaction rolled back).
    await db.query(`UPDATE background_migrations SET status = 'failed', error = $2, updated_at = now() WHERE name = $1`, [name, (e as Error).message]);
    throw e;
  }
}

/** Runs every active background migration until done or told to stop; returns their statuses. */
export async function runBackgroundMigrations(db: Database, opts: RunOptions = {}): Promise<BackgroundMigrationStatus[]> {
  const size = opts.batchSize ?? 2_000;
  for (const { name, status } of await backgroundMigrations(db)) {
    const job = JOBS[name];
    if (status !== 'active' || !job) continue;
    for (;;) {
      if (opts.shouldStop?.()) return backgroundMigrations(db);
      const s = await step(db, name, job, size);
      if (!s) break;
      opts.onProgress?.(s);
      if (s.status !== 'active') break;
      // Let other work in between batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return backgroundMigrations(db);
}

/**
 * Runs the jobs in the background of a long-lived front door, while the
 * database is idle (on PGlite, one connection: a window's read must never wait
 * for a batch), and stops at the next foreground call. Its own statements do
 * not count as use (activity.ts).
 */
export class BackgroundMigrationRunner {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly db: Database,
    private readonly opts: { idleMs?: number; everyMs?: number; onProgress?: (s: BackgroundMigrationStatus) => void; onError?: (e: unknown) => void } = {},
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.tick(), this.opts.everyMs ?? 2_000);
    this.timer.unref?.();
  }

  private tick(): void {
    const idleMs = this.opts.idleMs ?? 1_000;
    if (this.running || this.db.idleForMs() < idleMs) return;
    // Small batches on PGlite: a window's read that arrives mid-batch waits for it.
    const batchSize = this.db.kind === 'pglite' ? 500 : 2_000;
    this.running = asUpkeep(() =>
      runBackgroundMigrations(this.db, { batchSize, shouldStop: () => this.db.idleForMs() < idleMs, onProgress: this.opts.onProgress }),
    )
      .then((statuses) => {
        // Nothing left to do: stop asking.
        if (statuses.every((s) => s.status !== 'active')) this.stopTimer();
      })
      .catch((e) => this.opts.onError?.(e))
      .finally(() => (this.running = undefined));
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async stop(): Promise<void> {
    this.stopTimer();
    await this.running;
  }
}

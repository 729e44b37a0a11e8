// Deletes what was marked pending_destruction, as GitLab's cache-entry cleanup
// does: destroying is a status update (unregister, rpkg del, sync, a cleanup
// policy), and this worker removes the rows later, in bounded batches, each
// inside one partition (`repository_id = $1`), so no statement ever holds a
// long lock or a huge transaction.
//
// Three kinds of pending rows:
//   - repositories (unregister): their revisions are still 'default'; they are
//     marked in batches by id, deleted in claimed batches, then the packages,
//     the local clone and the repository row go;
//   - package_revisions (sync, rpkg del): deleted with their resources;
//   - resources on their own (a cleanup policy evicting old published
//     revisions' files): the revision row stays.
//
// A claim is one transaction: SELECT ... FOR UPDATE SKIP LOCKED, UPDATE to
// 'processing' (with claimed_at), RETURNING the ids. The delete is a second
// transaction. So two workers on one PostgreSQL never take the same row, and a
// worker that dies between the two leaves rows in 'processing' that are handed
// back after reclaimAfterMs. A batch that cannot be deleted is set 'error'
// with the reason, and stays there (never retried in a loop); reads see only
// 'default' rows, so none of these states is ever visible.
//
// PGlite deletes directly (deleteDirect): its directory is locked to one
// process and runs are serialised in it, so there is no other worker to claim
// rows against, and each claim was a second transaction writing every row
// (an unregistered repository's revisions are not even marked first). PGlite
// also runs each statement on this thread, so the worker steps aside between
// transactions (stepAside) and keeps each one short: a window's read waits for
// at most one of them. A cleanup of 10,000 revisions at 100,000 went from
// 33,000 to 55,000 rows/s, and the reads meanwhile from 30 to 8 ms at p99.
import fs from 'node:fs';
import type { Database, Queryable } from '../db/database.ts';
import { sqlState } from '../db/errors.ts';

export type CleanupTable = 'repositories' | 'package_revisions' | 'resources';

/** One claim: the rows a worker took, all of one repository. */
export interface CleanupBatch {
  table: CleanupTable;
  repositoryId: number;
  ids: number[];
}

export interface CleanupError {
  /** The table whose claimed rows were set 'error'; 'vacuum' when only the VACUUM failed. */
  table: CleanupTable | 'vacuum';
  repositoryId?: number;
  ids: number[];
  reason: string;
}

export interface CleanupResult {
  revisionsDeleted: number;
  repositoriesDeleted: number;
  /** Resources of deleted revisions and resources deleted on their own. */
  resourcesDeleted: number;
  packagesDeleted: number;
  /** Every row deleted, all tables: what VACUUM has to reclaim. */
  rowsDeleted: number;
  /** Batches set 'error', with the reason stored in status_reason. */
  errors: CleanupError[];
  /** PGlite: whether this run ended with a VACUUM. */
  vacuumed: boolean;
  /** The signal stopped the run before everything was done. */
  stopped: boolean;
}

export interface CleanupOptions {
  /** Rows per claim and per statement (default 500). */
  batchSize?: number;
  /** Only this repository's revisions and resources (after its sync); unregistered repositories are always included. */
  repositoryId?: number;
  /** Local clone directory of a repository id, removed with the repository. */
  cloneDirFor?: (repositoryId: number) => string;
  /** Rows left 'processing' longer than this (a worker crashed) are pending again (default 10 minutes). */
  reclaimAfterMs?: number;
  /** Checked between batches: a claimed batch is always finished, an unfinished repository handed back. */
  signal?: AbortSignal;
  /** Called with every claim (logging, progress, tests). */
  onBatch?: (batch: CleanupBatch) => void;
  /**
   * PGlite: VACUUM the partitions that lost rows at the end of the run
   * (default true). The service's background worker passes false: its
   * PgliteUpkeep vacuums them once nobody is waiting on the one connection.
   */
  vacuum?: boolean;
}

export const DEFAULT_BATCH_SIZE = 500;
/**
 * On PGlite, what one batch may hold the only connection (and the thread) for,
 * and the smallest batch. A read that arrives meanwhile waits for it and then
 * takes 2-4 ms itself: 4 ms keeps that under 10 ms.
 */
const BATCH_TARGET_MS = 4;
const MIN_ADAPTIVE_BATCH = 5;
export const DEFAULT_RECLAIM_AFTER_MS = 10 * 60_000;

/** PGlite: a VACUUM costs a pass over the tables; worth it once enough rows died. */
const VACUUM_AFTER_ROWS = 500;

// Rows that died since this database's last VACUUM, across runs: a worker
// deleting a few rows per run must still get a VACUUM once they add up.
const deadSinceVacuum = new WeakMap<Database, number>();

// The run in progress (or queued last) per database: one run at a time in a
// process, whether the service calls runCleanup after an unregister or the
// background worker's timer fires.
const runs = new WeakMap<Database, Promise<unknown>>();

// Reasons land in status_reason; an engine message can quote a whole statement.
const MAX_REASON = 1000;

// A claim older than reclaimAfterMs (in seconds, always parameter $1): its
// worker died between claim and delete. The clock is the database's, the one
// every worker on a shared PostgreSQL agrees on.
const staleClaim = (seconds: string) => `(claimed_at IS NULL OR claimed_at < now() - make_interval(secs => ${seconds}))`;
const STALE_CLAIM = staleClaim('$1');

/**
 * Is there anything to clean up? An existence check per table (GitLab's
 * `SELECT 1 ... LIMIT 1`), answered from the partial status indexes, which
 * hold only rows that are not 'default'. 'error' rows are not work: they wait
 * for a person. One table per statement, the small repositories table first:
 * an unregistered repository answers without planning the 16 partitions of
 * the others, and on PGlite a read may go between two (a single statement
 * over all three tables held it for 13-35 ms).
 */
export async function hasCleanupWork(q: Queryable, opts: Pick<CleanupOptions, 'reclaimAfterMs'> = {}): Promise<boolean> {
  for (const table of ['repositories', 'package_revisions', 'resources'] as const) {
    if (await workIn(q, table, reclaimSeconds(opts))) return true;
    await stepAside(q);
  }
  return false;
}

async function workIn(q: Queryable, table: CleanupTable, reclaimS: number): Promise<boolean> {
  const rows = await acrossPartitions<{ work: boolean }>(
    q,
    `work_${table}`,
    (seconds) => `SELECT EXISTS (SELECT 1 FROM ${table} WHERE status IN ('pending_destruction', 'processing')
                    AND (status = 'pending_destruction' OR ${staleClaim(seconds)})) AS work`,
    reclaimS,
  );
  return rows[0]?.work === true;
}

/**
 * The worker's statements over every partition of a table. PGlite plans
 * every statement it is sent, and planning one over 16 partitions costs 5 to
 * 50 ms there (it asks the file system for the size of every partition and of
 * each of their indexes), where running it costs 0.5 ms. So on PGlite each is
 * prepared once per connection and run with EXECUTE, which keeps the plan.
 * PGlite's EXECUTE cannot bind parameters, so the one value, the reclaim time
 * (seconds, a number from the options), is written into the statement and
 * its name; `sql` gets the expression to use for it.
 */
async function acrossPartitions<Row>(q: Queryable, key: string, sql: (seconds: string) => string, seconds: number): Promise<Row[]> {
  if ((q as Partial<Database>).kind !== 'pglite' || !Number.isFinite(seconds)) return (await q.query<Row>(sql('$1'), [seconds])).rows;
  const name = `porchlight_cleanup_${key}_${String(seconds).replace(/\W/g, '_')}`;
  try {
    return (await q.query<Row>(`EXECUTE ${name}`)).rows;
  } catch (e) {
    if (sqlState(e) !== '26000') throw e; // not prepared yet on this connection
  }
  try {
    await q.query(`PREPARE ${name} AS ${sql(`${seconds}::float8`)}`);
  } catch (e) {
    if (sqlState(e) !== '42P05') throw e; // prepared meanwhile
  }
  return (await q.query<Row>(`EXECUTE ${name}`)).rows;
}

/**
 * How many rows are marked, counting at most `limit` (GitLab's limited count):
 * enough to say "a few" or "more than 1000" without counting a huge backlog.
 * An unregistered repository counts once, its revisions only once marked.
 */
export async function countCleanupWork(q: Queryable, limit = 1000): Promise<number> {
  const res = await q.query<{ n: number }>(
    `SELECT count(*)::integer AS n FROM (
        SELECT 1 FROM repositories WHERE status = 'pending_destruction'
        UNION ALL SELECT 1 FROM package_revisions WHERE status = 'pending_destruction'
        UNION ALL SELECT 1 FROM resources WHERE status = 'pending_destruction'
        LIMIT $1) s`,
    [limit],
  );
  return res.rows[0]?.n ?? 0;
}

/** Deletes everything marked for destruction; waits for a run already in progress on `db`. */
export function runCleanup(db: Database, opts: CleanupOptions = {}): Promise<CleanupResult> {
  return serialised(db, () => cleanup(db, opts, true));
}

function serialised<T>(db: Database, fn: () => Promise<T>): Promise<T> {
  const run = (runs.get(db) ?? Promise.resolve()).then(fn, fn);
  runs.set(db, run);
  const clear = () => {
    if (runs.get(db) === run) runs.delete(db);
  };
  run.then(clear, clear);
  return run;
}

interface Run {
  db: Database;
  opts: CleanupOptions;
  batchSize: number;
  /** Rows claimed and deleted at a time: batchSize, or sized by time on PGlite (see BatchSizer). */
  deletes: BatchSizer;
  adaptive: boolean;
  /** PGlite: rows are deleted without a claim (deleteDirect). */
  direct: boolean;
  /** Repositories whose rows this run deleted: their partitions are the ones to VACUUM. */
  touched: Set<number>;
  reclaimS: number;
  result: CleanupResult;
}

async function cleanup(db: Database, opts: CleanupOptions, checkFirst: boolean): Promise<CleanupResult> {
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`cleanup batch size must be a positive integer, not ${batchSize}`);
  const result: CleanupResult = {
    revisionsDeleted: 0,
    repositoriesDeleted: 0,
    resourcesDeleted: 0,
    packagesDeleted: 0,
    rowsDeleted: 0,
    errors: [],
    vacuumed: false,
    stopped: false,
  };
  const direct = db.kind === 'pglite';
  const adaptive = direct && opts.batchSize === undefined;
  const run: Run = {
    db,
    opts,
    batchSize,
    deletes: new BatchSizer(batchSize, adaptive, direct),
    adaptive,
    direct,
    touched: new Set(),
    reclaimS: reclaimSeconds(opts),
    result,
  };
  // Called after every sync and delete: most of the time there is nothing to do,
  // and one cheap statement says so.
  if (checkFirst && !(await hasCleanupWork(db, opts))) return result;

  await destroyRepositories(run);
  for (const table of ['package_revisions', 'resources'] as const) {
    for (const repositoryId of await repositoriesWithWork(run, table)) {
      await releaseStaleClaims(run, table, repositoryId);
      await stepAside(db);
      await deleteClaimedBatches(run, table, repositoryId);
    }
  }
  result.stopped = aborted(run);
  if (opts.vacuum !== false) await vacuumIfWorthIt(run);
  return result;
}

// ---- claims ------------------------------------------------------------------

/**
 * Rows a crashed worker left 'processing' in one repository's partition are
 * pending again. Few rows (at most a batch per crash), found through the
 * partial status index.
 */
async function releaseStaleClaims(run: Run, table: 'package_revisions' | 'resources', repositoryId: number): Promise<void> {
  await run.db.query(
    `UPDATE ${table} SET status = 'pending_destruction', claimed_at = NULL
      WHERE repository_id = $2 AND status = 'processing' AND ${STALE_CLAIM}`,
    [run.reclaimS, repositoryId],
  );
}

/**
 * Takes up to batchSize pending rows of one repository (so one partition):
 * rows another worker holds are skipped, not waited for. Each claim is its own
 * short transaction, and `also` runs inside it (a repository's heartbeat).
 */
async function claim(
  run: Run,
  table: 'package_revisions' | 'resources',
  repositoryId: number,
  also: ((tx: Queryable) => Promise<void>) | undefined,
  size: number,
): Promise<number[]> {
  const ids = await run.db.transaction(async (tx) => {
    await also?.(tx);
    // No ORDER BY: the partial status index hands out exactly the pending rows,
    // and LIMIT stops after batchSize of them; sorting would read them all.
    const res = await tx.query<{ id: number }>(
      `WITH c AS MATERIALIZED (
          SELECT id FROM ${table} WHERE repository_id = $1 AND status = 'pending_destruction'
           LIMIT $2 FOR UPDATE SKIP LOCKED)
        UPDATE ${table} t SET status = 'processing', claimed_at = now()
          FROM c WHERE t.repository_id = $1 AND t.id = c.id
        RETURNING t.id`,
      [repositoryId, size],
    );
    return res.rows.map((r) => r.id);
  });
  if (ids.length > 0) run.opts.onBatch?.({ table, repositoryId, ids });
  return ids;
}

/** Claims and deletes one repository's pending rows of `table` until none are left to take. */
async function deleteClaimedBatches(
  run: Run,
  table: 'package_revisions' | 'resources',
  repositoryId: number,
  also?: (tx: Queryable) => Promise<void>,
): Promise<void> {
  // Fewer than asked ends it: the rest is held by another worker, or gone.
  await run.deletes.loop(
    () => !aborted(run),
    async (size) => {
      if (run.direct) {
        const pending = `SELECT id FROM ${table} WHERE repository_id = $1 AND status = 'pending_destruction' LIMIT $2`;
        return (await deleteDirect(run, table, repositoryId, also, pending, [repositoryId, size])).length;
      }
      const ids = await claim(run, table, repositoryId, also, size);
      if (ids.length > 0) await deleteClaimed(run, table, repositoryId, ids);
      return ids.length;
    },
  );
}

/**
 * PGlite: picks rows (`pick`, its first parameter the repository) and deletes
 * them in one transaction, never setting them 'processing'. Nothing else can
 * take them (see the top of the file); a claim cost a transaction and a write
 * of every row, and a status update fires the latest-flag trigger. A batch
 * that fails is claimed and deleted the two-step way instead, which sets the
 * rows it cannot delete to 'error' with the reason. Returns the ids picked.
 */
async function deleteDirect(
  run: Run,
  table: 'package_revisions' | 'resources',
  repositoryId: number,
  also: ((tx: Queryable) => Promise<void>) | undefined,
  pick: string,
  params: unknown[],
): Promise<number[]> {
  let ids: number[] = [];
  try {
    const counts = await run.db.transaction(async (tx) => {
      await customPlansOnly(tx);
      await also?.(tx);
      ids = (await tx.query<{ id: number }>(pick, params)).rows.map((r) => r.id);
      if (ids.length > 0) run.opts.onBatch?.({ table, repositoryId, ids });
      return ids.length > 0 ? deleteRows(tx, table, repositoryId, ids) : undefined;
    });
    if (counts) count(run, repositoryId, counts);
  } catch (e) {
    if (e instanceof LostClaim || ids.length === 0) throw e;
    const res = await run.db.query<{ id: number }>(
      `UPDATE ${table} SET status = 'processing', claimed_at = now() WHERE repository_id = $1 AND id = ANY($2::bigint[]) RETURNING id`,
      [repositoryId, ids],
    );
    if (res.rows.length > 0)
      await deleteClaimed(
        run,
        table,
        repositoryId,
        res.rows.map((r) => r.id),
      );
  }
  return ids;
}

/**
 * Rows per statement. PGlite has one connection: a window's read waits behind
 * whatever batch is running, and a batch of 500 revisions (8,000 resource
 * rows) held reads for seconds. So with the default size, batches there are
 * sized to take about BATCH_TARGET_MS each and the worker steps aside between
 * them. PostgreSQL reads other partitions meanwhile, so its batches stay
 * whole; an explicit batchSize is kept as given. Each kind of statement
 * (marking, deleting, packages) has its own sizer: their costs per row differ
 * a hundredfold.
 */
class BatchSizer {
  size: number;

  constructor(
    private readonly max: number,
    private readonly adaptive: boolean,
    /** PGlite: step aside between steps, whatever their size. */
    private readonly yields: boolean,
  ) {
    this.size = adaptive ? MIN_ADAPTIVE_BATCH : max;
  }

  /**
   * Runs `step` with the current size while `keepGoing` says so, until a step
   * does fewer rows than it was given (nothing left to take). Between steps it
   * resizes and lets waiting reads go first.
   */
  async loop(keepGoing: () => boolean, step: (size: number) => Promise<number>): Promise<void> {
    while (keepGoing()) {
      const asked = this.size;
      const started = performance.now();
      const done = await step(asked);
      if (done < asked) return;
      await this.after(done, performance.now() - started);
    }
  }

  private async after(done: number, ms: number): Promise<void> {
    if (this.adaptive) {
      const next = Math.round((Math.max(done, 1) * BATCH_TARGET_MS) / Math.max(ms, 1));
      this.size = Math.min(this.max, Math.max(MIN_ADAPTIVE_BATCH, next));
    }
    if (this.yields) await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * PGlite: the statements the deletes set off (the triggers of 001, the
 * foreign keys' cascades) keep their plans, and at their sixth run PostgreSQL
 * plans each once more for any repository, over all 16 partitions: 20-50 ms
 * in one statement on PGlite, once per statement and process. Planning for
 * the one partition at hand every time costs a fraction of a millisecond.
 */
async function customPlansOnly(tx: Queryable): Promise<void> {
  await tx.exec('SET LOCAL plan_cache_mode = force_custom_plan');
}

/**
 * PGlite runs a statement synchronously on this thread, and a chain of them
 * only ever awaits promises that are already settled: no timer, so no
 * window's read, runs until the chain ends. One turn of the event loop here
 * lets whatever fell due meanwhile go first.
 */
async function stepAside(q: Queryable): Promise<void> {
  if ((q as Partial<Database>).kind === 'pglite') await new Promise<void>((resolve) => setImmediate(resolve));
}

async function deleteClaimed(run: Run, table: 'package_revisions' | 'resources', repositoryId: number, ids: number[]): Promise<void> {
  try {
    count(run, repositoryId, await run.db.transaction((tx) => deleteRows(tx, table, repositoryId, ids, 'processing')));
  } catch (e) {
    await markError(run, table, repositoryId, ids, reasonOf(e));
  }
}

/** Deletes rows of `table` by id (those still in `status`, when given), and the resources of revisions. */
async function deleteRows(tx: Queryable, table: 'package_revisions' | 'resources', repositoryId: number, ids: number[], status?: 'processing') {
  const only = status ? ` AND status = '${status}'` : '';
  if (table === 'resources') {
    const res = await tx.query(`DELETE FROM resources WHERE repository_id = $1 AND id = ANY($2::bigint[])${only}`, [repositoryId, ids]);
    return { revisions: 0, resources: res.affectedRows };
  }
  // The statement trigger of 001 would delete these resources with their
  // revisions anyway; deleting them first, through the same index, is what
  // lets the result (and the VACUUM threshold) count them.
  const resources = await tx.query(`DELETE FROM resources WHERE repository_id = $1 AND package_revision_id = ANY($2::bigint[])`, [repositoryId, ids]);
  const revisions = await tx.query(`DELETE FROM package_revisions WHERE repository_id = $1 AND id = ANY($2::bigint[])${only}`, [repositoryId, ids]);
  return { revisions: revisions.affectedRows, resources: resources.affectedRows };
}

function count(run: Run, repositoryId: number, counts: { revisions: number; resources: number }): void {
  run.touched.add(repositoryId);
  run.result.revisionsDeleted += counts.revisions;
  run.result.resourcesDeleted += counts.resources;
  run.result.rowsDeleted += counts.revisions + counts.resources;
}

/**
 * The claimed rows stay, marked 'error' with the reason, and are never claimed
 * again by themselves. If even this fails (the database went away), they stay
 * 'processing' and come back after reclaimAfterMs.
 */
async function markError(run: Run, table: CleanupTable, repositoryId: number, ids: number[], reason: string): Promise<void> {
  run.result.errors.push({ table, repositoryId, ids, reason });
  if (table === 'repositories') {
    await run.db.query(`UPDATE repositories SET status = 'error', status_reason = $2 WHERE id = ANY($1::bigint[]) AND status = 'processing'`, [ids, reason]);
  } else {
    await run.db.query(
      `UPDATE ${table} SET status = 'error', status_reason = $3 WHERE repository_id = $1 AND id = ANY($2::bigint[]) AND status = 'processing'`,
      [repositoryId, ids, reason],
    );
  }
}

// ---- repositories ------------------------------------------------------------

/** Another worker took the repository back (this one was presumed dead). */
class LostClaim extends Error {}

/** Unregistered repositories, one at a time: each is a long series of short batches. */
async function destroyRepositories(run: Run): Promise<void> {
  while (!aborted(run)) {
    const claimed = await run.db.transaction(async (tx) => {
      const res = await tx.query<{ id: number }>(
        `WITH c AS MATERIALIZED (
            SELECT id FROM repositories WHERE status = 'pending_destruction' OR (status = 'processing' AND ${STALE_CLAIM})
             ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
          UPDATE repositories r SET status = 'processing', claimed_at = now() FROM c WHERE r.id = c.id
          RETURNING r.id`,
        [run.reclaimS],
      );
      return res.rows[0]?.id;
    });
    if (claimed === undefined) return;
    run.opts.onBatch?.({ table: 'repositories', repositoryId: claimed, ids: [claimed] });
    await stepAside(run.db);
    await destroyRepository(run, claimed);
    await stepAside(run.db);
  }
}

async function destroyRepository(run: Run, id: number): Promise<void> {
  run.touched.add(id);
  // Every batch renews the repository's claim; if another worker took it back
  // meanwhile (we were presumed dead), stop touching it. On PGlite there is
  // no other worker, and a renewal a tenth of reclaimAfterMs apart is enough.
  let ours = true;
  let renewedAt = Number.NEGATIVE_INFINITY;
  const heartbeat = async (tx: Queryable) => {
    if (run.direct && performance.now() - renewedAt < run.reclaimS * 100) return;
    const res = await tx.query(`UPDATE repositories SET claimed_at = now() WHERE id = $1 AND status = 'processing'`, [id]);
    if (res.affectedRows === 0) ours = false;
    renewedAt = performance.now();
  };
  const stillOurs = async (tx: Queryable) => {
    await heartbeat(tx);
    if (!ours) throw new LostClaim();
  };

  const errorsBefore = run.result.errors.length;
  try {
    if (run.direct) {
      // 1 and 2 at once on PGlite (see deleteRevisionsOf).
      await deleteRevisionsOf(run, id, stillOurs);
    } else {
      // 1. Mark its revisions, still 'default', in batches.
      await markRevisionsOf(run, id, heartbeat, () => ours);
      // 2. Delete them in claimed batches, like any pending revision (with those
      //    a crashed worker left 'processing').
      if (ours && !aborted(run)) {
        await releaseStaleClaims(run, 'package_revisions', id);
        await deleteClaimedBatches(run, 'package_revisions', id, stillOurs);
      }
    }
  } catch (e) {
    if (!(e instanceof LostClaim)) {
      // A failure that is not one batch's (a mark or a claim refused): retrying
      // every reclaimAfterMs would fail the same way.
      if (ours) await markError(run, 'repositories', id, [id], reasonOf(e));
      return;
    }
  }
  if (!ours) return;
  if (aborted(run)) {
    // Hand it back now rather than after reclaimAfterMs: the next run goes on
    // where this one stopped (the marked revisions stay marked).
    await run.db.query(`UPDATE repositories SET status = 'pending_destruction', claimed_at = NULL WHERE id = $1 AND status = 'processing'`, [id]);
    return;
  }
  const failed = run.result.errors.slice(errorsBefore).filter((e) => e.table === 'package_revisions' && e.repositoryId === id);
  if (failed.length > 0) {
    // Deleting the repository now would cascade onto those rows in one long
    // statement and fail the same way.
    const count = failed.reduce((n, e) => n + e.ids.length, 0);
    await markError(run, 'repositories', id, [id], `${count} package revision(s) could not be deleted: ${failed[0]!.reason}`);
    return;
  }

  // 3. The local clone, before the row: once the row is gone nothing would
  //    record that a directory was left behind.
  if (run.opts.cloneDirFor) {
    let dir: string | undefined;
    try {
      dir = run.opts.cloneDirFor(id);
      await fs.promises.rm(dir, { recursive: true, force: true });
    } catch (e) {
      await markError(run, 'repositories', id, [id], `cannot remove the local clone${dir ? ` ${dir}` : ''}: ${reasonOf(e)}`);
      return;
    }
  }

  // 4. Packages in batches too (each one's foreign key probes package_revisions,
  //    by now empty for this repository), then the row itself.
  try {
    await new BatchSizer(run.batchSize, run.adaptive, run.direct).loop(
      () => true,
      async (size) => {
        const res = await run.db.transaction(async (tx) => {
          if (run.direct) await customPlansOnly(tx);
          await heartbeat(tx);
          return tx.query(`DELETE FROM packages WHERE repository_id = $1 AND id IN (SELECT id FROM packages WHERE repository_id = $1 ORDER BY id LIMIT $2)`, [
            id,
            size,
          ]);
        });
        run.result.packagesDeleted += res.affectedRows;
        run.result.rowsDeleted += res.affectedRows;
        return res.affectedRows;
      },
    );
    // Its foreign keys cascade into every table that names it (5-13 ms the
    // first time in a process, on PGlite): a read that fell due goes first.
    await stepAside(run.db);
    const res = await run.db.query(`DELETE FROM repositories WHERE id = $1 AND status = 'processing'`, [id]);
    run.result.repositoriesDeleted += res.affectedRows;
    run.result.rowsDeleted += res.affectedRows;
  } catch (e) {
    await markError(run, 'repositories', id, [id], reasonOf(e));
  }
}

/**
 * Step 1 of an unregistered repository: its revisions are still 'default'
 * (unregister is one short statement on the repository row), so mark them in
 * batches, walking the primary key (repository_id, id). 'error' rows are taken
 * too: the whole repository is going.
 */
async function markRevisionsOf(run: Run, id: number, heartbeat: (tx: Queryable) => Promise<void>, ours: () => boolean): Promise<void> {
  let after = 0;
  await new BatchSizer(run.batchSize, run.adaptive, run.direct).loop(
    () => ours() && !aborted(run),
    async (size) => {
      const marked = await run.db.transaction(async (tx) => {
        await heartbeat(tx);
        if (!ours()) return [];
        const res = await tx.query<{ id: number }>(
          `UPDATE package_revisions SET status = 'pending_destruction', status_reason = 'repository unregistered', updated_at = now()
            WHERE repository_id = $1 AND id IN (
              SELECT id FROM package_revisions WHERE repository_id = $1 AND id > $2 AND status IN ('default', 'error')
               ORDER BY id LIMIT $3)
            RETURNING id`,
          [id, after, size],
        );
        return res.rows.map((r) => r.id);
      });
      after = marked.reduce((max, x) => Math.max(max, x), after);
      return marked.length;
    },
  );
}

/**
 * PGlite, steps 1 and 2 of an unregistered repository at once: its revisions,
 * whatever their status, deleted in batches walking the primary key
 * (repository_id, id). Marking them first wrote every row once more, and
 * fired the latest-flag trigger, only to tell other workers about them.
 */
async function deleteRevisionsOf(run: Run, id: number, also: (tx: Queryable) => Promise<void>): Promise<void> {
  let after = 0;
  await run.deletes.loop(
    () => !aborted(run),
    async (size) => {
      const pick = `SELECT id FROM package_revisions WHERE repository_id = $1 AND id > $2 ORDER BY id LIMIT $3`;
      const ids = await deleteDirect(run, 'package_revisions', id, also, pick, [id, after, size]);
      after = ids.reduce((max, x) => Math.max(max, x), after);
      return ids.length;
    },
  );
}

// ---- helpers -----------------------------------------------------------------

/**
 * Repositories with work in `table`, as GitLab's worker finds groups: walk
 * the (short) repositories table and probe each repository's own partition
 * through the partial status index, stopping at the first row. The cost
 * follows the number of repositories, not the size of the backlog, and every
 * probe names its partition.
 *
 * An unregistered repository's rows are left to the worker that claimed the
 * repository: it deletes its packages (and so, by cascade, any revision still
 * there) once its batches are done, and must not meet another worker's claim.
 */
async function repositoriesWithWork(run: Run, table: 'package_revisions' | 'resources'): Promise<number[]> {
  if (aborted(run)) return [];
  await stepAside(run.db);
  const only = run.opts.repositoryId;
  // Most runs (an unregister, an idle tick) find nothing here: the existence
  // check is a far smaller plan to make the first time (5 ms against 15 on PGlite).
  if (only === undefined) {
    if (!(await workIn(run.db, table, run.reclaimS))) return [];
    await stepAside(run.db);
  }
  const sql = (seconds: string) =>
    `SELECT r.id FROM repositories r
      WHERE r.status NOT IN ('pending_destruction', 'processing') ${only === undefined ? '' : 'AND r.id = $2'}
        AND (EXISTS (SELECT 1 FROM ${table} WHERE status = 'pending_destruction' AND repository_id = r.id)
          OR EXISTS (SELECT 1 FROM ${table} WHERE status = 'processing' AND repository_id = r.id AND ${staleClaim(seconds)}))
      ORDER BY r.id`;
  // One repository's (after its sync) names its id: planned each time, as a parameter.
  const rows =
    only === undefined
      ? await acrossPartitions<{ id: number }>(run.db, `repositories_with_${table}`, sql, run.reclaimS)
      : (await run.db.query<{ id: number }>(sql('$1'), [run.reclaimS, only])).rows;
  return rows.map((r) => Number(r.id));
}

/** Partition numbers with dead rows not yet vacuumed, per database (they add up across runs). */
const partitionsToVacuum = new WeakMap<Database, Set<number>>();

async function vacuumIfWorthIt(run: Run): Promise<void> {
  const { db, result } = run;
  if (db.kind !== 'pglite') return;
  const dead = (deadSinceVacuum.get(db) ?? 0) + result.rowsDeleted;
  const partitions = partitionsToVacuum.get(db) ?? new Set<number>();
  partitionsToVacuum.set(db, partitions);
  for (const id of run.touched) {
    const res = await db.query<{ r: number }>(
      `SELECT r FROM generate_series(0, 15) r WHERE satisfies_hash_partition('package_revisions'::regclass, 16, r, $1::bigint)`,
      [id],
    );
    for (const row of res.rows) partitions.add(Number(row.r));
  }
  if (dead < VACUUM_AFTER_ROWS) {
    deadSinceVacuum.set(db, dead);
    return;
  }
  // PGlite never autovacuums: without this, deleted rows stay on disk for ever.
  // Only the partitions that lost rows: a VACUUM of all of resources (1.5
  // million rows) held PGlite's one connection, and every read, for 10 s.
  const tables = [...partitions].sort((a, b) => a - b).flatMap((r) => [`resources_p${r}`, `package_revisions_p${r}`]);
  try {
    await db.exec(`VACUUM ANALYZE ${[...tables, 'packages', 'repositories'].join(', ')}`);
    partitions.clear();
    deadSinceVacuum.set(db, 0);
    result.vacuumed = true;
  } catch (e) {
    deadSinceVacuum.set(db, dead);
    result.errors.push({ table: 'vacuum', ids: [], reason: reasonOf(e) });
  }
}

function reclaimSeconds(opts: Pick<CleanupOptions, 'reclaimAfterMs'>): number {
  return (opts.reclaimAfterMs ?? DEFAULT_RECLAIM_AFTER_MS) / 1000;
}

function aborted(run: Run): boolean {
  return run.opts.signal?.aborted === true;
}

function reasonOf(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.length > MAX_REASON ? `${message.slice(0, MAX_REASON - 1)}…` : message;
}

// ---- the background worker ---------------------------------------------------

export type CleanupOutcome = { ok: true; result: CleanupResult } | { ok: false; error: unknown };

export interface CleanupWorkerOptions extends Omit<CleanupOptions, 'signal' | 'repositoryId'> {
  /** Every run that found work, and every failure (the worker itself never throws). */
  onResult?: (outcome: CleanupOutcome) => void;
}

/**
 * Runs the cleanup in the background: every `intervalMs`, and soon after
 * kick() (an unregister, a delete, a sync that marked rows). One run at a
 * time; a kick during a run makes one more run after it. Each tick first asks
 * hasCleanupWork, so an idle worker costs one small statement per interval.
 */
export class CleanupWorker {
  private interval: ReturnType<typeof setInterval> | undefined;
  private soon: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private abort = new AbortController();

  constructor(
    private readonly db: Database,
    private readonly options: CleanupWorkerOptions = {},
  ) {}

  /** Runs now and then every `intervalMs`; the timer never keeps the process alive. */
  start(intervalMs = 60_000): void {
    this.stopped = false;
    if (this.abort.signal.aborted) this.abort = new AbortController();
    if (this.interval) clearInterval(this.interval);
    this.interval = setInterval(() => this.kick(), intervalMs);
    this.interval.unref?.();
    this.kick();
  }

  /** Asks for a run soon; coalesces with a pending or running one. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      this.running = this.loop();
    }, 0);
  }

  /** Resolves once no run is pending or in progress (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.soon || this.running) {
      if (this.running) await this.running;
      else await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }

  /** Stops the timer and the current run between two batches; resolves when it has stopped. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.interval) clearInterval(this.interval);
    if (this.soon) clearTimeout(this.soon);
    this.interval = undefined;
    this.soon = undefined;
    this.abort.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        await this.runOnce();
      } while (this.again && !this.stopped);
    } finally {
      this.running = undefined;
    }
  }

  private async runOnce(): Promise<void> {
    const { onResult, ...opts } = this.options;
    let outcome: CleanupOutcome | undefined;
    try {
      const signal = this.abort.signal;
      const result = await serialised(this.db, async () => {
        if (signal.aborted || !(await hasCleanupWork(this.db, opts))) return undefined;
        return cleanup(this.db, { ...opts, signal }, false);
      });
      if (result) outcome = { ok: true, result };
    } catch (error) {
      outcome = { ok: false, error };
    }
    if (outcome && onResult) {
      try {
        onResult(outcome);
      } catch {
        // A failing listener must not stop the worker.
      }
    }
  }
}

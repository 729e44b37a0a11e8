// Autovacuum for PGlite, which has none. Without it nothing ever gives the
// planner statistics (a search walked every row instead of the trigram
// indexes), nothing merges GIN pending lists, and rows the cleanup worker
// deleted stay on disk. PostgreSQL's autovacuum does all this in a process of
// its own; PGlite has one connection, so a VACUUM here holds every read behind
// it. Upkeep therefore runs only once the database has been idle for a while,
// one table (one partition) per statement, and gives way between statements
// as soon as anyone else uses the database.
//
// What needs doing is read from the cumulative statistics, as autovacuum reads
// them: dead rows and rows changed since the last ANALYZE per table. PGlite
// does not keep those counters across a restart, so a table that was never
// analyzed (reltuples < 0) but holds more than a few pages is analyzed too.
import type { Database } from '../db/database.ts';
import { asUpkeep } from '../db/activity.ts';

export interface UpkeepStep {
  table: string;
  action: 'vacuum' | 'analyze';
  /** Why, in autovacuum's terms: dead rows, changes since the last ANALYZE, or none ever. */
  reason: string;
}

export interface UpkeepResult {
  done: UpkeepStep[];
  /** Someone used the database: the rest waits for the next idle moment. */
  interrupted: boolean;
  /** Steps that failed, with the engine's message; the others still ran. */
  failed: { step: UpkeepStep; error: string }[];
}

// Autovacuum's defaults, slightly keener on dead rows: the cleanup worker
// deletes in bulk and those pages are worth having back.
const VACUUM_THRESHOLD = 50;
const VACUUM_SCALE = 0.05;
const ANALYZE_THRESHOLD = 50;
const ANALYZE_SCALE = 0.1;
// A table never analyzed is analyzed only once it has some size. Statistics
// of a nearly empty table mislead more than none: after a partition of 12 rows
// was analyzed, the planner kept scanning whole partitions in the latest-flag
// trigger while 100,000 revisions went in (3x slower, growing with size).
const NEVER_ANALYZED_MIN_PAGES = 10;

interface TableStats {
  table: string;
  parent: string | null;
  reltuples: number;
  live: number;
  dead: number;
  modified: number;
  has_pages: boolean;
}

/** What autovacuum would do now, in the order it should be done (biggest backlog first). */
export async function planUpkeep(db: Database): Promise<UpkeepStep[]> {
  if (db.kind !== 'pglite') return [];
  // Counters reach the views at transaction end, at most once a second;
  // flushing first means a delete that just finished is seen.
  await db.query('SELECT pg_stat_force_next_flush()');
  const res = await db.query<TableStats>(
    `SELECT c.relname AS table, p.relname AS parent, c.reltuples::float8 AS reltuples,
            coalesce(s.n_live_tup, 0)::float8 AS live, coalesce(s.n_dead_tup, 0)::float8 AS dead,
            coalesce(s.n_mod_since_analyze, 0)::float8 AS modified, pg_relation_size(c.oid) >= $1::int8 * current_setting('block_size')::int8 AS has_pages
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
       LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
       LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
       LEFT JOIN pg_class p ON p.oid = i.inhparent
      WHERE c.relkind = 'r'`,
    [NEVER_ANALYZED_MIN_PAGES],
  );
  const steps: (UpkeepStep & { weight: number })[] = [];
  for (const t of res.rows) {
    const size = Math.max(t.reltuples, t.live, 0);
    if (t.dead > VACUUM_THRESHOLD + VACUUM_SCALE * size) {
      steps.push({ table: t.table, action: 'vacuum', reason: `${t.dead} dead rows`, weight: t.dead });
    } else if (t.modified > ANALYZE_THRESHOLD + ANALYZE_SCALE * size) {
      steps.push({ table: t.table, action: 'analyze', reason: `${t.modified} rows changed since the last ANALYZE`, weight: t.modified });
    } else if (t.reltuples < 0 && t.has_pages) {
      steps.push({ table: t.table, action: 'analyze', reason: 'never analyzed', weight: 0 });
    }
  }
  return steps.sort((a, b) => b.weight - a.weight).map(({ weight: _, ...step }) => step);
}

/**
 * Runs the planned steps one statement at a time. `keepGoing` is asked before
 * each; the background loop stops when the database is no longer idle, a
 * caller that wants it all done (a benchmark, a test) passes nothing.
 */
export async function runUpkeep(db: Database, keepGoing: () => boolean = () => true): Promise<UpkeepResult> {
  const result: UpkeepResult = { done: [], interrupted: false, failed: [] };
  if (db.kind !== 'pglite') return result;
  await asUpkeep(async () => {
    const steps = await planUpkeep(db);
    for (const step of steps) {
      if (!keepGoing()) {
        result.interrupted = true;
        return;
      }
      try {
        await runStep(db, step);
        result.done.push(step);
      } catch (e) {
        result.failed.push({ step, error: e instanceof Error ? e.message : String(e) });
      }
    }
  });
  return result;
}

// Whole tables: an ANALYZE with a column list leaves the change counter as it
// was, so the table would be picked again every time. Migration 007 turned
// statistics off for the columns no plan uses (file contents, JSON), which
// keeps a whole-table ANALYZE cheap.
async function runStep(db: Database, step: UpkeepStep): Promise<void> {
  // Table names come from pg_class, quoted all the same.
  const table = `"${step.table.replaceAll('"', '""')}"`;
  if (step.action === 'vacuum') {
    // VACUUM also merges the GIN pending lists.
    await db.exec(`VACUUM (ANALYZE) ${table}`);
    return;
  }
  await db.exec(`ANALYZE ${table}`);
  // ANALYZE leaves GIN pending lists alone outside autovacuum's own process:
  // merge them, one index per statement.
  const gin = await db.query<{ oid: number }>(
    `SELECT i.indexrelid::int8 AS oid FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
      WHERE i.indrelid = $1::regclass AND am.amname = 'gin'`,
    [table],
  );
  for (const { oid } of gin.rows) await db.query('SELECT gin_clean_pending_list($1::regclass)', [oid]);
}

export interface UpkeepOptions {
  /** How long the database must have been idle before upkeep starts (default 2 s). */
  idleMs?: number;
  /** How often to look (default 5 s). */
  checkEveryMs?: number;
  /** Every run that did something or failed. */
  onResult?: (result: UpkeepResult) => void;
}

/** The background loop the long-lived front doors start on PGlite. */
export class PgliteUpkeep {
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> | undefined;
  private readonly idleMs: number;

  constructor(
    private readonly db: Database,
    private readonly options: UpkeepOptions = {},
  ) {
    this.idleMs = options.idleMs ?? 2000;
  }

  start(): void {
    if (this.db.kind !== 'pglite' || this.timer) return;
    this.timer = setInterval(() => this.tick(), this.options.checkEveryMs ?? 5000);
    this.timer.unref?.();
  }

  /** Resolves once a run in progress has stopped (it stops between two statements). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private tick(): void {
    if (this.running || this.db.idleForMs() < this.idleMs) return;
    this.running = (async () => {
      try {
        const result = await runUpkeep(this.db, () => this.timer !== undefined && this.db.idleForMs() >= this.idleMs);
        if (result.done.length || result.failed.length) this.options.onResult?.(result);
      } catch (e) {
        this.options.onResult?.({
          done: [],
          interrupted: false,
          failed: [{ step: { table: '', action: 'analyze', reason: 'planning' }, error: e instanceof Error ? e.message : String(e) }],
        });
      } finally {
        this.running = undefined;
      }
    })();
  }
}

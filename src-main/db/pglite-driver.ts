// The embedded engine: PostgreSQL 18 compiled to WASM, one connection behind a
// mutex, data in a local directory (or in memory for unit tests). It must never
// be opened twice on one directory at once; open-database.ts takes the lock.
import { AsyncLocalStorage } from 'node:async_hooks';
import { PGlite, TransactionAbortedError, type Extensions, type Transaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { Database, QueryResult, Queryable } from './database.ts';
import { DatabaseError, diskFullOr, transactionAbortedError } from './errors.ts';
import { idleForMs, noteUse } from './activity.ts';

export interface PgliteOpenOptions {
  /** Data directory; created (initdb, 3-10 s) when missing or empty. Omit for in-memory. */
  dir?: string;
  /** Runs after the engine is closed (open-database releases the directory lock here). */
  onClose?: () => void | Promise<void>;
  /** More contrib extensions to load beside pg_trgm (the integrity checks' amcheck). */
  extensions?: Extensions;
}

// PGlite already returns int8 as number (bigint past 2^53), bytea as Uint8Array,
// json parsed and timestamptz as Date, exactly as postgres-driver.ts is set up
// to. Only `date` differs: PGlite reads it as UTC midnight, pg as local
// midnight, so both drivers hand it back as the 'YYYY-MM-DD' text instead.
const PARSERS = { 1082: (value: string) => value };

// The extension must be registered on every open, not only when created:
// without it any query touching a trigram index fails.
const EXTENSIONS = { pg_trgm };

// initdb sets shared_buffers to 128 MB, and in one WASM process that memory is
// the app's own RSS. 32 MB measured 401 -> 282 MB at 100,000 revisions with
// page and search latency unchanged (the OS page cache sits under it anyway).
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];

interface TransactionScope {
  owner: PGlite;
  open: boolean;
}

// Which transaction (if any) the current async call chain runs inside; lets a
// forgotten `db.query` inside `transaction()` fail at once instead of waiting
// for ever on PGlite's single connection.
const currentScope = new AsyncLocalStorage<TransactionScope>();

export async function openPglite(options: PgliteOpenOptions = {}): Promise<Database> {
  let pg: PGlite;
  try {
    pg = await PGlite.create({ dataDir: options.dir, extensions: { ...EXTENSIONS, ...options.extensions }, parsers: PARSERS, startParams: START_PARAMS });
  } catch (e) {
    const where = options.dir ?? 'memory';
    throw new DatabaseError('DB_OPEN_FAILED', `cannot open the PGlite database in ${where}: ${messageOf(e)}`, { location: where }, { cause: e });
  }
  return new PgliteDatabase(pg, options);
}

class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  readonly location: string;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly pg: PGlite,
    private readonly options: PgliteOpenOptions,
  ) {
    this.location = options.dir ?? 'memory';
  }

  async query<Row = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
    this.refuseInsideTransaction();
    noteUse(this);
    return runQuery<Row>(this.pg, sql, params).catch((e: unknown) => {
      throw diskFullOr(e, this.location);
    });
  }

  async exec(sql: string): Promise<void> {
    this.refuseInsideTransaction();
    noteUse(this);
    await this.pg.exec(sql).catch((e: unknown) => {
      throw diskFullOr(e, this.location);
    });
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    this.refuseInsideTransaction();
    noteUse(this);
    const scope: TransactionScope = { owner: this.pg, open: true };
    try {
      return await this.pg.transaction((tx) => currentScope.run(scope, () => fn(wrapTransaction(tx))));
    } catch (e) {
      if (e instanceof TransactionAbortedError) throw transactionAbortedError(e);
      throw diskFullOr(e, this.location);
    } finally {
      scope.open = false;
    }
  }

  idleForMs(): number {
    return idleForMs(this);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await this.pg.close();
      } finally {
        await this.options.onClose?.();
      }
    })();
    return this.closing;
  }

  private refuseInsideTransaction(): void {
    const scope = currentScope.getStore();
    if (scope?.open && scope.owner === this.pg) {
      throw new DatabaseError(
        'DB_MISUSE',
        'query on the database while its transaction is open: inside transaction() use the tx argument (PGlite has one connection and would wait for ever)',
      );
    }
  }
}

function wrapTransaction(tx: Transaction): Queryable {
  return {
    query: <Row>(sql: string, params: readonly unknown[] = []) => runQuery<Row>(tx, sql, params),
    exec: async (sql: string) => {
      await tx.exec(sql);
    },
  };
}

async function runQuery<Row>(target: PGlite | Transaction, sql: string, params: readonly unknown[]): Promise<QueryResult<Row>> {
  const result = await target.query<Row>(sql, [...params]);
  return { rows: result.rows, affectedRows: result.affectedRows ?? 0 };
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

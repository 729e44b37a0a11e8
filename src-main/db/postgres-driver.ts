// The server engine: a pg.Pool over a postgres:// URL. Type parsing is set on
// this pool only (never on the global `pg.types`, which would change every
// other pg user in the process) so results match pglite-driver.ts exactly.
import pg from 'pg';
import type { Database, QueryResult, Queryable } from './database.ts';
import { DatabaseError, diskFullOr, transactionAbortedError } from './errors.ts';

export interface PostgresOpenOptions {
  /** Pool size; PostgreSQL default max_connections is 100, so stay modest. */
  max?: number;
  /** How long to wait for a connection before giving up (ms). */
  connectTimeoutMs?: number;
}

type Parser = (value: string) => unknown;

const TEXT_ARRAY = 1009;

// pg-types types its argument as a closed enum of builtin oids; array oids are not in it.
const builtinParser = pg.types.getTypeParser as (oid: number, format?: 'text' | 'binary') => Parser;

/** int8 as number, or bigint past 2^53 so nothing is silently rounded (PGlite does the same). */
const parseInt8: Parser = (value) => {
  const big = BigInt(value);
  return big < BigInt(Number.MIN_SAFE_INTEGER) || big > BigInt(Number.MAX_SAFE_INTEGER) ? big : Number(big);
};

// pg's own bytea parser returns a Buffer, often a slice of Node's shared pool;
// copy into a plain Uint8Array so values compare equal across drivers.
const parseBytea: Parser = (value) => new Uint8Array(builtinParser(17, 'text')(value) as Buffer);

/** Parses an array literal with pg's text[] parser, then each element with `element`. */
const arrayOf =
  (element: Parser): Parser =>
  (value) =>
    mapDeep(builtinParser(TEXT_ARRAY, 'text')(value) as unknown[], element);

function mapDeep(values: unknown[], element: Parser): unknown[] {
  return values.map((v) => (Array.isArray(v) ? mapDeep(v, element) : v === null ? null : element(v as string)));
}

const PARSERS = new Map<number, Parser>([
  [20, parseInt8],
  [1016, arrayOf(parseInt8)],
  [17, parseBytea],
  [1001, arrayOf(parseBytea)],
  // date as 'YYYY-MM-DD' text: pg would read it as local midnight, PGlite as UTC.
  [1082, (value) => value],
  [1182, arrayOf((value) => value)],
]);

const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => PARSERS.get(oid) ?? builtinParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

// Commands whose row count means "rows touched"; for SELECT pg reports rows
// returned, PGlite reports 0, and the interface promises the latter.
const WRITE_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY']);

export async function openPostgres(url: string, options: PostgresOpenOptions = {}): Promise<Database> {
  const location = redactUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    types: TYPES,
    max: options.max ?? 5,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
  });
  // An idle client whose server went away emits 'error' on the pool; without a
  // listener Node would crash the process. The next query reports the problem.
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (e) {
    await pool.end().catch(() => {});
    throw connectError(url, e);
  }
  return new PostgresDatabase(pool, url, location);
}

class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
    readonly location: string,
  ) {}

  query<Row = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
    return this.translate(runQuery<Row>(this.pool, sql, params));
  }

  async exec(sql: string): Promise<void> {
    // Without parameters pg uses the simple protocol, which accepts several statements.
    await this.translate(this.pool.query(sql));
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.translate(this.transactionOnClient(fn));
  }

  private async transactionOnClient<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // A checked-out client reports a dropped connection as an 'error' event;
    // unheard, Node would end the process. The query in flight fails too.
    const onError = (e: Error) => {
      broken = e;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const tx: Queryable = {
        query: <Row>(sql: string, params: readonly unknown[] = []) => runQuery<Row>(client, sql, params),
        exec: async (sql: string) => {
          await client.query(sql);
        },
      };
      let value: T;
      try {
        value = await fn(tx);
      } catch (e) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw e;
      }
      const commit = await client.query('COMMIT');
      if (commit.command === 'ROLLBACK') throw transactionAbortedError();
      return value;
    } finally {
      // A client whose ROLLBACK failed (or whose connection broke) is in an
      // unknown state: destroy it, don't reuse it.
      client.off('error', onError);
      client.release(broken);
    }
  }

  /** Upkeep is PGlite's alone (PostgreSQL has autovacuum): nothing waits for this to be idle. */
  idleForMs(): number {
    return Number.POSITIVE_INFINITY;
  }

  close(): Promise<void> {
    this.closing ??= this.pool.end();
    return this.closing;
  }

  private async translate<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (e) {
      if (isConnectionFailure(e)) throw connectError(this.url, e);
      if (isConnectionLost(e)) throw lostError(this.url, e);
      throw diskFullOr(e, this.location);
    }
  }
}

async function runQuery<Row>(target: pg.Pool | pg.PoolClient, sql: string, params: readonly unknown[]): Promise<QueryResult<Row>> {
  const result = await target.query({ text: sql, values: [...params] });
  const affectedRows = WRITE_COMMANDS.has(result.command) ? (result.rowCount ?? 0) : 0;
  return { rows: result.rows as Row[], affectedRows };
}

/** The URL without its password (in the userinfo or a `password` parameter), for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '';
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/** "host:port/db" for messages, as the user would recognise the server. */
function describeServer(url: string): string {
  try {
    const parsed = new URL(url);
    const db = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default database)';
    return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}/${db}`;
  } catch {
    return redactUrl(url);
  }
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is the server running and listening on that port?)',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ECONNRESET: 'connection reset by the server',
};

// SQLSTATEs that mean "you never got a usable session", as opposed to a failed query.
const CONNECT_SQLSTATES = new Set(['28000', '28P01', '3D000', '53300', '57P03']);

// The server went away under a session that was working: shut down (57P01),
// crashed (57P02), or the socket closed without a word.
const LOST_SQLSTATES = new Set(['57P01', '57P02']);

function isConnectionLost(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return (
    (typeof code === 'string' && LOST_SQLSTATES.has(code)) ||
    (e instanceof Error && /^(Connection terminated|Client has encountered a connection error)/.test(e.message))
  );
}

function isConnectionFailure(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code in NETWORK_CODES || CONNECT_SQLSTATES.has(code));
}

function lostError(url: string, e: unknown): DatabaseError {
  const server = describeServer(url);
  const reason = e instanceof Error ? e.message : String(e);
  return new DatabaseError(
    'DB_CONNECT',
    `lost the connection to PostgreSQL at ${server} (${reason}); the operation may or may not have been saved (read it back before repeating it); Porchlight reconnects by itself once the server is back`,
    { location: redactUrl(url), server, reason },
    { cause: e },
  );
}

function connectError(url: string, e: unknown): DatabaseError {
  const code = (e as { code?: unknown } | null)?.code;
  const known = typeof code === 'string' ? NETWORK_CODES[code] : undefined;
  // Node 20 reports a refused dual-stack connect as an AggregateError with an empty message.
  const reason = known ?? ((e instanceof Error && e.message) || String(code ?? e));
  const server = describeServer(url);
  return new DatabaseError(
    'DB_CONNECT',
    `cannot connect to PostgreSQL at ${server}: ${reason}; check --db / PORCHLIGHT_DB`,
    { location: redactUrl(url), server, reason, ...(typeof code === 'string' ? { reasonCode: code } : {}) },
    { cause: e },
  );
}

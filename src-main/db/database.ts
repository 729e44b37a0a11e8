// One database interface, two drivers (PGlite embedded, PostgreSQL over `pg`).
// Everything above this file speaks only these types, so the whole cache runs
// unchanged on either engine and the test suite runs on both.

export type DatabaseKind = 'pglite' | 'postgres';

export interface QueryResult<Row> {
  rows: Row[];
  /** Rows touched by INSERT/UPDATE/DELETE (with or without RETURNING); always 0 for SELECT. */
  affectedRows: number;
}

/**
 * Something that runs parameterised SQL. Values are normalised across the two
 * drivers: int8 as JS number (bigint beyond 2^53, never rounded), bytea as
 * Uint8Array, jsonb parsed, timestamptz as Date, date as 'YYYY-MM-DD' text.
 * Send a JSON array to a jsonb parameter as JSON.stringify(...): pg turns a JS
 * array into a PostgreSQL array literal. Engine errors pass through unchanged;
 * read their SQLSTATE with sqlState() from errors.ts.
 */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /** Human-readable location (directory or URL without password) for messages. */
  readonly location: string;
  /**
   * Runs `fn` in one transaction: commits if it resolves, rolls back if it throws.
   * Inside `fn` use only `tx`: PGlite has one connection, so a query on the outer
   * database while a transaction is open waits for ever.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Milliseconds since the database last ran something for someone (upkeep's
   * own statements excluded, see activity.ts): PGlite's upkeep waits for idle.
   * A wrapper must forward it, or upkeep would see a database never used.
   */
  idleForMs(): number;
  close(): Promise<void>;
}

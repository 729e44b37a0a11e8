// Errors raised while opening, locking or migrating a database. They carry a
// stable code and a data payload (the shape isomorphic-git's errors have) so
// the CLI and IPC can report them without matching message text.

export type DatabaseErrorCode =
  | 'DB_LOCKED'
  | 'DB_TOO_NEW'
  | 'DB_CONNECT'
  | 'DB_OPEN_FAILED'
  | 'DB_MIGRATION_FAILED'
  | 'DB_MIGRATION_CHANGED'
  | 'DB_TRANSACTION_ABORTED'
  | 'DB_MISUSE'
  | 'DB_RESTORE_FAILED'
  | 'DB_BACKUP_FAILED'
  | 'DB_TOOL_MISSING'
  | 'DB_DISK_FULL';

export interface DatabaseErrorShape {
  code: DatabaseErrorCode;
  message: string;
  data: Record<string, unknown>;
}

export class DatabaseError extends Error implements DatabaseErrorShape {
  constructor(
    readonly code: DatabaseErrorCode,
    message: string,
    readonly data: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DatabaseError';
  }

  toJSON(): DatabaseErrorShape {
    return { code: this.code, message: this.message, data: this.data };
  }
}

export function isDatabaseError(e: unknown, code?: DatabaseErrorCode): e is DatabaseError {
  return e instanceof DatabaseError && (code === undefined || e.code === code);
}

/**
 * The SQLSTATE of an error thrown by a query (e.g. '23505' unique violation),
 * or undefined. Both drivers pass the engine's error through unchanged, and
 * both carry the SQLSTATE in `code`; this is the one place that knows it.
 */
export function sqlState(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null || e instanceof DatabaseError) return undefined;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * COMMIT of a transaction in which a statement failed (and the error was
 * caught inside the callback) rolls back. PGlite throws on it, PostgreSQL
 * quietly answers ROLLBACK; both drivers raise this instead.
 */
export function transactionAbortedError(cause?: unknown): DatabaseError {
  return new DatabaseError(
    'DB_TRANSACTION_ABORTED',
    'the transaction was rolled back: a statement in it failed and the error was caught inside transaction()',
    {},
    { cause },
  );
}

/**
 * The disk under the database is full (SQLSTATE 53100, "could not extend
 * file"). The statement failed whole, so the transaction it was in changed
 * nothing; say that, and what to do.
 */
export function diskFullOr(e: unknown, location: string): unknown {
  if (sqlState(e) !== '53100') return e;
  return new DatabaseError(
    'DB_DISK_FULL',
    `the disk holding the database (${location}) is full: nothing of this change was saved; free some space and try again (${(e as Error).message})`,
    { location },
    { cause: e },
  );
}

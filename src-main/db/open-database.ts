// The one way the app opens its database: pick the engine from --db /
// PORCHLIGHT_DB / the default directory, lock it, open it, migrate it.
import { join, resolve } from 'node:path';
import type { Database } from './database.ts';
import { nonEmpty, resolveDataHome, resolveDatabaseTarget, type Env } from '../host/data-home.ts';
import { acquireDirLock } from './dir-lock.ts';
import { migrate } from './migrate.ts';
import { openPglite } from './pglite-driver.ts';
import { openPostgres } from './postgres-driver.ts';
import { makePrivateDir, tightenDataHome, tightenTree } from './private-files.ts';

export { resolveDataHome, resolveDatabaseTarget, type DatabaseTarget, type Env } from '../host/data-home.ts';

export interface OpenDatabaseOptions {
  /** The --db value: a postgres:// URL or a PGlite directory. */
  db?: string;
  /** Defaults to process.env. */
  env?: Env;
  /** Overrides resolveDataHome(env). */
  dataHome?: string;
  /** Migrations folder; defaults to the repository's migrations/. */
  migrationsDir?: string;
}

/**
 * Opens and migrates the database; throws DatabaseError (DB_LOCKED, DB_CONNECT, DB_TOO_NEW, ...).
 * The data home (options.dataHome, or the default one when the database is in
 * it) and a PGlite directory are kept private to this user (private-files.ts).
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const target = resolveDatabaseTarget(options);
  const env = options.env ?? process.env;
  const explicit = nonEmpty(options.db) ?? nonEmpty(env.PORCHLIGHT_DB);
  const home = options.dataHome ?? (explicit ? undefined : resolveDataHome(env));
  if (home) makePrivateDir(home);
  const db = target.kind === 'postgres' ? await openPostgres(target.url) : await openLockedPglite(target.dir);
  try {
    await migrate(db, { dir: options.migrationsDir });
    // Once per open, after PGlite has written what it writes at start (pg_internal.init 0644).
    if (home) tightenDataHome(home);
    if (target.kind === 'pglite' && !(home && resolve(target.dir) === join(resolve(home), 'db'))) tightenTree(target.dir);
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
  }
  return db;
}

async function openLockedPglite(dir: string): Promise<Database> {
  makePrivateDir(dir);
  // Lock before PGlite touches the directory: a second process must not even start it.
  const lock = acquireDirLock(dir);
  try {
    return await openPglite({ dir, onClose: () => lock.release() });
  } catch (e) {
    lock.release();
    throw e;
  }
}

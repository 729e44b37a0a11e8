// The one way the app opens its database: pick the engine from --db /
// PORCHLIGHT_DB / the default directory, lock it, open it, migrate it.
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { Database } from './database.ts';
import { acquireDirLock } from './dir-lock.ts';
import { migrate } from './migrate.ts';
import { openPglite } from './pglite-driver.ts';
import { openPostgres } from './postgres-driver.ts';
import { makePrivateDir, tightenDataHome, tightenTree } from './private-files.ts';

export type Env = Readonly<Record<string, string | undefined>>;

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

export type DatabaseTarget = { kind: 'pglite'; dir: string } | { kind: 'postgres'; url: string };

/**
 * Where Porchlight keeps its data (database, git clones under repos/):
 * PORCHLIGHT_HOME, else $XDG_DATA_HOME/porchlight, else ~/.local/share/porchlight.
 */
export function resolveDataHome(env: Env = process.env): string {
  const home = nonEmpty(env.HOME) ?? homedir();
  const explicit = nonEmpty(env.PORCHLIGHT_HOME);
  if (explicit) return resolve(expandHome(explicit, home));
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = nonEmpty(env.XDG_DATA_HOME);
  if (xdg && isAbsolute(xdg)) return join(xdg, 'porchlight');
  return join(home, '.local', 'share', 'porchlight');
}

/** Decides engine and location without touching anything. */
export function resolveDatabaseTarget(options: OpenDatabaseOptions = {}): DatabaseTarget {
  const env = options.env ?? process.env;
  const value = nonEmpty(options.db) ?? nonEmpty(env.PORCHLIGHT_DB);
  if (value && /^postgres(ql)?:\/\//i.test(value)) return { kind: 'postgres', url: value };
  if (value) return { kind: 'pglite', dir: resolve(expandHome(value, nonEmpty(env.HOME) ?? homedir())) };
  return { kind: 'pglite', dir: join(options.dataHome ?? resolveDataHome(env), 'db') };
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

function expandHome(path: string, home: string): string {
  return path === '~' ? home : path.startsWith('~/') ? join(home, path.slice(2)) : path;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

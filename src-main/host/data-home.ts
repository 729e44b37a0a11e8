// Where the data home and the database are, decided without touching either:
// apart from open-database.ts so that a command answered by a running service
// can find them without loading the database drivers.
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export type Env = Readonly<Record<string, string | undefined>>;

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

/** Decides engine and location: --db (options.db), else PORCHLIGHT_DB, else <data home>/db. */
export function resolveDatabaseTarget(options: { db?: string; env?: Env; dataHome?: string } = {}): DatabaseTarget {
  const env = options.env ?? process.env;
  const value = nonEmpty(options.db) ?? nonEmpty(env.PORCHLIGHT_DB);
  if (value && /^postgres(ql)?:\/\//i.test(value)) return { kind: 'postgres', url: value };
  if (value) return { kind: 'pglite', dir: resolve(expandHome(value, nonEmpty(env.HOME) ?? homedir())) };
  return { kind: 'pglite', dir: join(options.dataHome ?? resolveDataHome(env), 'db') };
}

function expandHome(path: string, home: string): string {
  return path === '~' ? home : path.startsWith('~/') ? join(home, path.slice(2)) : path;
}

export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

// Schema migrations: numbered plain-SQL files `NNN_name.sql`, each applied in
// one transaction together with the row that records it, so a failing file
// leaves nothing behind and a recorded file is known to be wholly applied.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database, Queryable } from './database.ts';
import { DatabaseError, sqlState } from './errors.ts';

export interface Migration {
  version: number;
  name: string;
  file: string;
  sql: string;
  checksum: string;
}

export interface MigrateOptions {
  /** Folder of `NNN_name.sql` files; defaults to the repository's migrations/. */
  dir?: string;
}

export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

const FILE_PATTERN = /^(\d+)_([A-Za-z0-9_-]+)\.sql$/;

// Any constant will do, as long as every Porchlight uses the same one: it
// serialises concurrent migrators on PostgreSQL. (PGlite ignores advisory
// locks; the directory lock already keeps a second process out.)
const MIGRATION_LOCK_KEY = '7302614523180391';

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  checksum text NOT NULL
)`;

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

/** Reads and orders the migration files of `dir`. */
export function loadMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Migration[] {
  const migrations: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    const match = FILE_PATTERN.exec(file);
    if (!match) continue;
    // CRLF from a Windows checkout must not count as a changed migration.
    const sql = readFileSync(join(dir, file), 'utf8').replace(/\r\n/g, '\n');
    const checksum = createHash('sha256').update(sql).digest('hex');
    migrations.push({ version: Number(match[1]), name: match[2]!, file, sql, checksum });
  }
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version === migrations[i - 1]!.version) {
      throw new DatabaseError(
        'DB_MIGRATION_FAILED',
        `two migrations share version ${migrations[i]!.version}: ${migrations[i - 1]!.file} and ${migrations[i]!.file}`,
        {
          dir,
          version: migrations[i]!.version,
        },
      );
    }
  }
  return migrations;
}

/**
 * Brings the schema up to date. Returns the versions applied by this call
 * (empty when it was already current).
 */
export async function migrate(db: Database, options: MigrateOptions = {}): Promise<number[]> {
  const dir = options.dir ?? DEFAULT_MIGRATIONS_DIR;
  const migrations = loadMigrations(dir);

  await db.transaction(async (tx) => {
    await lockMigrations(tx);
    await tx.exec(CREATE_TABLE);
    checkApplied(await readApplied(tx), migrations, db.location);
  });

  const applied: number[] = [];
  for (const migration of migrations) {
    const done = await db.transaction(async (tx) => {
      await lockMigrations(tx);
      // Another process may have applied it while we waited for the lock.
      const already = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (already.rows.length > 0) return false;
      await applyOne(tx, migration, dir);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}

async function lockMigrations(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
}

async function readApplied(tx: Queryable): Promise<AppliedRow[]> {
  const result = await tx.query<AppliedRow>('SELECT version, name, checksum FROM schema_migrations ORDER BY version');
  return result.rows;
}

function checkApplied(applied: AppliedRow[], known: Migration[], location: string): void {
  const newestKnown = known.at(-1)?.version ?? 0;
  const newestApplied = applied.at(-1)?.version ?? 0;
  if (newestApplied > newestKnown) {
    throw new DatabaseError(
      'DB_TOO_NEW',
      `this database was migrated by a newer Porchlight (schema ${newestApplied}, this version knows ${newestKnown}); upgrade Porchlight or use another --db`,
      { location, schemaVersion: newestApplied, knownVersion: newestKnown },
    );
  }
  const byVersion = new Map(known.map((m) => [m.version, m]));
  for (const row of applied) {
    const file = byVersion.get(row.version);
    if (!file || file.checksum !== row.checksum) {
      const what = file ? `its file ${file.file} has changed since it was applied` : 'its file is missing';
      throw new DatabaseError(
        'DB_MIGRATION_CHANGED',
        `migration ${row.version} (${row.name}) was applied to ${location} but ${what}; applied migrations must never be edited: add a new one instead`,
        { location, version: row.version, name: row.name, appliedChecksum: row.checksum, fileChecksum: file?.checksum },
      );
    }
  }
}

async function applyOne(tx: Queryable, migration: Migration, dir: string): Promise<void> {
  try {
    await tx.exec(migration.sql);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new DatabaseError(
      'DB_MIGRATION_FAILED',
      `migration ${migration.file} failed and was rolled back: ${reason}`,
      { version: migration.version, name: migration.name, file: join(dir, migration.file), sqlState: sqlState(e) },
      { cause: e },
    );
  }
  await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [migration.version, migration.name, migration.checksum]);
}

// Backup and restore of the whole database: drafts live only here until they
// are approved, so this is the copy a user takes before an upgrade or a move.
//
// PGlite: a gzipped tar of the data directory (PGlite's dumpDataDir), taken
// under the directory lock, so nothing writes meanwhile. A restore builds the
// new directory beside the old one, opens and migrates it (a backup from an
// older release comes back upgraded, or the restore stops before touching
// anything), and only then swaps the two; the old directory is kept aside.
//
// PostgreSQL: pg_dump's custom format and pg_restore, with the password passed
// in the environment, never on a command line other processes can read.
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { DatabaseError } from './errors.ts';
import { acquireDirLock, LOCK_FILE_NAME } from './dir-lock.ts';
import { migrate } from './migrate.ts';
import { openPglite } from './pglite-driver.ts';
import { openPostgres, redactUrl } from './postgres-driver.ts';
import { tightenTree } from './private-files.ts';
import type { DatabaseTarget } from './open-database.ts';

export type BackupFormat = 'pglite' | 'pg_dump';

export interface BackupResult {
  file: string;
  format: BackupFormat;
  bytes: number;
}

export interface RestoreResult {
  format: BackupFormat;
  /** PGlite: where the directory that was replaced now is (nothing is deleted). */
  replacedDir?: string;
  /** Schema migrations applied to the restored database (a backup from an older release). */
  migrated: number;
}

const GZIP_MAGIC = [0x1f, 0x8b];
const PG_DUMP_MAGIC = 'PGDMP';

/** Writes a backup of the database to `file` (created 0600, replaced only once complete). */
export async function backupDatabase(target: DatabaseTarget, file: string): Promise<BackupResult> {
  const out = path.resolve(file);
  await fs.mkdir(path.dirname(out), { recursive: true });
  const temp = `${out}.${process.pid}.partial`;
  try {
    if (target.kind === 'pglite') {
      await dumpPglite(target.dir, temp);
    } else {
      // Created 0600 before pg_dump writes into it: the dump is never readable by others, not even while it is written.
      await (await fs.open(temp, 'wx', 0o600)).close();
      await runPgTool('pg_dump', ['--format=custom', '--no-owner', '--file', temp], target.url);
    }
    await fs.chmod(temp, 0o600);
    await fs.rename(temp, out);
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
  return { file: out, format: target.kind === 'pglite' ? 'pglite' : 'pg_dump', bytes: (await fs.stat(out)).size };
}

async function dumpPglite(dir: string, temp: string): Promise<void> {
  if (!(await isPgliteDir(dir))) {
    throw new DatabaseError('DB_OPEN_FAILED', `there is no PGlite database in ${dir} to back up: check --db or PORCHLIGHT_DB`, { location: dir });
  }
  // The lock keeps the app and other commands out while the tar is taken.
  const lock = acquireDirLock(dir);
  try {
    const pg = await PGlite.create({ dataDir: dir });
    try {
      await pg.exec('CHECKPOINT');
      const blob = await pg.dumpDataDir('gzip');
      await fs.writeFile(temp, Buffer.from(await blob.arrayBuffer()), { mode: 0o600, flag: 'wx' });
    } finally {
      await pg.close();
      // PGlite rewrote pg_internal.init 0644 on start.
      tightenTree(dir);
    }
  } finally {
    lock.release();
  }
}

/** Which kind of backup a file is, from its first bytes; throws a clear error for anything else. */
export async function backupFormatOf(file: string): Promise<BackupFormat> {
  let head: Buffer;
  try {
    const handle = await fs.open(file, constants.O_RDONLY);
    try {
      head = Buffer.alloc(5);
      await handle.read(head, 0, 5, 0);
    } finally {
      await handle.close();
    }
  } catch (e) {
    throw new DatabaseError('DB_RESTORE_FAILED', `cannot read the backup ${file}: ${(e as Error).message}`, { file });
  }
  if (head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) return 'pglite';
  if (head.toString('latin1') === PG_DUMP_MAGIC) return 'pg_dump';
  throw new DatabaseError('DB_RESTORE_FAILED', `${file} is not a Porchlight backup (neither a PGlite archive nor pg_dump's custom format)`, { file });
}

export interface RestoreOptions {
  /**
   * PostgreSQL: replace a database that already holds Porchlight's tables. On
   * PGlite the replaced directory is kept aside, so no flag is needed there.
   */
  replace?: boolean;
}

/** Restores `file` into the target database, then migrates it to this release's schema. */
export async function restoreDatabase(target: DatabaseTarget, file: string, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const format = await backupFormatOf(file);
  if (target.kind === 'pglite' && format !== 'pglite') {
    throw new DatabaseError('DB_RESTORE_FAILED', `${file} is a pg_dump backup of a PostgreSQL database: restore it with --db postgres://…`, { file });
  }
  if (target.kind === 'postgres' && format !== 'pg_dump') {
    throw new DatabaseError('DB_RESTORE_FAILED', `${file} is a backup of an embedded (PGlite) database: restore it with --db DIRECTORY`, { file });
  }
  return target.kind === 'pglite' ? restorePglite(target.dir, file) : restorePostgres(target.url, file, opts);
}

async function restorePglite(dir: string, file: string): Promise<RestoreResult> {
  const abs = path.resolve(dir);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const staging = `${abs}.restoring-${process.pid}`;
  const replacedDir = `${abs}.replaced-${stamp}`;
  const exists = await isPgliteDir(abs);
  // Hold the lock of the directory being replaced: no app or command may have it open.
  const lock = exists ? acquireDirLock(abs) : undefined;
  let migrated: number;
  try {
    await fs.rm(staging, { recursive: true, force: true });
    const archive = new Blob([await fs.readFile(file)]);
    let pg: PGlite;
    try {
      pg = await PGlite.create({ dataDir: staging, loadDataDir: archive });
    } catch (e) {
      throw new DatabaseError('DB_RESTORE_FAILED', `${file} could not be loaded as a PGlite database: ${(e as Error).message}`, { file });
    }
    await pg.close();
    // A lock file taken with the backup belongs to no one here.
    await fs.rm(path.join(staging, LOCK_FILE_NAME), { force: true });
    const db = await openPglite({ dir: staging });
    try {
      migrated = (await migrate(db)).length;
    } finally {
      await db.close();
    }
    // PGlite unpacked the archive 0666; private before it takes the database's place.
    tightenTree(staging);
    if (exists) await fs.rename(abs, replacedDir);
    else await fs.rm(abs, { recursive: true, force: true });
    await fs.rename(staging, abs);
  } catch (e) {
    await fs.rm(staging, { recursive: true, force: true });
    throw e;
  } finally {
    // The lock file moved with the replaced directory; it is released there.
    if (lock) await fs.rm(path.join(replacedDir, LOCK_FILE_NAME), { force: true }).catch(() => {});
    lock?.release();
  }
  return { format: 'pglite', migrated, ...(exists ? { replacedDir } : {}) };
}

async function restorePostgres(url: string, file: string, opts: RestoreOptions): Promise<RestoreResult> {
  const db = await openPostgres(url);
  try {
    const res = await db.query<{ present: boolean }>(`SELECT to_regclass('schema_migrations') IS NOT NULL AS present`);
    if (res.rows[0]?.present && !opts.replace) {
      throw new DatabaseError(
        'DB_RESTORE_FAILED',
        `${redactUrl(url)} already holds a Porchlight database: pass --replace to replace it with the backup (back it up first with "porchlight db backup")`,
        { location: redactUrl(url) },
      );
    }
  } finally {
    await db.close();
  }
  // pg_restore --clean cannot drop the partitions' inherited constraints, so
  // the replace is done by hand: the schema dropped and the dump's SQL run in
  // one psql transaction. A restore that fails leaves the database as it was.
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'porchlight-restore-'));
  try {
    const script = path.join(work, 'restore.sql');
    const prelude = path.join(work, 'prelude.sql');
    await runPgTool('pg_restore', ['--no-owner', '--file', script, file]);
    await fs.writeFile(prelude, 'DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n', { mode: 0o600 });
    await runPgTool('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--single-transaction', '-f', prelude, '-f', script], url);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
  const after = await openPostgres(url);
  try {
    return { format: 'pg_dump', migrated: (await migrate(after)).length };
  } finally {
    await after.close();
  }
}

type PgTool = 'pg_dump' | 'pg_restore' | 'psql';

/** Runs a PostgreSQL client tool, against `url` when given: the password goes in PGPASSWORD, the rest in --dbname. */
function runPgTool(tool: PgTool, args: string[], url?: string): Promise<void> {
  let password = '';
  const target: string[] = [];
  if (url) {
    const parsed = new URL(url);
    password = decodeURIComponent(parsed.password);
    parsed.password = '';
    target.push('--dbname', parsed.toString());
  }
  const env = { ...process.env, ...(password ? { PGPASSWORD: password } : {}) };
  const code = tool === 'pg_dump' ? 'DB_BACKUP_FAILED' : 'DB_RESTORE_FAILED';
  const child = spawn(tool, [...args, ...target], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(
        e.code === 'ENOENT'
          ? new DatabaseError('DB_TOOL_MISSING', `${tool} is not installed: install the PostgreSQL client tools (Debian: apt-get install postgresql-client)`)
          : new DatabaseError(code, `${tool} failed to start: ${e.message}`),
      );
    });
    child.on('close', (exit) => {
      if (exit === 0) resolve();
      else reject(new DatabaseError(code, `${tool} failed (exit ${exit}): ${(password ? stderr.replaceAll(password, '***') : stderr).trim()}`));
    });
  });
}

async function isPgliteDir(dir: string): Promise<boolean> {
  return fs
    .access(path.join(dir, 'PG_VERSION'))
    .then(() => true)
    .catch(() => false);
}

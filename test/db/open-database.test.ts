import { createServer } from 'node:net';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE_NAME } from '../../src-main/db/dir-lock.ts';
import { DatabaseError, isDatabaseError } from '../../src-main/db/errors.ts';
import { loadMigrations } from '../../src-main/db/migrate.ts';
import { openDatabase, resolveDataHome, resolveDatabaseTarget } from '../../src-main/db/open-database.ts';
import { redactUrl } from '../../src-main/db/postgres-driver.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';

describe('resolveDataHome', () => {
  it('prefers PORCHLIGHT_HOME, then an absolute XDG_DATA_HOME, then ~/.local/share', () => {
    expect(resolveDataHome({ PORCHLIGHT_HOME: '/p', XDG_DATA_HOME: '/x', HOME: '/h' })).toBe('/p');
    expect(resolveDataHome({ PORCHLIGHT_HOME: '~/ph', HOME: '/h' })).toBe('/h/ph');
    expect(resolveDataHome({ XDG_DATA_HOME: '/x', HOME: '/h' })).toBe('/x/porchlight');
    expect(resolveDataHome({ XDG_DATA_HOME: 'relative', HOME: '/h' })).toBe('/h/.local/share/porchlight');
    expect(resolveDataHome({ PORCHLIGHT_HOME: '', HOME: '/h' })).toBe('/h/.local/share/porchlight');
    expect(resolveDataHome({})).toBe(join(homedir(), '.local/share/porchlight'));
  });
});

describe('resolveDatabaseTarget', () => {
  const env = { HOME: '/h', PORCHLIGHT_HOME: '/data' };
  it('takes --db, else PORCHLIGHT_DB, else <dataHome>/db', () => {
    expect(resolveDatabaseTarget({ db: '/a', env: { ...env, PORCHLIGHT_DB: '/b' } })).toEqual({ kind: 'pglite', dir: '/a' });
    expect(resolveDatabaseTarget({ env: { ...env, PORCHLIGHT_DB: '/b' } })).toEqual({ kind: 'pglite', dir: '/b' });
    expect(resolveDatabaseTarget({ env })).toEqual({ kind: 'pglite', dir: '/data/db' });
    expect(resolveDatabaseTarget({ env, dataHome: '/other' })).toEqual({ kind: 'pglite', dir: '/other/db' });
  });

  it('selects PostgreSQL for postgres:// and postgresql:// URLs, a directory for anything else', () => {
    expect(resolveDatabaseTarget({ db: 'postgres://u@h/db', env })).toEqual({ kind: 'postgres', url: 'postgres://u@h/db' });
    expect(resolveDatabaseTarget({ db: 'postgresql://h/db', env })).toEqual({ kind: 'postgres', url: 'postgresql://h/db' });
    expect(resolveDatabaseTarget({ db: 'rel/dir', env })).toEqual({ kind: 'pglite', dir: resolve('rel/dir') });
    expect(resolveDatabaseTarget({ db: '~/db', env })).toEqual({ kind: 'pglite', dir: '/h/db' });
  });
});

describe('PostgreSQL connection errors', () => {
  it('explains a closed port without revealing the password', async () => {
    const port = await closedPort();
    const error = await openDatabase({ db: `postgres://me:s3cret@127.0.0.1:${port}/porch` }).catch((e: unknown) => e);
    expect(isDatabaseError(error, 'DB_CONNECT')).toBe(true);
    expect((error as DatabaseError).message).toBe(
      `cannot connect to PostgreSQL at 127.0.0.1:${port}/porch: connection refused (is the server running and listening on that port?); check --db / PORCHLIGHT_DB`,
    );
    expect(JSON.stringify((error as DatabaseError).toJSON())).not.toContain('s3cret');
  });

  it('redacts passwords from URLs shown to the user', () => {
    expect(redactUrl('postgres://me:s3cret@db.example:6543/porch?sslmode=require')).toBe('postgres://me@db.example:6543/porch?sslmode=require');
    expect(redactUrl('postgres://db/porch?password=s3cret')).not.toContain('s3cret');
  });
});

const migrationRoots: string[] = [];
afterAll(() => {
  for (const root of migrationRoots) rmSync(root, { recursive: true, force: true });
});
/** What an older Porchlight knows: no migrations at all. */
function noMigrations(): string {
  const root = mkdtempSync(join(tmpdir(), 'porchlight-old-'));
  migrationRoots.push(root);
  return root;
}

describe.each(testEngines())('openDatabase on $kind', (engine) => {
  useTestEngine(engine);

  it('opens and migrates with the repository migrations; a reopen keeps the data and applies nothing', async () => {
    const newest = loadMigrations().at(-1)?.version ?? 0;
    const db = await engine.open();
    try {
      expect(db.kind).toBe(engine.kind);
      const versions = await db.query<{ v: number }>('SELECT max(version) v FROM schema_migrations');
      expect(versions.rows[0]!.v).toBe(newest);
      await db.exec('CREATE TABLE IF NOT EXISTS kept (x int); INSERT INTO kept VALUES (1);');
    } finally {
      await db.close();
    }
    const again = await engine.open();
    try {
      expect((await again.query('SELECT x FROM kept')).rows).toEqual([{ x: 1 }]);
      expect((await again.query<{ n: number }>('SELECT count(*) n FROM schema_migrations')).rows[0]!.n).toBe(loadMigrations().length);
    } finally {
      await again.close();
    }
  });

  it('refuses a database migrated by a newer Porchlight, and leaves it openable', async () => {
    const newest = loadMigrations().at(-1)!.version;
    const error = await engine.open({ migrationsDir: noMigrations() }).catch((e: unknown) => e);
    expect(isDatabaseError(error, 'DB_TOO_NEW')).toBe(true);
    expect((error as Error).message).toContain(`(schema ${newest}, this version knows 0)`);
    // The failed open closed the engine and released the lock.
    const db = await engine.open();
    await db.close();
  });

  it.runIf(engine.kind === 'pglite')('keeps a second open in the same process out until the first closes', async () => {
    const db = await engine.open();
    expect(db.location).toBe(engine.target);
    expect(existsSync(join(engine.target, LOCK_FILE_NAME))).toBe(true);
    const error = await engine.open().catch((e: unknown) => e);
    expect(isDatabaseError(error, 'DB_LOCKED')).toBe(true);
    await db.close();
    expect(existsSync(join(engine.target, LOCK_FILE_NAME))).toBe(false);
    await (await engine.open()).close();
  });

  it.runIf(engine.kind === 'postgres')('hides the password in location and in a wrong-password error', async () => {
    const db = await engine.open();
    try {
      const url = new URL(engine.target);
      expect(db.location).toBe(redactUrl(engine.target));
      if (url.password) expect(db.location).not.toContain(`:${url.password}@`);
    } finally {
      await db.close();
    }
    const wrong = new URL(engine.target);
    wrong.password = 'definitely-wrong';
    const error = await openDatabase({ db: wrong.toString() }).catch((e: unknown) => e);
    expect(isDatabaseError(error, 'DB_CONNECT')).toBe(true);
    expect((error as Error).message).toContain(`cannot connect to PostgreSQL at ${wrong.hostname}:${wrong.port || '5432'}${wrong.pathname}: `);
    expect(JSON.stringify((error as DatabaseError).toJSON())).not.toContain('definitely-wrong');
  });
});

/** A loopback port that was just free: nothing listens there. */
function closedPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

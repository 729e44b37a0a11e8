// The engines every database test runs on: PGlite always, PostgreSQL when
// PORCHLIGHT_TEST_PG_URL names a server (an admin URL; each test file creates
// and drops its own database there). With PORCHLIGHT_REQUIRE_PG=1 a missing URL
// makes the PostgreSQL tests fail instead of silently disappearing (CI).
//
//   describe.each(testEngines())('$kind', (engine) => {
//     useTestEngine(engine);
//     it('...', async () => { const db = await engine.open(); ... });
//   });
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { Database, DatabaseKind, Queryable } from '../../src-main/db/database.ts';
import { acquireDirLock } from '../../src-main/db/dir-lock.ts';
import { openDatabase, type OpenDatabaseOptions } from '../../src-main/db/open-database.ts';
import { openPglite, type PgliteOpenOptions } from '../../src-main/db/pglite-driver.ts';
import { openPostgres } from '../../src-main/db/postgres-driver.ts';

export interface TestEngine {
  readonly kind: DatabaseKind;
  /** Creates this file's database (temp directory / fresh PostgreSQL database). */
  setup(): Promise<void>;
  /** Drops it again. */
  teardown(): Promise<void>;
  /** The --db value that reaches this file's database; valid after setup(). */
  readonly target: string;
  /** Opens through openDatabase: locked, migrated with `migrationsDir` (default: the repository's). */
  open(options?: Omit<OpenDatabaseOptions, 'db'>): Promise<Database>;
  /** Opens the bare driver: no migrations (PGlite still takes the directory lock, and loads `extensions` too). */
  openRaw(options?: Pick<PgliteOpenOptions, 'extensions'>): Promise<Database>;
}

export const PG_URL_VARIABLE = 'PORCHLIGHT_TEST_PG_URL';

export function testEngines(env: NodeJS.ProcessEnv = process.env): TestEngine[] {
  const url = env[PG_URL_VARIABLE]?.trim();
  if (url) return [pgliteEngine(), postgresEngine(url)];
  if (env.PORCHLIGHT_REQUIRE_PG === '1') return [pgliteEngine(), missingPostgresEngine()];
  return [pgliteEngine()];
}

/** Registers setup/teardown of `engine` around the enclosing describe block. */
export function useTestEngine(engine: TestEngine): void {
  beforeAll(() => engine.setup());
  afterAll(() => engine.teardown());
}

/** Drops everything in the public schema, so one database serves many tests. */
export async function resetSchema(db: Queryable): Promise<void> {
  await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
}

function pgliteEngine(): TestEngine {
  let root: string | undefined;
  const dir = () => {
    if (!root) throw new Error('pglite test engine used before setup()');
    return join(root, 'db');
  };
  return {
    kind: 'pglite',
    async setup() {
      root = mkdtempSync(join(tmpdir(), 'porchlight-test-'));
    },
    async teardown() {
      if (root) rmSync(root, { recursive: true, force: true });
    },
    get target() {
      return dir();
    },
    open: (options = {}) => openDatabase({ ...options, db: dir() }),
    async openRaw(options = {}) {
      const lock = acquireDirLock(dir());
      try {
        return await openPglite({ ...options, dir: dir(), onClose: () => lock.release() });
      } catch (e) {
        lock.release();
        throw e;
      }
    },
  };
}

function postgresEngine(adminUrl: string): TestEngine {
  const name = `porchlight_test_${randomBytes(6).toString('hex')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const target = url.toString();
  // The name is generated above from hex digits, so quoting it is safe; DDL takes no parameters.
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    kind: 'postgres',
    setup: () => admin(`CREATE DATABASE "${name}"`),
    teardown: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    target,
    open: (options = {}) => openDatabase({ ...options, db: target }),
    openRaw: () => openPostgres(target),
  };
}

function missingPostgresEngine(): TestEngine {
  const fail = (): never => {
    throw new Error(`PORCHLIGHT_REQUIRE_PG=1 but ${PG_URL_VARIABLE} is not set: the PostgreSQL tests cannot run`);
  };
  return {
    kind: 'postgres',
    setup: async () => fail(),
    teardown: async () => {},
    get target() {
      return fail();
    },
    open: async () => fail(),
    openRaw: async () => fail(),
  };
}

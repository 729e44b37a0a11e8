import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src-main/db/database.ts';
import { DatabaseError, isDatabaseError } from '../../src-main/db/errors.ts';
import { DEFAULT_MIGRATIONS_DIR, loadMigrations, migrate } from '../../src-main/db/migrate.ts';
import { openPostgres } from '../../src-main/db/postgres-driver.ts';
import { resetSchema, testEngines, useTestEngine } from '../support/databases.ts';

const dirs: string[] = [];
function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'porchlight-migrations-'));
  dirs.push(dir);
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const ONE = 'CREATE TABLE one (id int PRIMARY KEY);';
const TWO = 'CREATE TABLE two (id int PRIMARY KEY);\nINSERT INTO two VALUES (1), (2);';

describe('loadMigrations', () => {
  it('orders files by number, ignores other files and rejects duplicate versions', () => {
    const dir = migrationsDir({ '010_ten.sql': 'SELECT 10;', '2_two.sql': 'SELECT 2;', 'README.md': '#', '001_one.sql.bak': 'x' });
    expect(loadMigrations(dir).map((m) => [m.version, m.name])).toEqual([
      [2, 'two'],
      [10, 'ten'],
    ]);
    const clash = migrationsDir({ '001_a.sql': 'SELECT 1;', '1_b.sql': 'SELECT 1;' });
    expect(() => loadMigrations(clash)).toThrow(/two migrations share version 1/);
  });

  it('gives a CRLF checkout the same checksum as an LF one', () => {
    const lf = migrationsDir({ '001_a.sql': 'SELECT 1;\nSELECT 2;\n' });
    const crlf = migrationsDir({ '001_a.sql': 'SELECT 1;\r\nSELECT 2;\r\n' });
    expect(loadMigrations(crlf)[0]!.checksum).toBe(loadMigrations(lf)[0]!.checksum);
  });
});

describe.each(testEngines())('migrate on $kind', (engine) => {
  useTestEngine(engine);
  let db: Database;
  beforeAll(async () => {
    db = await engine.openRaw();
  });
  afterAll(() => db?.close());
  beforeEach(() => resetSchema(db));

  const recorded = async () =>
    (await db.query<{ version: number; name: string; checksum: string; applied_at: Date }>('SELECT * FROM schema_migrations ORDER BY version')).rows;
  const tableExists = async (name: string) => (await db.query<{ t: string | null }>('SELECT to_regclass($1)::text t', [name])).rows[0]!.t !== null;

  it('applies each migration once, in order, and records it with its checksum', async () => {
    const dir = migrationsDir({ '001_one.sql': ONE, '002_two.sql': TWO });
    expect(await migrate(db, { dir })).toEqual([1, 2]);
    expect(await migrate(db, { dir })).toEqual([]);
    const rows = await recorded();
    expect(rows.map((r) => [r.version, r.name])).toEqual([
      [1, 'one'],
      [2, 'two'],
    ]);
    expect(rows.map((r) => r.checksum)).toEqual(loadMigrations(dir).map((m) => m.checksum));
    expect(rows[0]!.applied_at).toBeInstanceOf(Date);
    expect((await db.query('SELECT * FROM two')).rows).toHaveLength(2);
  });

  it('applies only the new files when the folder grows', async () => {
    await migrate(db, { dir: migrationsDir({ '001_one.sql': ONE }) });
    expect(await migrate(db, { dir: migrationsDir({ '001_one.sql': ONE, '002_two.sql': TWO }) })).toEqual([2]);
  });

  it('leaves nothing of a failing migration, keeps the earlier ones, and says which file failed', async () => {
    const bad = 'CREATE TABLE half (id int);\nINSERT INTO half VALUES (1);\nSELECT * FROM missing_table;';
    const dir = migrationsDir({ '001_one.sql': ONE, '002_bad.sql': bad, '003_three.sql': 'CREATE TABLE three (id int);' });
    const error = await migrate(db, { dir }).catch((e: unknown) => e);
    expect(isDatabaseError(error, 'DB_MIGRATION_FAILED')).toBe(true);
    expect((error as DatabaseError).message).toMatch(/002_bad\.sql failed and was rolled back: .*missing_table/);
    expect((error as DatabaseError).data).toMatchObject({ version: 2, sqlState: '42P01' });
    expect(await tableExists('one')).toBe(true);
    expect(await tableExists('half')).toBe(false);
    expect(await tableExists('three')).toBe(false);
    expect((await recorded()).map((r) => r.version)).toEqual([1]);
  });

  it('refuses a database migrated by a newer Porchlight', async () => {
    await migrate(db, { dir: migrationsDir({ '001_one.sql': ONE, '002_two.sql': TWO }) });
    const error = await migrate(db, { dir: migrationsDir({ '001_one.sql': ONE }) }).catch((e: unknown) => e);
    expect(isDatabaseError(error, 'DB_TOO_NEW')).toBe(true);
    expect((error as Error).message).toBe(
      'this database was migrated by a newer Porchlight (schema 2, this version knows 1); upgrade Porchlight or use another --db',
    );
  });

  it('detects an applied migration whose file changed, before applying anything', async () => {
    await migrate(db, { dir: migrationsDir({ '001_one.sql': ONE }) });
    const dir = migrationsDir({ '001_one.sql': `${ONE}\n-- edited`, '002_two.sql': TWO });
    const error = await migrate(db, { dir }).catch((e: unknown) => e);
    expect(isDatabaseError(error, 'DB_MIGRATION_CHANGED')).toBe(true);
    expect((error as Error).message).toMatch(/migration 1 \(one\).*001_one\.sql has changed/);
    expect(await tableExists('two')).toBe(false);
  });

  it('detects an applied migration whose file is gone', async () => {
    await migrate(db, { dir: migrationsDir({ '001_one.sql': ONE, '002_two.sql': TWO }) });
    const error = await migrate(db, { dir: migrationsDir({ '002_two.sql': TWO }) }).catch((e: unknown) => e);
    expect(isDatabaseError(error, 'DB_MIGRATION_CHANGED')).toBe(true);
  });

  it("applies the repository's own migrations to an empty database", async () => {
    const applied = await migrate(db, { dir: DEFAULT_MIGRATIONS_DIR });
    expect(applied).toEqual(loadMigrations().map((m) => m.version));
    expect(await migrate(db)).toEqual([]);
  });

  it.runIf(engine.kind === 'postgres')('lets only one of two concurrent processes apply each migration', async () => {
    const slow = 'SELECT pg_sleep(0.3);\nCREATE TABLE slow (id int);';
    const dir = migrationsDir({ '001_one.sql': ONE, '002_slow.sql': slow, '003_two.sql': TWO });
    const [a, b] = [await openPostgres(engine.target), await openPostgres(engine.target)];
    try {
      const results = await Promise.all([migrate(a, { dir }), migrate(b, { dir })]);
      expect([...results[0], ...results[1]].sort()).toEqual([1, 2, 3]);
      expect((await recorded()).map((r) => r.version)).toEqual([1, 2, 3]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

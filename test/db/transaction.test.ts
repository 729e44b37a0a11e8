import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src-main/db/database.ts';
import { isDatabaseError, sqlState } from '../../src-main/db/errors.ts';
import { resetSchema, testEngines, useTestEngine } from '../support/databases.ts';

describe.each(testEngines())('transactions on $kind', (engine) => {
  useTestEngine(engine);
  let db: Database;
  beforeAll(async () => {
    db = await engine.openRaw();
  });
  afterAll(() => db?.close());
  beforeEach(async () => {
    await resetSchema(db);
    await db.exec('CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY);');
  });

  const ids = async (table: 'a' | 'b') => (await db.query<{ id: number }>(`SELECT id FROM ${table} ORDER BY id`)).rows.map((r) => r.id);

  it('commits writes to several tables together and returns the value', async () => {
    const value = await db.transaction(async (tx) => {
      await tx.query('INSERT INTO a VALUES ($1)', [1]);
      await tx.exec('INSERT INTO b VALUES (1); INSERT INTO b VALUES (2);');
      return (await tx.query<{ n: number }>('SELECT count(*)::int n FROM b')).rows[0]!.n;
    });
    expect(value).toBe(2);
    expect(await ids('a')).toEqual([1]);
    expect(await ids('b')).toEqual([1, 2]);
  });

  it('rolls everything back and rethrows the same error when the callback throws', async () => {
    const boom = new Error('boom');
    const thrown = await db
      .transaction(async (tx) => {
        await tx.query('INSERT INTO a VALUES (1)');
        await tx.query('INSERT INTO b VALUES (1)');
        throw boom;
      })
      .catch((e: unknown) => e);
    expect(thrown).toBe(boom);
    expect(await ids('a')).toEqual([]);
    expect(await ids('b')).toEqual([]);
  });

  it('rolls back when a statement fails, with the engine error and its SQLSTATE', async () => {
    await db.query('INSERT INTO b VALUES (7)');
    const thrown = await db
      .transaction(async (tx) => {
        await tx.query('INSERT INTO a VALUES (1)');
        await tx.query('INSERT INTO b VALUES (7)');
      })
      .catch((e: unknown) => e);
    expect(sqlState(thrown)).toBe('23505');
    expect(await ids('a')).toEqual([]);
  });

  it('refuses to commit when a failed statement was caught inside the callback', async () => {
    const thrown = await db
      .transaction(async (tx) => {
        await tx.query('INSERT INTO a VALUES (1)');
        await tx.query('SELECT 1/0').catch(() => undefined);
        return 'done';
      })
      .catch((e: unknown) => e);
    expect(isDatabaseError(thrown, 'DB_TRANSACTION_ABORTED')).toBe(true);
    expect(await ids('a')).toEqual([]);
  });

  it('keeps the database usable after a rollback', async () => {
    await db.transaction(async () => Promise.reject(new Error('x'))).catch(() => undefined);
    await db.transaction((tx) => tx.query('INSERT INTO a VALUES (5)'));
    expect(await ids('a')).toEqual([5]);
  });

  it.runIf(engine.kind === 'pglite')('fails fast when the outer database is queried inside its own transaction', async () => {
    const thrown = await db
      .transaction(async (tx) => {
        await tx.query('INSERT INTO a VALUES (1)');
        await db.query('SELECT 1');
      })
      .catch((e: unknown) => e);
    expect(isDatabaseError(thrown, 'DB_MISUSE')).toBe(true);
    expect(await ids('a')).toEqual([]);
    // Outside the transaction, queries that were merely concurrent still work.
    await Promise.all([db.transaction((tx) => tx.query('INSERT INTO a VALUES (2)')), db.query('INSERT INTO b VALUES (2)')]);
    expect(await ids('a')).toEqual([2]);
    expect(await ids('b')).toEqual([2]);
  });
});

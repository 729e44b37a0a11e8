// Both drivers must hand back the same JavaScript values for the same SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src-main/db/database.ts';
import { sqlState } from '../../src-main/db/errors.ts';
import { resetSchema, testEngines, useTestEngine } from '../support/databases.ts';

describe.each(testEngines())('type normalisation on $kind', (engine) => {
  useTestEngine(engine);
  let db: Database;
  beforeAll(async () => {
    db = await engine.openRaw();
    await resetSchema(db);
    await db.exec(`
      CREATE TABLE t (id int8 PRIMARY KEY, blob bytea, doc jsonb, at timestamptz, day date, ids int8[]);
      CREATE TABLE u (name text UNIQUE);
    `);
  });
  afterAll(() => db?.close());

  it('returns int8 as number, and as bigint beyond 2^53 rather than rounding', async () => {
    const { rows } = await db.query<{ a: unknown; b: unknown; c: unknown; big: unknown; n: unknown }>(
      `SELECT 42::int8 a, (-7)::int8 b, $1::int8 c, 9007199254740993::int8 big, count(*) n FROM generate_series(1, 3)`,
      [Number.MAX_SAFE_INTEGER],
    );
    expect(rows[0]).toEqual({ a: 42, b: -7, c: Number.MAX_SAFE_INTEGER, big: 9007199254740993n, n: 3 });
  });

  it('round-trips int8 arrays and int8 columns', async () => {
    await db.query('INSERT INTO t (id, ids) VALUES ($1, $2)', [1, [1, 2, 9007199254740993n]]);
    const { rows } = await db.query<{ id: unknown; ids: unknown }>('SELECT id, ids FROM t WHERE id = $1', [1]);
    expect(rows[0]).toEqual({ id: 1, ids: [1, 2, 9007199254740993n] });
  });

  it('round-trips bytea holding bytes that are not UTF-8 as a plain Uint8Array', async () => {
    const bytes = new Uint8Array([0x00, 0xff, 0xfe, 0x80, 0xc3, 0x28, 0x0a, 0x5c]);
    await db.query('INSERT INTO t (id, blob) VALUES ($1, $2)', [2, bytes]);
    const { rows } = await db.query<{ blob: Uint8Array; len: number }>('SELECT blob, length(blob) len FROM t WHERE id = 2');
    expect(rows[0]!.len).toBe(8);
    expect(rows[0]!.blob.constructor).toBe(Uint8Array); // not a Buffer on pg
    expect([...rows[0]!.blob]).toEqual([...bytes]);
  });

  it('parses jsonb, whether sent as an object or as JSON text', async () => {
    const doc = { name: 'pkg', labels: { 'kpt.dev/x': 'ü' }, list: [1, null, true], n: 1.5 };
    await db.query('INSERT INTO t (id, doc) VALUES ($1, $2)', [3, doc]);
    // A JS array is sent as a PostgreSQL array by pg: JSON arrays go as text.
    await db.query('INSERT INTO t (id, doc) VALUES ($1, $2)', [4, JSON.stringify([{ a: 1 }, 'x'])]);
    const { rows } = await db.query<{ doc: unknown }>('SELECT doc FROM t WHERE id IN (3, 4) ORDER BY id');
    expect(rows.map((r) => r.doc)).toEqual([doc, [{ a: 1 }, 'x']]);
  });

  it('returns timestamptz as a Date with millisecond precision', async () => {
    const at = new Date('2024-02-29T23:59:58.123Z');
    await db.query('INSERT INTO t (id, at) VALUES ($1, $2)', [5, at]);
    const { rows } = await db.query<{ at: Date; lit: Date }>(`SELECT at, '2001-02-03 04:05:06.789+02'::timestamptz lit FROM t WHERE id = 5`);
    expect(rows[0]!.at).toBeInstanceOf(Date);
    expect(rows[0]!.at.getTime()).toBe(at.getTime());
    expect(rows[0]!.lit.toISOString()).toBe('2001-02-03T02:05:06.789Z');
  });

  it('returns date as YYYY-MM-DD text, free of time zones', async () => {
    await db.query('INSERT INTO t (id, day) VALUES ($1, $2)', [6, '2024-03-31']);
    const { rows } = await db.query<{ day: unknown }>('SELECT day FROM t WHERE id = 6');
    expect(rows[0]!.day).toBe('2024-03-31');
  });

  it('counts affected rows for writes and reports 0 for SELECT', async () => {
    const insert = await db.query('INSERT INTO t (id) VALUES (10), (11), (12) RETURNING id');
    expect(insert.affectedRows).toBe(3);
    expect(insert.rows).toHaveLength(3);
    expect((await db.query('UPDATE t SET day = $1 WHERE id >= 10', ['2020-01-01'])).affectedRows).toBe(3);
    const select = await db.query('SELECT * FROM t WHERE id >= 10');
    expect(select.rows).toHaveLength(3);
    expect(select.affectedRows).toBe(0);
    expect((await db.query('DELETE FROM t WHERE id >= 11')).affectedRows).toBe(2);
    expect((await db.query('DELETE FROM t WHERE id = -1')).affectedRows).toBe(0);
  });

  it('runs several statements with exec', async () => {
    await db.exec(`INSERT INTO u VALUES ('a'); INSERT INTO u VALUES ('b'); UPDATE u SET name = upper(name);`);
    const { rows } = await db.query<{ name: string }>('SELECT name FROM u ORDER BY name');
    expect(rows.map((r) => r.name)).toEqual(['A', 'B']);
  });

  it('passes engine errors through with their SQLSTATE', async () => {
    const error = await db.query(`INSERT INTO u VALUES ('A')`).catch((e: unknown) => e);
    expect(sqlState(error)).toBe('23505');
    expect(sqlState(await db.query('SELECT * FROM no_such_table').catch((e: unknown) => e))).toBe('42P01');
  });

  it('supports pg_trgm similarity search over a GIN index', async () => {
    await db.exec(`
      CREATE EXTENSION IF NOT EXISTS pg_trgm;
      CREATE TABLE names (name text);
      CREATE INDEX names_trgm ON names USING gin (name gin_trgm_ops);
      INSERT INTO names VALUES ('catalog-basens'), ('catalog-istio'), ('blueprints-redis');
    `);
    const { rows } = await db.query<{ name: string }>('SELECT name FROM names WHERE name ILIKE $1 ORDER BY name', ['%TALOG%']);
    expect(rows.map((r) => r.name)).toEqual(['catalog-basens', 'catalog-istio']);
  });
});

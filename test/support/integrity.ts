// amcheck over a test database: every B-tree index checked against its heap
// (bt_index_check with heapallindexed) and every table's heap verified
// (verify_heapam). What a kill -9 must never leave behind is exactly what
// these find: torn pages, index entries without rows, rows missing from an
// index. Returns the problems found, empty when the database is sound.
import { amcheck } from '@electric-sql/pglite/contrib/amcheck';
import type { Queryable } from '../../src-main/db/database.ts';
import type { TestEngine } from './databases.ts';

export async function amcheckProblems(engine: TestEngine): Promise<string[]> {
  // PGlite loads amcheck from its contrib bundle; PostgreSQL has it installed.
  const db = await engine.openRaw({ extensions: { amcheck } });
  try {
    return await check(db);
  } finally {
    await db.close();
  }
}

async function check(db: Queryable): Promise<string[]> {
  await db.exec('CREATE EXTENSION IF NOT EXISTS amcheck');
  const problems: string[] = [];
  const indexes = await db.query<{ name: string }>(
    `SELECT c.oid::regclass::text AS name FROM pg_class c JOIN pg_am am ON am.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'i' AND am.amname = 'btree' AND n.nspname = 'public'`,
  );
  for (const { name } of indexes.rows) {
    try {
      await db.query('SELECT bt_index_check($1::regclass, true)', [name]);
    } catch (e) {
      problems.push(`index ${name}: ${(e as Error).message}`);
    }
  }
  const tables = await db.query<{ name: string }>(
    `SELECT c.oid::regclass::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = 'public'`,
  );
  for (const { name } of tables.rows) {
    const res = await db.query<{ blkno: number; offnum: number; msg: string }>('SELECT blkno, offnum, msg FROM verify_heapam($1::regclass)', [name]);
    for (const r of res.rows) problems.push(`table ${name} block ${r.blkno} item ${r.offnum}: ${r.msg}`);
  }
  if (indexes.rows.length === 0 || tables.rows.length === 0) problems.push('amcheck found no tables or indexes to check');
  return problems;
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isDatabaseError } from '../../src-main/db/errors.ts';
import { openPglite } from '../../src-main/db/pglite-driver.ts';

const root = mkdtempSync(join(tmpdir(), 'porchlight-pglite-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('openPglite', () => {
  it('opens an in-memory database when given no directory, and runs onClose once', async () => {
    let closed = 0;
    const db = await openPglite({ onClose: () => void closed++ });
    expect(db.location).toBe('memory');
    await db.exec('CREATE TABLE t (x int); INSERT INTO t VALUES (1);');
    expect((await db.query('SELECT x FROM t')).rows).toEqual([{ x: 1 }]);
    await Promise.all([db.close(), db.close()]);
    expect(closed).toBe(1);
  });

  it('reports a directory it cannot use as DB_OPEN_FAILED', async () => {
    const file = join(root, 'not-a-dir');
    writeFileSync(file, 'x');
    const error = await openPglite({ dir: file }).catch((e: unknown) => e);
    expect(isDatabaseError(error, 'DB_OPEN_FAILED')).toBe(true);
    expect((error as Error).message).toContain(file);
  });
});

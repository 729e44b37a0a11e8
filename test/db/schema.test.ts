// Porch's rules, enforced by the database itself on both engines: lifecycle
// moves, revision numbers, the latest flag, live-row uniqueness and cascades.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src-main/db/database.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';

describe.each(testEngines())('schema rules on $kind', (engine) => {
  useTestEngine(engine);
  let db: Database;
  let repo: number;
  let pkg: number;

  beforeAll(async () => {
    db = await engine.open();
    repo = (await db.query<{ id: number }>(`INSERT INTO repositories (namespace, name, spec, updated_by) VALUES ('ns', 'r', '{}', 't') RETURNING id`)).rows[0]!
      .id;
    pkg = (
      await db.query<{ id: number }>(
        `INSERT INTO packages (repository_id, namespace, name, package_path, updated_by) VALUES ($1, 'ns', 'r.p', 'p', 't') RETURNING id`,
        [repo],
      )
    ).rows[0]!.id;
  });
  afterAll(() => db?.close());

  const insert = async (workspace: string, revision: number, lifecycle: string) =>
    (
      await db.query<{ id: number }>(
        `INSERT INTO package_revisions (repository_id, package_id, namespace, name, package_path, workspace, revision, lifecycle, updated_by)
         VALUES ($1, $2, 'ns', $3, 'p', $4, $5, $6, 't') RETURNING id`,
        [repo, pkg, `r.p.${workspace}`, workspace, revision, lifecycle],
      )
    ).rows[0]!.id;
  const latest = async () =>
    (await db.query<{ workspace: string }>(`SELECT workspace FROM package_revisions WHERE repository_id = $1 AND latest ORDER BY workspace`, [repo])).rows.map(
      (r) => r.workspace,
    );

  it('refuses revision numbers that do not match the lifecycle', async () => {
    await expect(insert('d1', 3, 'Draft')).rejects.toThrow(/revision_matches_lifecycle/);
    await expect(insert('p0', 0, 'Published')).rejects.toThrow(/revision_matches_lifecycle/);
    await expect(insert('x', 1, 'Approved')).rejects.toThrow(/lifecycle/);
  });

  it('keeps latest on the highest published revision through insert, approval and delete', async () => {
    await insert('main', -1, 'Published');
    const v1 = await insert('v1', 1, 'Published');
    expect(await latest()).toEqual(['v1']);
    const v2 = await insert('v2', 2, 'Published');
    expect(await latest()).toEqual(['v2']);
    const draft = await insert('ws', 0, 'Draft');
    expect(await latest()).toEqual(['v2']);
    await db.query(`UPDATE package_revisions SET lifecycle = 'Proposed' WHERE repository_id = $1 AND id = $2`, [repo, draft]);
    await db.query(`UPDATE package_revisions SET lifecycle = 'Published', revision = 3 WHERE repository_id = $1 AND id = $2`, [repo, draft]);
    expect(await latest()).toEqual(['ws']);
    await db.query(`DELETE FROM package_revisions WHERE repository_id = $1 AND id = $2`, [repo, draft]);
    expect(await latest()).toEqual(['v2']);
    // A revision proposed for deletion stays latest until it is gone, as in Porch.
    await db.query(`UPDATE package_revisions SET lifecycle = 'DeletionProposed' WHERE repository_id = $1 AND id = $2`, [repo, v2]);
    expect(await latest()).toEqual(['v2']);
    await db.query(`UPDATE package_revisions SET status = 'pending_destruction' WHERE repository_id = $1 AND id = $2`, [repo, v2]);
    expect(await latest()).toEqual(['v1']);
    expect(v1).toBeGreaterThan(0);
  });

  it('allows only Porch lifecycle moves', async () => {
    const d = await insert('moves', 0, 'Draft');
    await expect(
      db.query(`UPDATE package_revisions SET lifecycle = 'Published', revision = 9 WHERE repository_id = $1 AND id = $2`, [repo, d]),
    ).rejects.toThrow(/cannot move from Draft to Published/);
    await expect(
      db.query(`UPDATE package_revisions SET lifecycle = 'DeletionProposed' WHERE repository_id = $1 AND workspace = 'v1'`, [repo]),
    ).resolves.toBeDefined();
    await expect(
      db.query(`UPDATE package_revisions SET lifecycle = 'Draft', revision = 0 WHERE repository_id = $1 AND workspace = 'v1'`, [repo]),
    ).rejects.toThrow(/cannot move from DeletionProposed to Draft/);
    await expect(db.query(`UPDATE package_revisions SET revision = 7 WHERE repository_id = $1 AND workspace = 'v1'`, [repo])).rejects.toThrow(/cannot change/);
  });

  it('keeps names and revision numbers unique among live rows only', async () => {
    await expect(insert('v1', 5, 'Published')).rejects.toThrow(/duplicate key/);
    await expect(insert('other', 1, 'Published')).rejects.toThrow(/duplicate key/);
    await db.query(`UPDATE package_revisions SET status = 'pending_destruction' WHERE repository_id = $1 AND workspace = 'v1'`, [repo]);
    await expect(insert('v1', 1, 'Published')).resolves.toBeGreaterThan(0);
  });

  it('refuses resources that belong to no revision, and revisions or resources that change identity', async () => {
    const id = await insert('refs', 6, 'Published');
    await expect(
      db.query(`INSERT INTO resources (repository_id, package_revision_id, path, content) VALUES ($1, $2, 'x', '\\x00')`, [repo, 999_999_999]),
    ).rejects.toThrow(/violates the reference to package_revisions/);
    await db.query(`INSERT INTO resources (repository_id, package_revision_id, path, content) VALUES ($1, $2, 'x', '\\x00')`, [repo, id]);
    await expect(db.query(`UPDATE resources SET package_revision_id = 1 WHERE repository_id = $1`, [repo])).rejects.toThrow(/cannot change/);
    await expect(db.query(`UPDATE package_revisions SET id = id + 1000000 WHERE repository_id = $1 AND id = $2`, [repo, id])).rejects.toThrow(/cannot change/);
    await db.query(`DELETE FROM package_revisions WHERE repository_id = $1 AND id = $2`, [repo, id]);
    const left = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resources WHERE repository_id = $1 AND package_revision_id = $2`, [repo, id]);
    expect(left.rows[0]!.n).toBe(0);
  });

  it('cascades a repository delete to revisions and resources', async () => {
    const id = await insert('withfiles', 4, 'Published');
    await db.query(`INSERT INTO resources (repository_id, package_revision_id, path, content) VALUES ($1, $2, 'Kptfile', $3)`, [
      repo,
      id,
      new Uint8Array([0xff, 0x00, 0x41]),
    ]);
    const bytes = (await db.query<{ content: Uint8Array }>(`SELECT content FROM resources WHERE repository_id = $1`, [repo])).rows[0]!.content;
    expect([...bytes]).toEqual([0xff, 0x00, 0x41]);
    await db.query(`DELETE FROM repositories WHERE id = $1`, [repo]);
    const left = await db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM package_revisions)::int + (SELECT count(*) FROM resources)::int + (SELECT count(*) FROM packages)::int AS n`,
    );
    expect(left.rows[0]!.n).toBe(0);
  });
});

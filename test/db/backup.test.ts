// `porchlight db backup` / `restore` on both engines, through the CLI: a round
// trip gives back every draft byte for byte; a restore that cannot succeed
// (a file that is no backup, the wrong engine's backup, a database in use, a
// PostgreSQL database that already holds data without --replace) says so and
// leaves the database as it was; a backup from an older schema comes back
// upgraded.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/main.ts';
import type { Database } from '../../src-main/db/database.ts';
import { loadMigrations } from '../../src-main/db/migrate.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';

// Every byte value, and text that is not UTF-8: a draft's file must come back exactly.
const CONTENT = Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\n'), Buffer.from([...Array(256).keys()])]);

describe.each(testEngines())('db backup and restore on $kind', (engine) => {
  useTestEngine(engine);
  let work: string;

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-backup-'));
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  async function cli(...args: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await runCli([...args, '--db', engine.target], {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
      env: { ...process.env, PORCHLIGHT_HOME: path.join(work, 'home'), PORCHLIGHT_DB: '' },
    });
    return { code, stdout, stderr };
  }

  async function withDb<T>(fn: (db: Database) => Promise<T>, options?: Parameters<typeof engine.open>[0]): Promise<T> {
    const db = await engine.open(options);
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  }

  async function addDraft(db: Database, repository: string, content: Buffer): Promise<void> {
    const repo = (
      await db.query<{ id: number }>(`INSERT INTO repositories (namespace, name, spec, updated_by) VALUES ('default', $1, '{}', 'test') RETURNING id`, [
        repository,
      ])
    ).rows[0]!.id;
    const pkg = (
      await db.query<{ id: number }>(
        `INSERT INTO packages (repository_id, namespace, name, package_path, updated_by) VALUES ($1, 'default', $2, 'basens', 'test') RETURNING id`,
        [repo, `${repository}.basens`],
      )
    ).rows[0]!.id;
    const rev = (
      await db.query<{ id: number }>(
        `INSERT INTO package_revisions (repository_id, package_id, namespace, name, package_path, workspace, revision, lifecycle, updated_by)
         VALUES ($1, $2, 'default', $3, 'basens', 'ws', 0, 'Draft', 'test') RETURNING id`,
        [repo, pkg, `${repository}.basens.ws`],
      )
    ).rows[0]!.id;
    await db.query(`INSERT INTO resources (repository_id, package_revision_id, path, content) VALUES ($1, $2, 'cm.yaml', $3)`, [repo, rev, content]);
  }

  async function drafts(db: Database): Promise<Record<string, string>> {
    const res = await db.query<{ name: string; content: Uint8Array }>(
      `SELECT pr.name, r.content FROM package_revisions pr JOIN resources r ON r.repository_id = pr.repository_id AND r.package_revision_id = pr.id ORDER BY pr.name`,
    );
    return Object.fromEntries(res.rows.map((r) => [r.name, Buffer.from(r.content).toString('hex')]));
  }

  it('round-trips every draft byte for byte, and keeps what it replaced', async () => {
    await withDb((db) => addDraft(db, 'before', CONTENT));
    const file = path.join(work, 'one.backup');
    const backup = await cli('db', 'backup', file);
    expect(backup).toMatchObject({ code: 0, stderr: '' });
    expect(backup.stdout).toMatch(/^backed up .* to .*one\.backup/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    // Work goes on after the backup: a new draft, the old one deleted.
    await withDb(async (db) => {
      await addDraft(db, 'after', Buffer.from('later'));
      await db.query(`DELETE FROM repositories WHERE name = 'before'`);
    });

    const restore = await cli('db', 'restore', file, ...(engine.kind === 'postgres' ? ['--replace'] : []));
    expect(restore).toMatchObject({ code: 0, stderr: '' });
    expect(await withDb(drafts)).toEqual({ 'before.basens.ws': CONTENT.toString('hex') });

    if (engine.kind === 'pglite') {
      // The directory it replaced is kept aside, with the work done after the backup.
      const kept = /kept in (.+)\n$/.exec(restore.stdout)![1]!;
      expect(fs.existsSync(path.join(kept, 'PG_VERSION'))).toBe(true);
      expect(fs.existsSync(path.join(kept, 'porchlight.lock'))).toBe(false);
    }
  });

  it('refuses a file that is not a backup, and a backup of the other engine, and changes nothing', async () => {
    const before = await withDb(drafts);
    const junk = path.join(work, 'junk.backup');
    fs.writeFileSync(junk, 'not a backup at all');
    expect(await cli('db', 'restore', junk, '--replace')).toMatchObject({ code: 1, stderr: expect.stringContaining('is not a Porchlight backup') });

    const other = path.join(work, 'other.backup');
    fs.writeFileSync(other, engine.kind === 'pglite' ? Buffer.from('PGDMP\u0001\u000e') : Buffer.from([0x1f, 0x8b, 8, 0, 0]));
    const wrong = await cli('db', 'restore', other, '--replace');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(engine.kind === 'pglite' ? 'restore it with --db postgres://' : 'restore it with --db DIRECTORY');
    expect(await withDb(drafts)).toEqual(before);
  });

  it.runIf(engine.kind === 'pglite')('refuses to back up or restore a directory the app has open', async () => {
    const file = path.join(work, 'open.backup');
    await withDb(async () => {
      expect(await cli('db', 'backup', file)).toMatchObject({ code: 1, stderr: expect.stringMatching(/already open|locked/i) });
      expect(fs.existsSync(file)).toBe(false);
    });
    expect((await cli('db', 'backup', file)).code).toBe(0);
    await withDb(async (db) => {
      await addDraft(db, 'while-open', Buffer.from('x'));
      expect(await cli('db', 'restore', file)).toMatchObject({ code: 1, stderr: expect.stringMatching(/already open|locked/i) });
      expect(Object.keys(await drafts(db))).toContain('while-open.basens.ws');
    });
  });

  it.runIf(engine.kind === 'postgres')('does not replace a PostgreSQL database that holds data without --replace', async () => {
    const file = path.join(work, 'pg.backup');
    expect((await cli('db', 'backup', file)).code).toBe(0);
    await withDb((db) => addDraft(db, 'newer', Buffer.from('y')));
    const refused = await cli('db', 'restore', file);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('pass --replace') });
    expect(refused.stderr).not.toMatch(/porchlight:porchlight@/);
    expect(Object.keys(await withDb(drafts))).toContain('newer.basens.ws');
  });

  it('brings a backup of an older schema up to this release on restore', async () => {
    // A database as the previous release left it: every migration but the last.
    const all = loadMigrations();
    const previous = fs.mkdtempSync(path.join(work, 'previous-migrations-'));
    for (const m of all.slice(0, -1)) fs.writeFileSync(path.join(previous, m.file), m.sql);
    await withDb(async (db) => {
      await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    });
    await withDb((db) => addDraft(db, 'old', CONTENT), { migrationsDir: previous });
    const file = path.join(work, 'old.backup');
    expect((await cli('db', 'backup', file)).code).toBe(0);
    const restore = await cli('db', 'restore', file, '--replace');
    expect(restore).toMatchObject({ code: 0, stdout: expect.stringContaining('upgraded by 1 migration(s)') });
    await withDb(async (db) => {
      expect(await drafts(db)).toEqual({ 'old.basens.ws': CONTENT.toString('hex') });
      const versions = (await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => Number(r.version));
      expect(versions).toEqual(all.map((m) => m.version));
    });
  });
});

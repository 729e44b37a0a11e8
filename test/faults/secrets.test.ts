// The Git password never lands anywhere but the sealed credential store: a
// run that registers with it (flags and a URL with credentials in it), fails
// with a wrong one, syncs, and approves (a push) is searched afterwards, byte
// for byte: every log line and error message, a full dump of the database
// (PGlite: the data directory's archive, WAL included; PostgreSQL: pg_dump),
// and every file under the data home (local clones' config included).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backupDatabase } from '../../src-main/db/backup.ts';
import { resolveDatabaseTarget } from '../../src-main/db/open-database.ts';
import { openTestService } from '../support/service.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';
import { useWorkbench } from '../support/workbench.ts';

const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

describe.each(testEngines())('secrets on $kind', (engine) => {
  useTestEngine(engine);
  const wb = useWorkbench(engine, { repositories: { simple: 'simple-repository', other: 'trivial-repository' }, username: 'alice', password: PASSWORD });

  it('keeps the Git password out of logs, errors, the database and every other file', async () => {
    const said: string[] = [];
    await wb.service.close();
    wb.service = openTestService({ db: await engine.open(), dataHome: wb.home, log: (m, f) => said.push(`${m} ${JSON.stringify(f ?? {})}`) });
    const s = wb.service;

    const wrong = await s.registerRepository({ url: wb.server.baseUrl('simple'), name: 'wrong', username: 'alice', password: `${PASSWORD}-wrong` });
    said.push(String((wrong.sync as Error).message));
    await s.unregisterRepository({ name: 'wrong', force: true });
    await s.registerRepository({ url: wb.server.baseUrl('simple'), name: 'simple', username: 'alice', password: PASSWORD });
    // Credentials written into the URL are taken out of it.
    const inUrl = wb.server.authUrl('other');
    expect(inUrl).toContain(PASSWORD);
    await s.registerRepository({ url: inUrl, name: 'other' });
    await s.syncRepository({ name: 'simple' });
    const draft = await s.initPackage({ repository: 'simple', name: 'secret/test', workspace: 'one' });
    await s.changeLifecycle({ name: draft.metadata.name, verb: 'propose' });
    await s.changeLifecycle({ name: draft.metadata.name, verb: 'approve' });
    // An error while Git is down, with the password in play.
    await wb.server.pause();
    try {
      await s.syncRepository({ name: 'simple' }).catch((e: Error) => said.push(e.message));
    } finally {
      await wb.server.resume();
    }
    const listed = JSON.stringify([await s.listRepositories({}), await s.getRepository({ name: 'other' })]);
    expect(listed).not.toContain(PASSWORD);
    expect(said.length).toBeGreaterThan(3);
    for (const line of said) expect(line).not.toContain(PASSWORD);

    await s.close();
    let bytes: Buffer;
    if (engine.kind === 'pglite') {
      // The backup is a gzipped tar of the whole data directory, WAL included.
      const dump = path.join(wb.work, 'dump.bin');
      await backupDatabase(resolveDatabaseTarget({ db: engine.target }), dump);
      bytes = zlib.gunzipSync(fs.readFileSync(dump));
    } else {
      // Plain SQL, uncompressed: every row of every table as text.
      bytes = execFileSync('pg_dump', ['--format=plain', '--dbname', engine.target], { maxBuffer: 1 << 30 });
    }
    expect(bytes.length).toBeGreaterThan(10_000);
    expect(bytes.includes(Buffer.from(PASSWORD))).toBe(false);
    expect(bytes.includes(Buffer.from('secret/test'))).toBe(true);

    const files = filesUnder(wb.home);
    expect(files.some((f) => f.endsWith('credentials.json'))).toBe(true);
    expect(files.some((f) => /\.git[/\\]config$/.test(f))).toBe(true);
    for (const f of files) expect(fs.readFileSync(f).includes(Buffer.from(PASSWORD)), f).toBe(false);

    wb.service = openTestService({ db: await engine.open(), dataHome: wb.home });
  });
});

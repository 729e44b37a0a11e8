// When a command goes to the running service and when it runs in process: the
// database it would open compared with the one the service opened (a PGlite
// directory by its real path, PostgreSQL by server, database and user), a
// stale or refusing record ignored, and the commands that need the database
// closed refused beside a service with what to do.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { CliContext } from '../../src-main/cli/cli-context.ts';
import { connectToService, databaseTheCliOpens } from '../../src-main/cli/remote-client.ts';
import { explainServiceLock, useRunningService } from '../../src-main/cli/use-running-service.ts';
import type { ServiceHost } from '../../src-main/host/service-host.ts';
import { databaseIdentity, readRecord, recordFile, sameDatabase } from '../../src-main/host/socket-record.ts';
import { startSocketServer, type SocketServer } from '../../src-main/host/socket-server.ts';

const host: ServiceHost = {
  call: async (channel) => ({ ok: true, value: { answeredBy: 'service', channel } }),
  onEvent: () => () => {},
  close: async () => {},
};

describe('choosing the running service', () => {
  let work: string;
  let home: string;
  let server: SocketServer | undefined;

  beforeEach(() => {
    work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-remote-')));
    home = path.join(work, 'home');
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('compares databases as the same data, not the same spelling', () => {
    fs.mkdirSync(path.join(work, 'real'));
    fs.symlinkSync(path.join(work, 'real'), path.join(work, 'link'));
    expect(
      sameDatabase(databaseIdentity({ kind: 'pglite', dir: path.join(work, 'link') }), databaseIdentity({ kind: 'pglite', dir: path.join(work, 'real') })),
    ).toBe(true);
    expect(sameDatabase(databaseIdentity({ kind: 'pglite', dir: path.join(work, 'a') }), databaseIdentity({ kind: 'pglite', dir: path.join(work, 'b') }))).toBe(
      false,
    );
    const pg = (url: string) => databaseIdentity({ kind: 'postgres', url });
    expect(sameDatabase(pg('postgres://me:secret@localhost/porch'), pg('postgresql://me@127.0.0.1:5432/porch'))).toBe(true);
    expect(sameDatabase(pg('postgres://me@db.example/porch'), pg('postgres://db.example/porch'))).toBe(true);
    expect(sameDatabase(pg('postgres://me@db.example/porch'), pg('postgres://you@db.example/porch'))).toBe(false);
    expect(sameDatabase(pg('postgres://me@db.example/porch'), pg('postgres://me@db.example:5433/porch'))).toBe(false);
    expect(sameDatabase(pg('postgres://me@db.example/porch'), pg('postgres://me@db.example/other'))).toBe(false);
    expect(sameDatabase(pg('postgres://me@db.example/porch'), databaseIdentity({ kind: 'pglite', dir: '/porch' }))).toBe(false);
    // No password in what is recorded.
    expect(JSON.stringify(pg('postgres://me:secret@db.example/porch'))).not.toContain('secret');
  });

  it('opens what an in-process command would open: --db, else PORCHLIGHT_DB, else the saved choice, else the data home', () => {
    expect(databaseTheCliOpens(home, undefined, {})).toEqual({ kind: 'pglite', dir: path.join(home, 'db') });
    expect(databaseTheCliOpens(home, path.join(work, 'x'), { PORCHLIGHT_DB: path.join(work, 'y') })).toEqual({ kind: 'pglite', dir: path.join(work, 'x') });
    expect(databaseTheCliOpens(home, undefined, { PORCHLIGHT_DB: path.join(work, 'y') })).toEqual({ kind: 'pglite', dir: path.join(work, 'y') });
    fs.mkdirSync(home, { recursive: true });
    fs.writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ database: { kind: 'postgres', url: 'postgres://db.example:6543/team' } }));
    expect(databaseTheCliOpens(home, undefined, {})).toMatchObject({ kind: 'postgres', host: 'db.example', port: 6543, database: 'team' });
  });

  it('connects only to a live service on the same database; otherwise the command runs in process', async () => {
    const env = { PORCHLIGHT_HOME: home };
    expect(await connectToService({ dataHome: home, env })).toBeUndefined();
    server = await startSocketServer({ host, dataHome: home, database: databaseIdentity({ kind: 'pglite', dir: path.join(home, 'db') }) });
    const client = await connectToService({ dataHome: home, env });
    expect(client).toBeDefined();
    expect(await client!.call('repositories.list', {})).toEqual({ answeredBy: 'service', channel: 'repositories.list' });
    await client!.close();
    expect(await connectToService({ dataHome: home, db: path.join(work, 'other-db'), env })).toBeUndefined();
    await server.close();
    server = undefined;

    // A record whose process is gone, and one whose process lives but whose socket refuses: both stale.
    const record = {
      pid: 0,
      socket: path.join(home, 'service.sock'),
      dataHome: home,
      database: databaseIdentity({ kind: 'pglite', dir: path.join(home, 'db') }),
      version: '0',
      startedAt: '',
    };
    fs.writeFileSync(recordFile(home), JSON.stringify({ ...record, pid: spawnSync(process.execPath, ['-e', '']).pid }));
    expect(await connectToService({ dataHome: home, env })).toBeUndefined();
    fs.writeFileSync(recordFile(home), JSON.stringify({ ...record, pid: process.pid }));
    expect(readRecord(home)?.pid).toBe(process.pid);
    expect(await connectToService({ dataHome: home, env })).toBeUndefined();
  });

  it('refuses db restore beside the service, and turns a lock error into what to do', async () => {
    server = await startSocketServer({ host, dataHome: home, database: databaseIdentity({ kind: 'pglite', dir: path.join(home, 'db') }) });
    const ctx = new CliContext({ stdout: () => {}, stderr: () => {}, env: { PORCHLIGHT_HOME: home } }, () => undefined);
    const program = new Command('porchlight');
    const db = program.command('db');
    const restore = db.command('restore');
    const backup = db.command('backup');
    expect(() => useRunningService(ctx, restore)).toThrow(
      /the Porchlight service \(pid \d+\) holds this database, and "db restore" needs it closed: .*porchlight service stop/,
    );
    expect(() => useRunningService(ctx, backup)).not.toThrow();
    expect(ctx.connectRemote).toBeDefined();
    const locked = Object.assign(new Error('the database in x is in use by another Porchlight process'), { code: 'DB_LOCKED' });
    expect(explainServiceLock(locked, ctx, 'db backup')).toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: expect.stringContaining('"db backup" needs it closed'),
    });
    await server.close();
    server = undefined;
    expect(explainServiceLock(locked, ctx, 'db backup')).toBe(locked);
  });
});

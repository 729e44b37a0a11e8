// A stored secret goes only to the address (scheme, host, port) it was
// registered for: a clone naming it for another server, another host name or
// plain HTTP instead of HTTPS is refused before any request, so the other
// server never sees an Authorization header. Secrets stored before binding
// are bound to the repository that names them on first use; one nobody names
// (the database's password) goes nowhere.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialStore } from '../../src-main/service/credential-store.ts';
import { saveDatabaseChoice } from '../../src-main/service/database-choice.ts';
import { unpackTarRepo } from '../support/fixtures.ts';
import { startGitServer, type GitServer } from '../support/git-server.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';
import { useWorkbench } from '../support/workbench.ts';

const PASSWORD = 'bound-secret';

describe.each(testEngines())('credentials bound to their address on $kind', (engine) => {
  useTestEngine(engine);
  const wb = useWorkbench(engine, { repositories: { simple: 'simple-repository' }, username: 'alice', password: PASSWORD });
  let other: GitServer;
  let workspace = 0;

  beforeAll(async () => {
    const root = path.join(wb.work, 'other');
    fs.mkdirSync(root);
    await unpackTarRepo('simple-repository', root, 'upstream');
    // Anyone may read it: a client that sent a secret would be served, not stopped by a 401.
    other = await startGitServer({ root, publicRead: ['upstream'] });
    await wb.service.registerRepository({ url: wb.server.baseUrl('simple'), name: 'simple', username: 'alice', password: PASSWORD, syncIntervalSeconds: 0 });
  }, 60_000);
  afterAll(() => other?.stop());

  const clone = (repo: string, secretRef?: string, namespace?: string) =>
    wb.service.clonePackage({
      namespace,
      repository: 'simple',
      name: `cloned-${++workspace}`,
      workspace: 'v1',
      source: { kind: 'git', repo, ref: 'basens/v1', directory: '/basens', ...(secretRef ? { secretRef } : {}) },
    });
  const store = () => new CredentialStore(path.join(wb.home, 'credentials.json'));

  it('sends the secret to the address it was registered for', async () => {
    wb.server.clearLog();
    await expect(clone(wb.server.baseUrl('simple'), 'simple-auth')).resolves.toMatchObject({ spec: { lifecycle: 'Draft' } });
    expect(wb.server.requestLog.some((r) => r.authorization && r.status === 200)).toBe(true);
    // The second server serves anyone: without a secret it is cloned from, and sees no Authorization.
    other.clearLog();
    await expect(clone(other.baseUrl('upstream'))).resolves.toMatchObject({ spec: { lifecycle: 'Draft' } });
    expect(other.requestCount()).toBeGreaterThan(0);
    expect(other.requestLog.filter((r) => r.authorization)).toEqual([]);
  });

  it('refuses another port, host name or scheme before any request', async () => {
    const registered = new URL(wb.server.origin).origin;
    const elsewhere = [
      other.baseUrl('upstream'),
      wb.server.baseUrl('simple').replace('127.0.0.1', 'localhost'),
      wb.server.baseUrl('simple').replace('http://', 'https://'),
    ];
    other.clearLog();
    wb.server.clearLog();
    for (const url of elsewhere) {
      const wanted = `${new URL(url).protocol}//${new URL(url).host}`;
      await expect(clone(url, 'simple-auth')).rejects.toMatchObject({
        code: 'FAILED_PRECONDITION',
        message: `the credentials "default/simple-auth" belong to ${registered}, the address they were registered for, and are not sent to ${wanted}; use the credentials of a repository registered at ${wanted}, or register it with its own (repo register --repo-basic-username)`,
      });
    }
    expect(other.requestLog).toEqual([]);
    expect(wb.server.requestLog).toEqual([]);
  });

  it('binds a secret stored before binding to the repository that names it, on first use', async () => {
    // As an older release stored it: no address.
    await store().set('default/simple-auth', { username: 'alice', password: PASSWORD });
    other.clearLog();
    await expect(clone(other.baseUrl('upstream'), 'simple-auth')).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: expect.stringContaining('are not sent to'),
    });
    expect(other.requestLog).toEqual([]);
    await expect(clone(wb.server.baseUrl('simple'), 'simple-auth')).resolves.toBeDefined();
    // Bound now: still refused elsewhere with the secret sealed as it was.
    await expect(clone(other.baseUrl('upstream'), 'simple-auth')).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
    expect(await wb.service.syncRepository({ name: 'simple' })).toBeDefined();
  });

  it('sends an unbound secret no repository names nowhere, the database password included', async () => {
    await store().set('default/orphan-auth', { username: 'bob', password: 'orphan-pass' });
    other.clearLog();
    await expect(clone(other.baseUrl('upstream'), 'orphan-auth')).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: expect.stringContaining('no registered repository names them'),
    });
    // The settings screen keeps the database's password in the same store, as "porchlight/database".
    await saveDatabaseChoice(wb.home, { kind: 'postgres', url: 'postgres://dbuser:db-pass@127.0.0.1:5432/porchlight' });
    await wb.service.registerRepository({
      url: wb.server.baseUrl('simple'),
      name: 'simple',
      namespace: 'porchlight',
      username: 'alice',
      password: PASSWORD,
      syncIntervalSeconds: 0,
    });
    await expect(clone(other.baseUrl('upstream'), 'database', 'porchlight')).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
    expect(other.requestLog).toEqual([]);
  });
});

// PostgreSQL restarted under the app (issue 7), on a server of the test's own:
// draft saves run in a loop while the server crashes (immediate stop, then
// recovery) and while it restarts cleanly. Each save either completes or fails
// with an error that says the database went away; the service reconnects by
// itself once the server is back (no restart of the app); every acknowledged
// save is there afterwards and none is half written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/db/open-database.ts';
import { openTestService, type TestService } from '../support/service.ts';
import { unpackTarRepo } from '../support/fixtures.ts';
import { startGitServer, type GitServer } from '../support/git-server.ts';
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.ts';

const unavailable = privatePostgresUnavailable();
// CI has the binaries and runs as root: there a missing server is a failure, not a skip.
const required = process.env.PORCHLIGHT_REQUIRE_PG === '1';

describe.skipIf(unavailable !== undefined && !required)('PostgreSQL restarted under the app', () => {
  let pg: PrivatePostgres;
  let git: GitServer;
  let work: string;
  let service: TestService;

  beforeAll(async () => {
    if (unavailable) throw new Error(`cannot run a private PostgreSQL: ${unavailable}`);
    pg = await startPrivatePostgres();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-pg-restart-'));
    const served = path.join(work, 'served');
    fs.mkdirSync(served);
    await unpackTarRepo('simple-repository', served, 'simple');
    git = await startGitServer({ root: served });
    service = openTestService({ db: await openDatabase({ db: pg.url }), dataHome: path.join(work, 'home') });
  });
  afterAll(async () => {
    await service?.close().catch(() => {});
    await git?.stop();
    pg?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('fails saves clearly while the server is down, reconnects by itself, and keeps every acknowledged save', async () => {
    await service.registerRepository({ url: git.baseUrl('simple'), name: 'simple' });
    const draft = await service.initPackage({ repository: 'simple', name: 'restart/me', workspace: 'one' });
    const name = draft.metadata.name;
    let version = draft.metadata.resourceVersion!;
    let acked = 0;
    let n = 0;
    const failures: string[] = [];
    let stop = false;
    const content = (i: number) => Buffer.from(`kind: ConfigMap\ndata:\n  value: "${i}"\n  pad: "${'y'.repeat((i * 613) % 3000)}"\n`);

    const saving = (async () => {
      while (!stop) {
        const i = ++n;
        try {
          const { revision } = await service.updateResources({
            name,
            resourceVersion: version,
            mode: 'patch',
            files: [{ path: 'counter.yaml', content: content(i) }],
          });
          version = revision.metadata.resourceVersion!;
          acked = i;
        } catch (e) {
          failures.push((e as Error).message);
          // A save that failed while the server went away may still have committed: read back before going on.
          await new Promise((resolve) => setTimeout(resolve, 50));
          try {
            version = (await service.getPackageRevision({ name })).metadata.resourceVersion!;
          } catch {
            // still down
          }
        }
      }
    })();

    const waitForAcks = async (more: number) => {
      const target = acked + more;
      const deadline = Date.now() + 30_000;
      while (acked < target) {
        if (Date.now() > deadline) throw new Error(`no progress after the restart: ${failures.slice(-3).join(' | ')}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    try {
      await waitForAcks(5);
      await pg.restart('immediate', 1500);
      await waitForAcks(5);
      await pg.restart('fast', 500);
      await waitForAcks(5);
    } finally {
      stop = true;
      await saving;
    }

    // Some saves failed while the server was away, each saying so.
    expect(failures.length).toBeGreaterThan(0);
    for (const message of failures) {
      // Said in the app's words, naming the server: lost mid-operation, or refused while down.
      expect(message).toMatch(/^(lost the connection to|cannot connect to) PostgreSQL at 127\.0\.0\.1:\d+\/postgres/);
    }
    // The same service, no reopen: the last acknowledged save (or the one after it) is there, whole.
    const { resources } = await service.readResources({ name });
    const text = Buffer.from(resources.find((r) => r.path === 'counter.yaml')!.content).toString();
    const value = Number(/value: "(\d+)"/.exec(text)![1]);
    expect(value).toBeGreaterThanOrEqual(acked);
    expect(text).toBe(content(value).toString());
  });
});

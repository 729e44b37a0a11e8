// A command run in process, when no service runs: it reaches the service
// through the dispatcher every door uses, gets the service's errors back as
// PorchlightError, hears progress while it waits (a terminal sees it on
// stderr, a pipe does not), starts none of the long-lived background work,
// and still deletes what an unregister marked before it exits.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addOneTag } from '../support/generate-repo.ts';
import { openInProcessClient } from '../../src-main/host/in-process-service.ts';
import { runCli } from '../../src-main/cli/main.ts';
import { openService } from '../../src-main/service/service.ts';
import type { ServiceEvent } from '../../src-shared/contract.ts';
import { PorchlightError } from '../../src-shared/errors.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';
import { unpackTarRepo } from '../support/fixtures.ts';

/** How many of each long-lived worker were built in this test file. */
const built = vi.hoisted(() => ({ CleanupWorker: 0, PgliteUpkeep: 0, BackgroundMigrationRunner: 0, SyncManager: 0 }));

// The real classes, counted as they are built.
vi.mock('../../src-main/cache/cleanup-worker.ts', async (real) => {
  const m = await real<typeof import('../../src-main/cache/cleanup-worker.ts')>();
  return {
    ...m,
    CleanupWorker: class extends m.CleanupWorker {
      constructor(...a: ConstructorParameters<typeof m.CleanupWorker>) {
        super(...a);
        built.CleanupWorker++;
      }
    },
  };
});
vi.mock('../../src-main/cache/pglite-upkeep.ts', async (real) => {
  const m = await real<typeof import('../../src-main/cache/pglite-upkeep.ts')>();
  return {
    ...m,
    PgliteUpkeep: class extends m.PgliteUpkeep {
      constructor(...a: ConstructorParameters<typeof m.PgliteUpkeep>) {
        super(...a);
        built.PgliteUpkeep++;
      }
    },
  };
});
vi.mock('../../src-main/db/background-migrations.ts', async (real) => {
  const m = await real<typeof import('../../src-main/db/background-migrations.ts')>();
  return {
    ...m,
    BackgroundMigrationRunner: class extends m.BackgroundMigrationRunner {
      constructor(...a: ConstructorParameters<typeof m.BackgroundMigrationRunner>) {
        super(...a);
        built.BackgroundMigrationRunner++;
      }
    },
  };
});
vi.mock('../../src-main/cache/sync-manager.ts', async (real) => {
  const m = await real<typeof import('../../src-main/cache/sync-manager.ts')>();
  return {
    ...m,
    SyncManager: class extends m.SyncManager {
      constructor(...a: ConstructorParameters<typeof m.SyncManager>) {
        super(...a);
        built.SyncManager++;
      }
    },
  };
});

describe.each(testEngines())('the CLI in process on $kind', (engine) => {
  useTestEngine(engine);
  let work: string;
  let repo: string;
  const env = () => ({ ...process.env, PORCHLIGHT_HOME: path.join(work, 'home'), PORCHLIGHT_DB: engine.target });

  async function cli(args: string[], tty = false) {
    let stdout = '';
    let stderr = '';
    const was = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: tty, configurable: true });
    try {
      const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: env() });
      return { code, stdout, stderr };
    } finally {
      if (was) Object.defineProperty(process.stderr, 'isTTY', was);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
    }
  }

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-in-process-'));
    repo = await unpackTarRepo('simple-repository', path.join(work, 'served'), 'simple');
    for (const k of Object.keys(built) as (keyof typeof built)[]) built[k] = 0;
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('shows a registration and a sync moving on a terminal, and nothing more on a pipe', async () => {
    const registered = await cli(['repo', 'register', repo, '--name', 'simple'], true);
    expect(registered).toMatchObject({ code: 0, stdout: '' });
    expect(registered.stderr).toMatch(/^\r\x1b\[KReading packages: \d+\/8 \(\d+%\)/);
    expect(registered.stderr.endsWith('\r\x1b[K')).toBe(true);

    await addOneTag(repo, 'istions');
    const synced = await cli(['repo', 'sync', 'simple'], true);
    expect(synced.code).toBe(0);
    expect(synced.stderr).toMatch(/\r\x1b\[KReading packages: (\d+)\/\1 \(100%\)\r\x1b\[K$/);
    expect(synced.stdout).toMatch(/^simple synced: [1-9]\d* added, \d+ removed, \d+ unchanged \(\d+ ms\)\n$/);

    await addOneTag(repo, 'istions');
    const piped = await cli(['repo', 'sync', 'simple']);
    expect(piped).toMatchObject({ code: 0, stderr: '' });
    expect(piped.stdout).toMatch(/^simple synced: [1-9]\d* added, \d+ removed, \d+ unchanged \(\d+ ms\)\n$/);
  });

  it('answers through the dispatcher: errors as the service words them, progress to the caller only while it waits', async () => {
    const client = await openInProcessClient({ env: env() });
    try {
      const err = await client.call('revisions.get', { name: 'simple.nope.v1' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PorchlightError);
      expect(err).toMatchObject({
        code: 'NOT_FOUND',
        message: 'package revision "simple.nope.v1" not found in namespace "default"',
        data: { name: 'simple.nope.v1' },
      });
      const bad = await client.call('revisions.get', { namespace: 'Bad_NS', name: 'x' }).catch((e: unknown) => e);
      expect(bad).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^namespace: namespace must be a lowercase RFC 1123 label/) });

      await addOneTag(repo, 'istions');
      const heard: ServiceEvent[] = [];
      const stats = await client.call('repositories.sync', { name: 'simple' }, { onEvent: (e) => heard.push(e) });
      expect(stats.externalOnly).toBeGreaterThan(0);
      expect(heard).toContainEqual({
        type: 'progress',
        operation: 'sync',
        subject: 'simple',
        phase: 'Reading packages',
        loaded: stats.externalOnly,
        total: stats.externalOnly,
      });
      const after = heard.length;
      await client.call('repositories.sync', { name: 'simple', force: true });
      expect(heard).toHaveLength(after);
    } finally {
      await client.close();
    }
  });

  it('lists and unregisters without building a background worker, and deletes what the unregister marked before it exits', async () => {
    const listed = await cli(['rpkg', 'get']);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n').filter((l) => l.startsWith('simple.')).length).toBeGreaterThan(8);
    expect(await cli(['repo', 'unregister', 'simple'])).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(built).toEqual({ CleanupWorker: 0, PgliteUpkeep: 0, BackgroundMigrationRunner: 0, SyncManager: 0 });

    const db = await engine.open();
    try {
      const left = await db.query<{ repositories: number; revisions: number; resources: number }>(
        `SELECT (SELECT count(*) FROM repositories)::int AS repositories, (SELECT count(*) FROM package_revisions)::int AS revisions,
                (SELECT count(*) FROM resources)::int AS resources`,
      );
      expect(left.rows[0]).toEqual({ repositories: 0, revisions: 0, resources: 0 });
    } finally {
      await db.close();
    }
  });

  it('builds every background worker for a long-lived host that starts it', async () => {
    const service = openService({ db: await engine.open(), dataHome: path.join(work, 'home') });
    try {
      await service.startBackground();
      expect(built).toEqual({ CleanupWorker: 1, PgliteUpkeep: 1, BackgroundMigrationRunner: 1, SyncManager: 1 });
      expect(service.ctx.background).toBeDefined();
    } finally {
      await service.close();
    }
  });
});

// What a sync test needs, set up and torn down around a describe block: a work
// directory, Porch's repositories served by a real Git server on loopback, and
// a service over the engine's database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { TestEngine } from './databases.ts';
import { unpackTarRepo, type PorchTarRepo } from './fixtures.ts';
import { startGitServer, type GitServer } from './git-server.ts';
import { openTestService, type TestService } from './service.ts';

export interface Workbench {
  work: string;
  home: string;
  server: GitServer;
  service: TestService;
  /** Bare repository directory of each served repository, by served name. */
  served: Record<string, string>;
  /** Closes the service and opens a new one on the same database and data home (a restart). */
  restart(): Promise<TestService>;
  /** The service closed (PGlite: the directory free for another process), `fn` run, the service opened again. */
  whileClosed<T>(fn: () => Promise<T>): Promise<T>;
}

export function useWorkbench(engine: TestEngine, opts: { repositories: Record<string, PorchTarRepo>; username?: string; password?: string }): Workbench {
  const bench = { served: {} } as Workbench;
  beforeAll(async () => {
    bench.work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-workbench-'));
    bench.home = path.join(bench.work, 'home');
    const root = path.join(bench.work, 'served');
    fs.mkdirSync(root);
    for (const [name, archive] of Object.entries(opts.repositories)) bench.served[name] = await unpackTarRepo(archive, root, name);
    bench.server = await startGitServer({ root, username: opts.username, password: opts.password });
    bench.service = openTestService({ db: await engine.open(), dataHome: bench.home });
  });
  bench.restart = async () => {
    await bench.service.close();
    bench.service = openTestService({ db: await engine.open(), dataHome: bench.home });
    return bench.service;
  };
  bench.whileClosed = async <T>(fn: () => Promise<T>): Promise<T> => {
    await bench.service.close();
    try {
      return await fn();
    } finally {
      bench.service = openTestService({ db: await engine.open(), dataHome: bench.home });
    }
  };
  afterAll(async () => {
    await bench.service?.close();
    await bench.server?.stop();
    if (bench.work) fs.rmSync(bench.work, { recursive: true, force: true });
  });
  return bench;
}

// Porch's own porchctl end-to-end scripts, run against `porchlight` with the
// Gitea address replaced by a Git server on loopback serving the same
// repositories with the same credentials: once with every command in its own
// process, once through a service holding the data home (started as the
// window starts it), where every command is its client. The runner and the
// steps that stand in for KRM function images are in test/support/porchctl-scripts.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceHost } from '../../src-main/host/service-host.ts';
import { claimDataHome, openedDatabase, startSocketServer } from '../../src-main/host/socket-server.ts';
import { functionSteps, loadScript, PORCH_GITEA, runScript, SCRIPTS, SCRIPTS_DIR } from '../support/porchctl-scripts.ts';
import { createEmptyRepo, unpackBundle } from '../support/fixtures.ts';
import { startGitServer, type GitServer } from '../support/git-server.ts';
import { resetSchema, testEngines, useTestEngine } from '../support/databases.ts';

/** In process: each command opens the database itself. Through a service: one holds it, and each command is its client. */
const WAYS = ['in process', 'through a running service'] as const;

describe.each(testEngines().flatMap((engine) => WAYS.map((way) => ({ engine, way, kind: engine.kind }))))(
  'porchctl e2e scripts $way on $kind',
  ({ engine, way }) => {
    useTestEngine(engine);
    let server: GitServer;
    let work: string;

    beforeAll(async () => {
      work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-e2e-'));
      const root = path.join(work, 'served');
      fs.mkdirSync(root);
      await unpackBundle('test-blueprints', root);
      await createEmptyRepo('porch-test', root);
      // test-blueprints is public on Porch's Gitea: its e2e clones it by URL without credentials.
      server = await startGitServer({ root, username: 'nephio', password: 'secret', publicRead: ['test-blueprints'] });
    });

    afterAll(async () => {
      await server?.stop();
      fs.rmSync(work, { recursive: true, force: true });
    });

    it.each(SCRIPTS)(
      '%s',
      async (name) => {
        const script = loadScript(path.join(SCRIPTS_DIR, `${name}.config.yaml`));
        // The scripts pull into fixed directories under /tmp/porch-e2e; each run starts without them.
        fs.rmSync('/tmp/porch-e2e', { recursive: true, force: true });
        const home = fs.mkdtempSync(path.join(work, `${name}-home-`));
        // Each script starts from an empty database, as each of Porch's runs in a
        // namespace deleted afterwards (upgrade discovery reads every namespace).
        if (engine.kind === 'postgres') {
          const db = await engine.openRaw();
          await resetSchema(db).finally(() => db.close());
        }
        const env = { ...process.env, PORCHLIGHT_HOME: home, PORCHLIGHT_DB: engine.kind === 'postgres' ? engine.target : path.join(home, 'db') };
        const service = way === 'through a running service' ? await startService(home, env) : undefined;
        try {
          const results = await runScript(script, { env, replace: { [PORCH_GITEA]: server.origin }, override: functionSteps(name) });
          const failed = results.filter((r) => r.failures.length).map((r) => `$ ${r.args.join(' ')}\n${r.failures.join('\n')}`);
          expect(failed.join('\n\n')).toBe('');
          expect(results.length).toBeGreaterThan(3);
          // Every change went through the service (on PGlite a command in its own process would have met its lock).
          if (service) expect(service.changes()).toBeGreaterThan(0);
        } finally {
          await service?.close();
        }
      },
      180_000,
    );
  },
);

/** The service for a data home, as the window starts it: its worker thread and its local socket. */
async function startService(home: string, env: NodeJS.ProcessEnv) {
  const claim = claimDataHome(home);
  const host = await startServiceHost({ dataHome: home, db: env.PORCHLIGHT_DB, env: { ...env }, backgroundSync: false });
  let changes = 0;
  host.onEvent((e) => void (e.type === 'revision.changed' || e.type === 'repository.status' ? changes++ : undefined));
  const socket = await startSocketServer({ host, dataHome: home, database: await openedDatabase(home, env.PORCHLIGHT_DB, env), claim, env });
  return {
    changes: () => changes,
    async close() {
      await socket.close();
      await host.close();
    },
  };
}

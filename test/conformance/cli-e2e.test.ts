// Porch's own porchctl end-to-end scripts, run against `porchlight` with the
// Gitea address replaced by a Git server on loopback serving the same
// repositories with the same credentials.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyRepo, unpackBundle } from '../support/fixtures.ts';
import { startGitServer, type GitServer } from '../support/git-server.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';
import { loadScript, PORCH_GITEA, runScript } from './cli-e2e-runner.ts';

const SCRIPTS_DIR = fileURLToPathSafe('../../../shared/porch/cli-e2e');
/** The scripts that pass today; the rest need approval (Git publish) and come with the write side. */
export const READ_SIDE_SCRIPTS = ['repo-register', 'rpkg-get', 'rpkg-init', 'rpkg-lifecycle'];

function fileURLToPathSafe(rel: string): string {
  return new URL(rel, import.meta.url).pathname;
}

describe.each(testEngines())('porchctl e2e scripts on $kind', (engine) => {
  useTestEngine(engine);
  let server: GitServer;
  let work: string;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-e2e-'));
    const root = path.join(work, 'served');
    fs.mkdirSync(root);
    await unpackBundle('test-blueprints', root);
    await createEmptyRepo('porch-test', root);
    server = await startGitServer({ root, username: 'nephio', password: 'secret' });
  });

  afterAll(async () => {
    await server?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it.each(READ_SIDE_SCRIPTS)('%s', async (name) => {
    const script = loadScript(path.join(SCRIPTS_DIR, `${name}.config.yaml`));
    const home = fs.mkdtempSync(path.join(work, `${name}-home-`));
    const results = await runScript(script, {
      env: { ...process.env, PORCHLIGHT_HOME: home, PORCHLIGHT_DB: engine.target },
      replace: { [PORCH_GITEA]: server.origin },
    });
    const failed = results.filter((r) => r.failures.length).map((r) => `$ ${r.args.join(' ')}\n${r.failures.join('\n')}`);
    expect(failed.join('\n\n')).toBe('');
    expect(results.length).toBeGreaterThan(3);
  }, 180_000);
});

// Porch's own porchctl end-to-end scripts, run against `porchlight` with the
// Gitea address replaced by a Git server on loopback serving the same
// repositories with the same credentials.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyRepo, unpackBundle } from '../support/fixtures.ts';
import { startGitServer, type GitServer } from '../support/git-server.ts';
import { resetSchema, testEngines, useTestEngine } from '../support/databases.ts';
import YAML from 'yaml';
import { loadScript, PORCH_GITEA, runScript, type StepOverride } from './cli-e2e-runner.ts';

const SCRIPTS_DIR = fileURLToPathSafe('../../../shared/porch/cli-e2e');
/**
 * Porch's scripts Porchlight runs. The two left out (rpkg-push-on-render-failure,
 * rpkg-unready) need KRM function images, as do two steps of rpkg-push (functionSteps).
 */
export const SCRIPTS = ['repo-register', 'rpkg-get', 'rpkg-init', 'rpkg-lifecycle', 'rpkg-push', 'rpkg-clone', 'rpkg-upgrade'];

/**
 * Steps that run KRM function images, which Porchlight has no runtime for.
 * rpkg-push: `kpt fn eval search-replace` edits the pulled Kptfile's
 * description; the stand-in makes that same edit, so the push after it is
 * judged as Porch's suite judges it. The last push expects a render failure
 * from two function images and is skipped.
 */
function functionSteps(script: string): ((args: string[], index: number) => StepOverride | undefined) | undefined {
  if (script !== 'rpkg-push') return undefined;
  return (args, index) => {
    if (args[0] === 'kpt' && args.includes('by-path=info.description')) {
      return {
        standIn: async (a) => {
          const dir = a.find((x) => x.startsWith('/tmp/'))!;
          const value = a.find((x) => x.startsWith('put-value='))!.slice('put-value='.length);
          const file = path.join(dir, 'Kptfile');
          const doc = YAML.parseDocument(fs.readFileSync(file, 'utf8'));
          doc.setIn(['info', 'description'], value);
          fs.writeFileSync(file, doc.toString());
        },
      };
    }
    if (index === loadScript(path.join(SCRIPTS_DIR, 'rpkg-push.config.yaml')).commands.length - 1) return 'skip';
    return undefined;
  };
}

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
      const results = await runScript(script, {
        env: { ...process.env, PORCHLIGHT_HOME: home, PORCHLIGHT_DB: engine.kind === 'postgres' ? engine.target : path.join(home, 'db') },
        replace: { [PORCH_GITEA]: server.origin },
        override: functionSteps(name),
      });
      const failed = results.filter((r) => r.failures.length).map((r) => `$ ${r.args.join(' ')}\n${r.failures.join('\n')}`);
      expect(failed.join('\n\n')).toBe('');
      expect(results.length).toBeGreaterThan(3);
    },
    180_000,
  );
});

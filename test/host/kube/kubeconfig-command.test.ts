// `porchlight kubeconfig` against a real `porchlight service start --detach`:
// refused clearly while no service runs; printed, it lets the real kubectl
// list what the CLI made; merged, it keeps the user's other contexts and
// comments, is private, and still works after the service restarts (same
// port, same token).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { haveKubectl, KUBECTL, requireKubectl } from './kube-harness.ts';

const CLI = fileURLToPath(new URL('../../../bin/porchlight.mjs', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe.skipIf(!haveKubectl && !requireKubectl)('porchlight kubeconfig', () => {
  let work: string;
  let env: NodeJS.ProcessEnv;
  const porchlight = (...args: string[]) => run(process.execPath, [CLI, ...args], env);
  const kubectl = (...args: string[]) => run(KUBECTL, args, env);

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-kubeconfig-'));
    // HOME is the test's own: kubectl's discovery cache and ~/.kube stay here.
    env = { ...process.env, HOME: work, PORCHLIGHT_HOME: path.join(work, 'home'), PORCHLIGHT_DB: '', KUBECONFIG: path.join(work, 'kube', 'config') };
    delete env.PORCHLIGHT_KUBE_PORT;
  });
  afterAll(async () => {
    if (env) await porchlight('service', 'stop');
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('says a service must run, and how to start one, while none does', async () => {
    const r = await porchlight('kubeconfig');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no Porchlight service runs for');
    expect(r.stderr).toContain('porchlight service start --detach');
    expect(fs.existsSync(env.KUBECONFIG!)).toBe(false);
  });

  it('prints a kubeconfig the real kubectl uses to list what the CLI made through the service', async () => {
    expect((await porchlight('service', 'start', '--detach')).code).toBe(0);
    const status = await porchlight('service', 'status');
    expect(status.stdout).toMatch(/kubernetes\s+https:\/\/127\.0\.0\.1:\d+/);
    expect((await porchlight('demo')).code).toBe(0);

    const printed = await porchlight('kubeconfig', '--namespace', 'default');
    expect(printed.code).toBe(0);
    const config = YAML.parse(printed.stdout);
    expect(config['current-context']).toBe('porchlight');
    expect(config.clusters[0].cluster.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const file = path.join(work, 'printed.kubeconfig');
    fs.writeFileSync(file, printed.stdout, { mode: 0o600 });

    const listed = await kubectl('--kubeconfig', file, 'get', 'packagerevisions');
    expect(listed.stderr).toBe('');
    expect(listed.stdout).toMatch(/^NAME\s+PACKAGE\s+WORKSPACENAME\s+REVISION\s+LATEST\s+LIFECYCLE\s+REPOSITORY/);
    expect(listed.stdout).toMatch(/deployments\.team-a\.v1\s+team-a\s+v1\s+0\s+false\s+Draft\s+deployments/);

    // Without the token the door refuses: the kubeconfig is what lets kubectl in.
    const config2 = YAML.parse(printed.stdout);
    config2.users[0].user.token = 'wrong';
    fs.writeFileSync(file, YAML.stringify(config2), { mode: 0o600 });
    const refused = await kubectl('--kubeconfig', file, 'get', 'packagerevisions');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/Unauthorized|must be logged in/);
  }, 180_000);

  it('merges into the kubeconfig kubectl reads, keeping the rest, and still works after a restart', async () => {
    const existing = [
      '# my clusters',
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '  - name: prod # the real one',
      '    cluster: { server: "https://prod.example:6443" }',
      'users:',
      '  - name: prod',
      '    user: { token: prod-token }',
      'contexts:',
      '  - name: prod',
      '    context: { cluster: prod, user: prod }',
      'current-context: prod',
      '',
    ].join('\n');
    fs.mkdirSync(path.dirname(env.KUBECONFIG!), { recursive: true });
    fs.writeFileSync(env.KUBECONFIG!, existing, { mode: 0o600 });

    const merged = await porchlight('kubeconfig', '--merge');
    expect(merged.code).toBe(0);
    expect(merged.stdout).toContain('kubectl --context porchlight');
    const text = fs.readFileSync(env.KUBECONFIG!, 'utf8');
    expect(text).toContain('# my clusters');
    expect(text).toContain('# the real one');
    const config = YAML.parse(text);
    expect(config['current-context']).toBe('prod');
    expect(config.contexts.map((c: { name: string }) => c.name)).toEqual(['prod', 'porchlight']);
    expect(fs.statSync(env.KUBECONFIG!).mode & 0o777).toBe(0o600);

    const before = await kubectl('--context', 'porchlight', 'get', 'repositories', '-o', 'name');
    expect(before.stdout.split('\n')).toContain('repository.config.porch.kpt.dev/deployments');

    // A restart listens on the same port with the same token: the merged entry keeps working.
    expect((await porchlight('service', 'stop')).code).toBe(0);
    expect((await porchlight('service', 'start', '--detach')).code).toBe(0);
    const after = await kubectl('--context', 'porchlight', 'get', 'repositories', '-o', 'name');
    expect(after.stderr).toBe('');
    expect(after.stdout).toBe(before.stdout);

    // --use moves the current context.
    expect((await porchlight('kubeconfig', '--merge', '--use')).stdout).toContain('made it the current context');
    expect((await kubectl('config', 'current-context')).stdout.trim()).toBe('porchlight');
  }, 180_000);
});

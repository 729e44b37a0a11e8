// The CLI beside a running service. First the README's walkthrough (register,
// get, init, clone, pull, push, propose, approve), each step a real
// `bin/porchlight.mjs` process, against a data home whose service runs as the
// window runs it (its worker thread, its local socket): every command goes
// through the service, no lock error ever appears, and each change shows in
// the service's event stream. Then the service is killed (SIGKILL) in the
// middle of an approval: the CLI says so and exits 1, and nothing is half done.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceEvent } from '../../src-shared/contract.ts';
import { startServiceHost, type ServiceHost } from '../../src-main/host/service-host.ts';
import { liveRecord, readRecord } from '../../src-main/host/socket-record.ts';
import { claimDataHome, openedDatabase, startSocketServer, type SocketServer } from '../../src-main/host/socket-server.ts';
import { git, unpackBundle } from '../support/fixtures.ts';
import { startGitServer, type GitServer } from '../support/git-server.ts';
import { resetSchema, testEngines, useTestEngine } from '../support/databases.ts';

const CLI = fileURLToPath(new URL('../../bin/porchlight.mjs', import.meta.url));
const LOCK_ERROR = /in use by another Porchlight process|DB_LOCKED|porchlight\.lock/;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function porchlight(args: string[], env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeArgs, CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 60_000): Promise<T> {
  for (let waited = 0; waited < ms; waited += 50) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}: not within ${ms} ms`);
}

describe.each(testEngines())('the CLI beside a running service on $kind', (engine) => {
  useTestEngine(engine);
  let work: string;
  let served: string;
  let server: GitServer;
  let home: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-beside-'));
    served = path.join(work, 'served');
    await unpackBundle('test-blueprints', served, 'blueprints');
    server = await startGitServer({ root: served });
  });

  afterAll(async () => {
    await server?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  async function freshHome(name: string): Promise<void> {
    home = path.join(work, name);
    env = { ...process.env, PORCHLIGHT_HOME: home, PORCHLIGHT_DB: engine.kind === 'postgres' ? engine.target : path.join(home, 'db') };
    if (engine.kind === 'postgres') {
      const db = await engine.openRaw();
      await resetSchema(db).finally(() => db.close());
    }
  }

  describe('with the service as the window runs it', () => {
    let host: ServiceHost | undefined;
    let socket: SocketServer | undefined;
    const events: ServiceEvent[] = [];

    afterEach(async () => {
      await socket?.close();
      await host?.close();
    });

    it("runs the README's walkthrough through the service, and the service tells of every change", async () => {
      await freshHome('window-home');
      const claim = claimDataHome(home);
      host = await startServiceHost({ dataHome: home, db: env.PORCHLIGHT_DB, env: { ...env }, backgroundSync: false });
      host.onEvent((e) => events.push(e));
      socket = await startSocketServer({ host, dataHome: home, database: await openedDatabase(home, env.PORCHLIGHT_DB, env), claim, env });

      const seen = (pred: (e: ServiceEvent) => boolean, what: string) => until(what, () => events.find(pred) ?? undefined, 10_000);
      const changed = (name: string) => (e: ServiceEvent) => e.type === 'revision.changed' && e.name === name;
      const steps: Run[] = [];
      const step = async (...args: string[]) => {
        const r = await porchlight(args, env);
        steps.push(r);
        expect(r.stderr, `porchlight ${args.join(' ')}`).not.toMatch(LOCK_ERROR);
        expect(r.code, `porchlight ${args.join(' ')}: ${r.stderr}`).toBe(0);
        return r;
      };

      await step('repo', 'register', server.baseUrl('blueprints'), '--name', 'blueprints');
      await seen((e) => e.type === 'repository.status' && e.repository.metadata.name === 'blueprints', 'repository.status of blueprints');
      expect((await step('repo', 'get')).stdout).toMatch(/^blueprints\s+git\s+Package\s+True\s+http/m);
      expect((await step('rpkg', 'get')).stdout).toMatch(/^blueprints\.basens\.v1\s+basens\s+v1\s+1\s+/m);
      expect((await step('rpkg', 'get', '--name=basens', '-o', 'yaml')).stdout).toContain('name: blueprints.basens.v1');

      await step('rpkg', 'init', 'web', '--repository=blueprints', '--workspace=v1');
      await seen(changed('blueprints.web.v1'), 'revision.changed of the new draft');
      await step('rpkg', 'clone', 'blueprints.basens.v1', 'team-ns', '--repository=blueprints', '--workspace=v1');
      await seen(changed('blueprints.team-ns.v1'), 'revision.changed of the clone');

      const dir = path.join(work, 'web');
      await step('rpkg', 'pull', 'blueprints.web.v1', dir);
      fs.writeFileSync(path.join(dir, 'configmap.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  colour: blue\n');
      const saves = events.filter(changed('blueprints.web.v1')).length;
      await step('rpkg', 'push', 'blueprints.web.v1', dir);
      await until('revision.changed of the push', () => (events.filter(changed('blueprints.web.v1')).length > saves ? true : undefined), 10_000);

      const proposals = events.filter(changed('blueprints.web.v1')).length;
      await step('rpkg', 'propose', 'blueprints.web.v1');
      await until('revision.changed of the proposal', () => (events.filter(changed('blueprints.web.v1')).length > proposals ? true : undefined), 10_000);
      const approvals = events.filter(changed('blueprints.web.v1')).length;
      expect((await step('rpkg', 'approve', 'blueprints.web.v1')).stdout).toContain('blueprints.web.v1 approved');
      await until('revision.changed of the approval', () => (events.filter(changed('blueprints.web.v1')).length > approvals ? true : undefined), 10_000);
      expect(events.some((e) => e.type === 'progress' && e.operation === 'publish')).toBe(true);
      expect(await git(path.join(served, 'blueprints.git'), ['tag', '-l', 'web/*'])).toBe('web/v1\n');
      expect((await step('rpkg', 'get', 'blueprints.web.v1')).stdout).toMatch(/blueprints\.web\.v1\s+web\s+v1\s+1\s+true\s+Published/);

      // The service says what it is; a second one is refused, naming the first and how to stop it.
      const status = await porchlight(['service', 'status'], env);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(new RegExp(`^  pid +${process.pid}$`, 'm'));
      expect(status.stdout).toContain(` ${path.join(home, 'service.sock')}\n`);
      for (const second of [['serve'], ['service', 'start']]) {
        const refused = await porchlight(second, env);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain(`a Porchlight service (pid ${process.pid}) already serves ${home}`);
        expect(refused.stderr).toContain('porchlight service stop');
        expect(refused.stderr).not.toMatch(LOCK_ERROR);
      }

      // A client of the service never loads the database drivers, Git or the editor; the same command in process does.
      const hook = path.join(work, 'log-modules.mjs');
      const logLoads = `export async function load(url, context, next) { process._rawDebug('LOADED ' + url); return next(url, context); }`;
      fs.writeFileSync(hook, `import { register } from 'node:module';\nregister('data:text/javascript,' + encodeURIComponent(${JSON.stringify(logLoads)}));\n`);
      const HEAVY = /@electric-sql\/pglite|\/node_modules\/pg\/|isomorphic-git|codemirror/;
      const loaded = (r: Run) => r.stderr.split('\n').filter((l) => l.startsWith('LOADED '));
      const remote = await porchlight(['rpkg', 'get'], env, ['--import', hook]);
      expect(remote.code).toBe(0);
      expect(loaded(remote).length).toBeGreaterThan(3);
      expect(loaded(remote).filter((l) => HEAVY.test(l))).toEqual([]);

      // Output, errors and exit codes are the in-process CLI's: the same commands once the service is gone.
      const same = [
        ['rpkg', 'get'],
        ['rpkg', 'propose', 'blueprints.nothing.v1'],
        ['rpkg', 'get', 'blueprints.web.v1', '-o', 'json'],
        ['rpkg', 'init'],
      ];
      const through = await Promise.all(same.map((args) => porchlight(args, env)));
      expect(through[1]!.code).toBe(1);
      expect(through[1]!.stderr).toContain('could not find the requested resource');
      await socket.close();
      await host.close();
      socket = host = undefined;
      // One at a time: in process, each holds the PGlite directory while it runs.
      const inProcess: Run[] = [];
      for (const args of same) inProcess.push(await porchlight(args, env));
      expect(inProcess).toEqual(through);
      const local = await porchlight(['rpkg', 'get'], env, ['--import', hook]);
      expect(loaded(local).filter((l) => HEAVY.test(l)).length).toBeGreaterThan(0);
    }, 240_000);
  });

  describe('when the service dies in the middle of a command', () => {
    let service: ChildProcess | undefined;

    afterEach(() => {
      server.setFault(null);
      if (service?.exitCode === null) service.kill('SIGKILL');
    });

    it('the CLI says the service stopped, exits 1, and the approval is not half done', async () => {
      await freshHome('killed-home');
      service = spawn(process.execPath, [CLI, 'service', 'start'], { env, stdio: 'ignore' });
      const pid = service.pid!;
      await until('the service to answer', () => (liveRecord(home)?.pid === pid && fs.existsSync(readRecord(home)!.socket) ? true : undefined));

      for (const args of [
        ['repo', 'register', server.baseUrl('blueprints'), '--name', 'blueprints'],
        ['rpkg', 'init', 'shop', '--repository=blueprints', '--workspace=v1'],
        ['rpkg', 'propose', 'blueprints.shop.v1'],
      ]) {
        const r = await porchlight(args, env);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      }
      const before = path.join(work, 'before');
      expect((await porchlight(['rpkg', 'pull', 'blueprints.shop.v1', before], env)).code).toBe(0);

      // The push reaches Git and is never answered: the approval is in flight when the service dies.
      server.setFault('hang-push');
      server.clearLog();
      const approving = porchlight(['rpkg', 'approve', 'blueprints.shop.v1'], env);
      await until('the push to reach Git', () => (server.requestLog.some((r) => r.method === 'POST' && r.url.includes('git-receive-pack')) ? true : undefined));
      service.kill('SIGKILL');
      const approval = await approving;
      expect(approval.code).toBe(1);
      // As porchctl reports a revision it could not approve, then the errors.
      expect(approval.stderr).toContain(
        `blueprints.shop.v1 failed (the Porchlight service (pid ${pid}) stopped while running rpkg approve, before it answered.`,
      );
      expect(approval.stderr).toContain('run it again');
      server.setFault(null);

      // Nothing half done: no tag, still Proposed, the draft's files as they were. The CLI works in process now.
      expect(await git(path.join(served, 'blueprints.git'), ['tag', '-l', 'shop/*'])).toBe('');
      const status = await porchlight(['service', 'status'], env);
      expect(status).toMatchObject({ code: 3, stdout: `no service is running for ${home}\n` });
      const got = await porchlight(['rpkg', 'get', 'blueprints.shop.v1'], env);
      expect(got.stderr).toBe('');
      expect(got.stdout).toMatch(/blueprints\.shop\.v1\s+shop\s+v1\s+0\s+false\s+Proposed/);
      const after = path.join(work, 'after');
      expect((await porchlight(['rpkg', 'pull', 'blueprints.shop.v1', after], env)).code).toBe(0);
      const files = (dir: string) => Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
      expect(files(after)).toEqual(files(before));

      // Run again, it publishes once.
      expect(await porchlight(['rpkg', 'approve', 'blueprints.shop.v1'], env)).toMatchObject({ code: 0, stderr: '' });
      expect(await git(path.join(served, 'blueprints.git'), ['tag', '-l', 'shop/*'])).toBe('shop/v1\n');
    }, 240_000);
  });
});

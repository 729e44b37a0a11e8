// A real service (its worker thread, a real database), a real Git server with
// Porch's test-blueprints, the Kubernetes door in front, and the real kubectl
// pointed at it through a kubeconfig the door wrote. HOME is the test's own,
// so kubectl's discovery cache never leaks between runs.
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { startServiceHost, type ServiceHost } from '../../../src-main/host/service-host.ts';
import { startKubeDoor, type KubeDoor } from '../../../src-main/host/kube/kube-door.ts';
import type { KubeApiServerOptions } from '../../../src-main/host/kube/server.ts';
import { unpackBundle } from '../../support/fixtures.ts';
import { startGitServer, type GitServer } from '../../support/git-server.ts';

export const KUBECTL = process.env.PORCHLIGHT_KUBECTL ?? 'kubectl';
export const haveKubectl = spawnSync(KUBECTL, ['version', '--client'], { stdio: 'ignore' }).status === 0;
/** CI sets it: a missing kubectl then fails the suites instead of skipping them. */
export const requireKubectl = process.env.PORCHLIGHT_REQUIRE_KUBECTL === '1';

export interface KubectlResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): any; // eslint-disable-line @typescript-eslint/no-explicit-any -- API answers are read field by field in tests
}

/** One HTTPS request to the door with its CA and (unless told otherwise) its token. */
export function rawRequest(
  door: Pick<KubeDoor, 'url' | 'caPem' | 'token'>,
  method: string,
  target: string,
  o: { body?: unknown; headers?: Record<string, string>; token?: string | null } = {},
): Promise<RawReply> {
  const body = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
  const token = o.token === undefined ? door.token : o.token;
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(target, door.url),
      {
        method,
        ca: door.caPem,
        // The certificate is checked against this name, whatever Host header a test sends.
        servername: 'localhost',
        headers: {
          Accept: 'application/json',
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...o.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export interface KubeFixture {
  work: string;
  git: GitServer;
  host: ServiceHost;
  door: KubeDoor;
  kubeconfig: string;
  blueprintsUrl: string;
  /** Runs kubectl; resolves whatever its exit code. */
  kubectl(args: string[], opts?: { input?: string; env?: Record<string, string>; timeoutMs?: number }): Promise<KubectlResult>;
  /** Runs kubectl and fails on a non-zero exit, with its stderr. */
  ok(args: string[], opts?: { input?: string; env?: Record<string, string> }): Promise<string>;
  call<T>(channel: string, payload: unknown): Promise<T>;
  raw(method: string, target: string, o?: { body?: unknown; headers?: Record<string, string>; token?: string | null }): Promise<RawReply>;
  close(): Promise<void>;
}

export async function startKubeFixture(opts: { db?: string; register?: boolean; door?: Partial<KubeApiServerOptions> } = {}): Promise<KubeFixture> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-kube-'));
  const root = path.join(work, 'served');
  fs.mkdirSync(root);
  await unpackBundle('test-blueprints', root);
  const git = await startGitServer({ root, username: 'nephio', password: 'secret' });
  const dataHome = path.join(work, 'home');
  const host = await startServiceHost({ dataHome, ...(opts.db ? { db: opts.db } : {}), env: {}, backgroundSync: false });
  const blueprintsUrl = git.baseUrl('test-blueprints', 'nephio');
  const call = async <T>(channel: string, payload: unknown): Promise<T> => {
    const answer = await host.call(channel, payload);
    if (!answer.ok) throw new Error(`${channel}: ${answer.error.code} ${answer.error.message}`);
    return answer.value as T;
  };
  if (opts.register !== false) {
    await call('repositories.register', { url: blueprintsUrl, name: 'blueprints', username: 'nephio', password: 'secret', syncIntervalSeconds: 0 });
  }
  const door = await startKubeDoor({ host, dataHome, ...opts.door });
  const kubeconfig = path.join(work, 'kubeconfig');
  fs.writeFileSync(kubeconfig, door.kubeconfig(), { mode: 0o600 });
  const env = { PATH: process.env.PATH ?? '', HOME: work, KUBECONFIG: kubeconfig };
  const kubectl: KubeFixture['kubectl'] = (args, o = {}) =>
    new Promise((resolve) => {
      const child = execFile(
        KUBECTL,
        args,
        { env: { ...env, ...o.env }, timeout: o.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ stdout, stderr, code });
        },
      );
      if (o.input !== undefined) child.stdin?.end(o.input);
    });
  return {
    work,
    git,
    host,
    door,
    kubeconfig,
    blueprintsUrl,
    kubectl,
    async ok(args, o) {
      const r = await kubectl(args, o);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return r.stdout;
    },
    call,
    raw: (method, target, o) => rawRequest(door, method, target, o),
    async close() {
      await door.close();
      await host.close();
      await git.stop();
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}

// porchlight kubeconfig: a kubeconfig for the Kubernetes API of the running
// service (context "porchlight", its CA inline, a bearer token), printed, or
// merged into the kubeconfig kubectl reads. The token comes from the service
// over its socket, which only this user can reach.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import YAML from 'yaml';
import { PorchlightError } from '../../src-shared/errors.ts';
import { resolveDataHome } from '../host/data-home.ts';
import type { KubeAccess } from '../host/kube/kube-door-service.ts';
import { kubeconfigYaml, mergeKubeconfig, KUBECONFIG_NAME } from '../host/kube/kubeconfig.ts';
import { liveRecord } from '../host/socket-record.ts';
import type { CliContext } from './cli-context.ts';
import { SocketClient } from './remote-client.ts';

/** The file kubectl writes to: the first of $KUBECONFIG, else ~/.kube/config. */
export function kubeconfigFile(env: NodeJS.ProcessEnv): string {
  const first = env.KUBECONFIG?.split(path.delimiter).find((p) => p.trim());
  return first ?? path.join(env.HOME || os.homedir(), '.kube', 'config');
}

async function askAccess(dataHome: string): Promise<KubeAccess> {
  const record = liveRecord(dataHome);
  const client = record ? await SocketClient.connect(record).catch(() => undefined) : undefined;
  if (!client) {
    throw new PorchlightError(
      'FAILED_PRECONDITION',
      `no Porchlight service runs for ${dataHome}, and the Kubernetes API is served by one: open the app, or start it with "porchlight service start --detach"`,
      { dataHome },
    );
  }
  try {
    return (await client.control('kubeconfig')) as KubeAccess;
  } finally {
    await client.close();
  }
}

export function addKubeconfigCommand(program: Command, ctx: CliContext): void {
  program
    .command('kubeconfig')
    .description("A kubeconfig for the running service's Kubernetes API (kubectl, porchctl, Porch's web UI); --merge adds it to your kubeconfig.")
    .option('-n, --namespace <namespace>', "the context's namespace", 'default')
    .option('--merge', 'add (or replace) the "porchlight" cluster, user and context in $KUBECONFIG or ~/.kube/config instead of printing', false)
    .option('--use', 'with --merge: make "porchlight" the current context', false)
    .action(async (o: { namespace: string; merge: boolean; use: boolean }) => {
      const access = await askAccess(resolveDataHome(ctx.io.env));
      const entry = { server: access.url, caPem: access.caPem, token: access.token, namespace: o.namespace };
      if (!o.merge) return void ctx.io.stdout(kubeconfigYaml(entry));
      const file = kubeconfigFile(ctx.io.env);
      let existing: string | undefined;
      try {
        existing = fs.readFileSync(file, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      let merged: string;
      try {
        merged = mergeKubeconfig(existing, entry, o.use);
      } catch (e) {
        throw new PorchlightError(
          'INVALID_ARGUMENT',
          `${file} is not a kubeconfig Porchlight can read (${(e as Error).message}); fix it, or print one with "porchlight kubeconfig"`,
        );
      }
      // Written whole, then renamed over: a kubeconfig is never left half-written. It holds a token: 0600, as kubectl writes it.
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, merged, { mode: 0o600 });
      fs.renameSync(tmp, file);
      const current = YAML.parse(merged)['current-context'] === KUBECONFIG_NAME;
      ctx.io.stdout(
        `merged context "${KUBECONFIG_NAME}" (${access.url}) into ${file}${current ? ', and made it the current context' : `; use it with: kubectl --context ${KUBECONFIG_NAME} get packagerevisions`}\n`,
      );
    });
}

// porchlight service start|status|stop: the service that holds a data home,
// without a window. While one runs, every other command is its client over
// the local socket (remote-client.ts). The window and `porchlight serve` run
// the same service with the same socket (startDataHomeService).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { PorchlightError } from '../../src-shared/errors.ts';
import { resolveDataHome } from '../host/data-home.ts';
import type { ServiceHost } from '../host/service-host.ts';
import type { KubeDoorState } from '../host/kube/kube-door-service.ts';
import type { SocketServer } from '../host/socket-server.ts';
import { describeDatabase, liveRecord, pidAlive, type ServiceRecord } from '../host/socket-record.ts';
import type { CliContext } from './cli-context.ts';
import { formatJson } from './printers.ts';
import { SocketClient } from './remote-client.ts';

const CLI_BIN = fileURLToPath(new URL('../../bin/porchlight.mjs', import.meta.url));
/** LSB's status code for "not running". */
export const NOT_RUNNING = 3;

export interface DataHomeService {
  host: ServiceHost;
  server: SocketServer;
  /** Resolves when asked to stop: Ctrl-C, SIGTERM, or `porchlight service stop`. */
  stopped: Promise<void>;
  close(): Promise<void>;
}

/** The service for a data home, on its worker thread, with its local socket; refused up front when another holds the data home. */
export async function startDataHomeService(ctx: CliContext, db: string | undefined): Promise<DataHomeService> {
  // Loaded here: no other command needs the service's own modules.
  const [{ startServiceHost }, { claimDataHome, openedDatabase, startSocketServer }, { openKubeDoorFor, kubeAccess }] = await Promise.all([
    import('../host/service-host.ts'),
    import('../host/socket-server.ts'),
    import('../host/kube/kube-door-service.ts'),
  ]);
  const env = ctx.io.env;
  const dataHome = resolveDataHome(env);
  const claim = claimDataHome(dataHome);
  let host: ServiceHost;
  try {
    host = await startServiceHost({ dataHome, db, env: { ...env }, backgroundSync: true });
  } catch (e) {
    claim.release();
    throw e;
  }
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const onSignal = () => stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let server: SocketServer;
  // Filled in once the door is open; until then `kubeconfig` is told it is still starting.
  const kube: { state?: KubeDoorState } = {};
  try {
    const database = await openedDatabase(dataHome, db, env);
    server = await startSocketServer({ host, dataHome, database, claim, onStop: stop, env, kube: () => kubeAccess(kube.state) });
  } catch (e) {
    await host.close();
    claim.release();
    throw e;
  }
  kube.state = await openKubeDoorFor(host, dataHome, env, (m) => ctx.io.stderr(`porchlight: ${m}\n`));
  return {
    host,
    server,
    stopped,
    async close() {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      if (kube.state && 'door' in kube.state) await kube.state.door.close();
      await server.close();
      await host.close();
    },
  };
}

export function addServiceCommand(program: Command, ctx: CliContext, dbOption: () => string | undefined): void {
  const service = program
    .command('service')
    .description('The Porchlight service of this data home without a window: while it runs, every porchlight command goes through it.');

  service
    .command('start')
    .description('Run the service in the foreground until Ctrl-C or "porchlight service stop" (--detach: in the background).')
    .option('--detach', 'start it in the background and return once it answers', false)
    .action(async (o: { detach: boolean }) => {
      if (o.detach) return startDetached(ctx, dbOption());
      const running = await startDataHomeService(ctx, dbOption());
      ctx.io.stdout(`${describe(running.server.record)}\nCtrl-C or "porchlight service stop" stops it.\n`);
      await running.stopped;
      await running.close();
    });

  service
    .command('status')
    .description('Whether a service holds this data home: its pid, socket, database and uptime (exit 3 when none runs).')
    .option('-o, --output <format>', 'json, or the default text')
    .action(async (o: { output?: string }) => {
      const dataHome = resolveDataHome(ctx.io.env);
      const status = await askStatus(dataHome);
      if (!status) {
        ctx.io.stdout(`no service is running for ${dataHome}\n`);
        ctx.exitCode = NOT_RUNNING;
        return;
      }
      ctx.io.stdout(o.output === 'json' ? formatJson(status) : `${describe(status)}\n  uptime      ${uptime(status.uptimeMs)}\n`);
    });

  service
    .command('stop')
    .description('Ask the service of this data home to close cleanly, and wait for it (SIGTERM if it does not answer).')
    .action(async () => {
      const dataHome = resolveDataHome(ctx.io.env);
      const record = liveRecord(dataHome);
      if (!record) return void ctx.io.stdout(`no service is running for ${dataHome}\n`);
      await stopService(record);
      ctx.io.stdout(`stopped the Porchlight service (pid ${record.pid}) of ${dataHome}\n`);
    });
}

function describe(r: ServiceRecord & { kubernetes?: string }): string {
  return [
    `Porchlight service running for ${r.dataHome}`,
    `  pid         ${r.pid}`,
    `  socket      ${r.socket}`,
    `  database    ${describeDatabase(r.database)}`,
    ...(r.kubernetes ? [`  kubernetes  ${r.kubernetes} ("porchlight kubeconfig" for kubectl)`] : []),
    `  version     ${r.version}`,
    `  started     ${r.startedAt}`,
  ].join('\n');
}

const uptime = (ms: number) => {
  const s = Math.floor(ms / 1000);
  const parts = [
    Math.floor(s / 86400) && `${Math.floor(s / 86400)}d`,
    Math.floor(s / 3600) % 24 && `${Math.floor(s / 3600) % 24}h`,
    `${Math.floor(s / 60) % 60}m`,
  ];
  return `${parts.filter(Boolean).join(' ')} ${s % 60}s`;
};

/** The service's own account of itself, or undefined when none answers for this data home. */
async function askStatus(dataHome: string): Promise<(ServiceRecord & { uptimeMs: number; kubernetes?: string }) | undefined> {
  const record = liveRecord(dataHome);
  if (!record) return undefined;
  const client = await SocketClient.connect(record).catch(() => undefined);
  if (!client) return undefined;
  try {
    return (await client.control('status')) as ServiceRecord & { uptimeMs: number; kubernetes?: string };
  } catch {
    return undefined;
  } finally {
    await client.close();
  }
}

async function stopService(record: ServiceRecord): Promise<void> {
  const client = await SocketClient.connect(record).catch(() => undefined);
  let asked = false;
  if (client) {
    try {
      await client.control('stop');
      asked = true;
    } catch (e) {
      // Refused by the service itself (not a lost connection): say why rather than kill it.
      if (e instanceof PorchlightError && e.code !== 'UNAVAILABLE') throw e;
    } finally {
      await client.close();
    }
  }
  if (asked && (await exited(record.pid, 30_000))) return;
  process.kill(record.pid, 'SIGTERM');
  if (await exited(record.pid, 10_000)) return;
  throw new PorchlightError('UNAVAILABLE', `the Porchlight service (pid ${record.pid}) did not stop; end it with: kill -9 ${record.pid}`, { pid: record.pid });
}

async function exited(pid: number, ms: number): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += 50) {
    if (!pidAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !pidAlive(pid);
}

/** A background service, its output in <data home>/service.log; returns once its socket answers, or says why it did not start. */
async function startDetached(ctx: CliContext, db: string | undefined): Promise<void> {
  const env = ctx.io.env;
  const dataHome = resolveDataHome(env);
  const running = liveRecord(dataHome);
  if (running && (await askStatus(dataHome))) throw (await import('../host/socket-server.ts')).serviceRunning(dataHome, running.pid);
  fs.mkdirSync(dataHome, { recursive: true, mode: 0o700 });
  const logFile = path.join(dataHome, 'service.log');
  const fd = fs.openSync(logFile, 'a', 0o600);
  const logStart = fs.fstatSync(fd).size;
  // --db travels in the environment: a postgres:// URL with a password must not show in the process list.
  const child = spawn(process.execPath, [CLI_BIN, 'service', 'start'], {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...env, ...(db ? { PORCHLIGHT_DB: db } : {}) },
  });
  fs.closeSync(fd);
  let exit: number | null = null;
  child.once('exit', (code) => (exit = code ?? 1));
  child.unref();
  for (let waited = 0; waited < 120_000; waited += 50) {
    const status = liveRecord(dataHome)?.pid === child.pid ? await askStatus(dataHome) : undefined;
    if (status) return void ctx.io.stdout(`${describe(status)}\nIts output goes to ${logFile}; "porchlight service stop" stops it.\n`);
    if (exit !== null) {
      const said = fs
        .readFileSync(logFile, 'utf8')
        .slice(logStart)
        .trim()
        .replace(/^Error: /, '');
      throw new PorchlightError('UNAVAILABLE', `the service did not start (exit ${exit})${said ? `: ${said}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new PorchlightError('UNAVAILABLE', `the service (pid ${child.pid}) did not answer within 120 s; see ${logFile}`);
}

// The service's local door: the process that holds a data home (the window,
// `porchlight serve`, `porchlight service start`) answers the CLI over a Unix
// socket in it (a named pipe on Windows), one JSON frame a line
// (socket-frames.ts). Only its user can reach the socket: it is 0600 inside
// the 0700 data home (or a 0700 directory of its own). Like browser mode, no
// client, however malformed, can end the process: every refusal is a frame.
import fs from 'node:fs';
import net from 'node:net';
import { PorchlightError } from '../../src-shared/errors.ts';
import { acquireDirLock, type DirLock } from '../db/dir-lock.ts';
import { resolveDatabaseTarget } from './data-home.ts';
import { makePrivateDir } from '../db/private-files.ts';
import { databaseToOpen } from '../service/database-choice.ts';
import type { KubeAccess } from './kube/kube-door-service.ts';
import type { ServiceHost } from './service-host.ts';
import { LineReader, MAX_FRAME_BYTES, parseRequestFrame, writeFrame, type Control, type ReplyFrame } from './socket-frames.ts';
import { packageVersion } from './package-version.ts';
import { socketPathFor } from './socket-path.ts';
import { databaseIdentity, describeDatabase, liveRecord, removeRecord, writeRecord, type DatabaseIdentity, type ServiceRecord } from './socket-record.ts';

/** A subscriber that stops reading is cut off rather than buffered without end. */
const MAX_UNREAD_EVENTS_BYTES = 16 * 1024 * 1024;

export interface SocketServerOptions {
  host: ServiceHost;
  dataHome: string;
  database: DatabaseIdentity;
  /** Taken before the service opened its database (claimDataHome); taken here if not given. */
  claim?: DataHomeClaim;
  /** `porchlight service stop` asks this; without it a stop is refused with `stopHint`. */
  onStop?: () => void;
  stopHint?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** The Kubernetes door's address and token for `porchlight kubeconfig`; throws, saying why, when it is off. */
  kube?: () => KubeAccess;
}

export interface SocketServer {
  readonly record: ServiceRecord;
  close(): Promise<void>;
}

export interface DataHomeClaim {
  release(): void;
}

/**
 * One service per data home: a lock on the data home itself, taken before the
 * service opens its database, so a second service says who already serves it
 * instead of meeting the database's own lock.
 */
export function claimDataHome(dataHome: string): DataHomeClaim {
  makePrivateDir(dataHome);
  let lock: DirLock;
  try {
    lock = acquireDirLock(dataHome);
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'DB_LOCKED') throw e;
    const pid = (e as { data?: { pid?: unknown } }).data?.pid;
    throw serviceRunning(dataHome, typeof pid === 'number' ? pid : liveRecord(dataHome)?.pid);
  }
  return { release: () => lock.release() };
}

export function serviceRunning(dataHome: string, pid: number | undefined): PorchlightError {
  const record = liveRecord(dataHome);
  const who = pid !== undefined ? `a Porchlight service (pid ${pid})` : 'another Porchlight service';
  const where = record && record.pid === pid ? ` on ${record.socket}, database ${describeDatabase(record.database)}` : '';
  return new PorchlightError(
    'FAILED_PRECONDITION',
    `${who} already serves ${dataHome}${where}. The CLI works through it as it is; to start another, stop it first with "porchlight service stop" (or close its window)`,
    { dataHome, ...(pid !== undefined ? { pid } : {}) },
  );
}

/** The database a service started with these options opens, as service.json records it. */
export async function openedDatabase(dataHome: string, db: string | undefined, env: Readonly<Record<string, string | undefined>>): Promise<DatabaseIdentity> {
  const { db: chosen } = await databaseToOpen(dataHome, db, env);
  return databaseIdentity(resolveDatabaseTarget({ db: chosen, env, dataHome }));
}

export async function startSocketServer(opts: SocketServerOptions): Promise<SocketServer> {
  const claim = opts.claim ?? claimDataHome(opts.dataHome);
  const socketPath = socketPathFor(opts.dataHome, opts.env);
  const connections = new Set<net.Socket>();
  const subscribers = new Set<net.Socket>();
  const startedAt = new Date().toISOString();
  const record: ServiceRecord = {
    pid: process.pid,
    socket: socketPath,
    dataHome: opts.dataHome,
    database: opts.database,
    version: packageVersion(),
    startedAt,
  };

  const unsubscribe = opts.host.onEvent((event) => {
    for (const s of subscribers) {
      if (s.writableLength > MAX_UNREAD_EVENTS_BYTES) s.destroy();
      else writeFrame(s, { event });
    }
  });

  const kubeAccess = (): KubeAccess => {
    if (!opts.kube) throw new PorchlightError('FAILED_PRECONDITION', 'this service serves no Kubernetes API');
    return opts.kube();
  };

  function answerControl(socket: net.Socket, id: number, control: Control): ReplyFrame {
    if (control === 'subscribe') {
      subscribers.add(socket);
      return { id, answer: { ok: true, value: {} } };
    }
    if (control === 'status') {
      let kubernetes: string | undefined;
      try {
        kubernetes = kubeAccess().url;
      } catch {
        // Off or still starting: status says nothing of it.
      }
      const value = { ...record, uptimeMs: Date.now() - Date.parse(startedAt), connections: connections.size, ...(kubernetes ? { kubernetes } : {}) };
      return { id, answer: { ok: true, value } };
    }
    if (control === 'kubeconfig') {
      try {
        return { id, answer: { ok: true, value: kubeAccess() } };
      } catch (e) {
        const error = e instanceof PorchlightError ? e : new PorchlightError('INTERNAL', String(e));
        return { id, answer: { ok: false, error: { code: error.code, message: error.message } } };
      }
    }
    if (!opts.onStop) {
      const message = opts.stopHint ?? 'this service cannot be stopped from the socket';
      return { id, answer: { ok: false, error: { code: 'FAILED_PRECONDITION', message } } };
    }
    // After the answer is on its way: the owner closes this server among the rest.
    setImmediate(opts.onStop);
    return { id, answer: { ok: true, value: { pid: process.pid } } };
  }

  function onLine(socket: net.Socket, line: string): void {
    if (line.trim() === '') return;
    const parsed = parseRequestFrame(line);
    if (!parsed.ok) {
      const error = { code: 'INVALID_ARGUMENT' as const, message: parsed.message };
      writeFrame(socket, parsed.id === undefined ? { error } : { id: parsed.id, answer: { ok: false, error } });
      return;
    }
    const frame = parsed.frame;
    if ('control' in frame) return void writeFrame(socket, answerControl(socket, frame.id, frame.control));
    opts.host.call(frame.channel, frame.payload).then(
      (answer) => writeFrame(socket, { id: frame.id, answer }),
      (e: unknown) =>
        writeFrame(socket, { id: frame.id, answer: { ok: false, error: { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) } } }),
    );
  }

  const server = net.createServer((socket) => {
    connections.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      connections.delete(socket);
      subscribers.delete(socket);
    });
    const reader = new LineReader(
      MAX_FRAME_BYTES,
      (line) => onLine(socket, line),
      () => {
        subscribers.delete(socket);
        socket.removeAllListeners('data');
        writeFrame(socket, { error: { code: 'INVALID_ARGUMENT', message: `a request is larger than ${MAX_FRAME_BYTES / 1024 / 1024} MB` } });
        // The rest of that line is never read: the connection ends once the error is out.
        socket.end(() => socket.destroy());
      },
    );
    socket.on('data', (chunk: Buffer) => {
      try {
        reader.push(chunk);
      } catch (e) {
        // Nothing a client sends may end the process: a fault here costs that connection only.
        writeFrame(socket, { error: { code: 'INTERNAL', message: `the request could not be handled: ${e instanceof Error ? e.message : String(e)}` } });
        socket.destroy();
      }
    });
  });

  try {
    // Held claim: a socket file already there was left by a service that is gone.
    if (process.platform !== 'win32') fs.rmSync(socketPath, { force: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => resolve());
    });
    server.removeAllListeners('error');
    server.on('error', () => {});
    if (process.platform !== 'win32') fs.chmodSync(socketPath, 0o600);
    writeRecord(opts.dataHome, record);
  } catch (e) {
    unsubscribe();
    server.close();
    claim.release();
    throw new PorchlightError('UNAVAILABLE', `could not listen on ${socketPath}: ${e instanceof Error ? e.message : String(e)}`);
  }

  let closed = false;
  const cleanUp = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    removeRecord(opts.dataHome, record);
    if (process.platform !== 'win32') fs.rmSync(socketPath, { force: true });
    claim.release();
  };
  // A signal that ends the process without close() still leaves no record behind; kill -9 does, and the next start finds it stale.
  process.once('exit', cleanUp);
  return {
    record,
    async close() {
      process.removeListener('exit', cleanUp);
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of connections) s.destroy();
      await done;
      cleanUp();
    },
  };
}

// The CLI as a client of the service that holds its data home: when
// service.json names a live service on the database this command would open,
// every call goes over the local socket (socket-frames.ts), so a CLI beside
// the open window never meets the database's lock. Loads nothing heavy.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { AnswerOf, Answer, Channel, RequestOf, ServiceEvent } from '../../src-shared/contract.ts';
import { ERROR_CODES, PorchlightError, type ErrorCode } from '../../src-shared/errors.ts';
import { resolveDatabaseTarget } from '../host/data-home.ts';
import { LineReader, writeFrame, type Control, type RequestFrame } from '../host/socket-frames.ts';
import { databaseIdentity, liveRecord, sameDatabase, type DatabaseIdentity, type ServiceRecord } from '../host/socket-record.ts';
import type { ServiceClient } from '../../src-shared/service-client.ts';

const isErrorCode = (code: string): code is ErrorCode => (ERROR_CODES as readonly string[]).includes(code);

/** Answers are as large as the data asked for (a package's files); the limit only stops a runaway. */
const MAX_ANSWER_BYTES = 1024 * 1024 * 1024;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The database an in-process command would open (as databaseToOpen decides:
 * --db, PORCHLIGHT_DB, the saved choice, the data home's directory), without
 * unsealing the saved password: comparing needs only server, database and user.
 */
export function databaseTheCliOpens(dataHome: string, explicit: string | undefined, env: Env): DatabaseIdentity {
  const chosen = explicit?.trim() ? explicit : env.PORCHLIGHT_DB?.trim() ? env.PORCHLIGHT_DB : savedPostgresUrl(dataHome);
  return databaseIdentity(resolveDatabaseTarget({ db: chosen, env, dataHome }));
}

function savedPostgresUrl(dataHome: string): string | undefined {
  try {
    const settings = JSON.parse(fs.readFileSync(path.join(dataHome, 'settings.json'), 'utf8')) as { database?: { kind?: string; url?: string } };
    return settings.database?.kind === 'postgres' ? settings.database.url : undefined;
  } catch {
    // No settings, or broken ones: the in-process path reads them again and says what is wrong.
    return undefined;
  }
}

export interface ConnectOptions {
  dataHome: string;
  db?: string;
  env: Env;
  /** What the user ran ("rpkg approve"), for the message when the service stops mid-call. */
  command?: string;
}

/** A client of the service holding this data home and database, or undefined when none does (the command then runs in process). */
export async function connectToService(opts: ConnectOptions): Promise<ServiceClient | undefined> {
  const record = liveRecord(opts.dataHome);
  if (!record) return undefined;
  if (!sameDatabase(record.database, databaseTheCliOpens(opts.dataHome, opts.db, opts.env))) return undefined;
  // Refused or missing: the service is gone or going, and its record stale.
  return SocketClient.connect(record, opts.command).catch(() => undefined);
}

/** One connection to a service's socket: calls by id, answers in any order, events to whoever listens. */
export class SocketClient implements ServiceClient {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (a: Answer<unknown>) => void; reject: (e: Error) => void; what: string }>();
  private readonly listeners = new Set<(e: ServiceEvent) => void>();
  private subscribed?: Promise<unknown>;
  private gone?: Error;

  private constructor(
    private readonly socket: net.Socket,
    readonly record: ServiceRecord,
    private readonly command: string | undefined,
  ) {
    const reader = new LineReader(
      MAX_ANSWER_BYTES,
      (line) => this.onLine(line),
      () => socket.destroy(new Error('an answer larger than 1 GB')),
    );
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => this.fail());
  }

  static connect(record: ServiceRecord, command?: string): Promise<SocketClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(record.socket);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.removeListener('error', reject);
        resolve(new SocketClient(socket, record, command));
      });
    });
  }

  async call<C extends Channel>(channel: C, request: RequestOf<C>, opts?: { onEvent?: (e: ServiceEvent) => void }): Promise<AnswerOf[C]> {
    const onEvent = opts?.onEvent;
    if (onEvent) {
      this.subscribed ??= this.send({ id: this.next++, control: 'subscribe' }, 'subscribe');
      await this.subscribed;
      this.listeners.add(onEvent);
    }
    try {
      return (await this.send({ id: this.next++, channel, payload: request }, channel)) as AnswerOf[C];
    } finally {
      if (onEvent) this.listeners.delete(onEvent);
    }
  }

  /** Asks the socket itself: its status, or to stop the service. */
  control(control: Exclude<Control, 'subscribe'>): Promise<unknown> {
    return this.send({ id: this.next++, control }, control);
  }

  async close(): Promise<void> {
    if (this.socket.destroyed) return;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
    });
  }

  private send(frame: RequestFrame, what: string): Promise<unknown> {
    if (this.gone) return Promise.reject(this.gone);
    return new Promise<Answer<unknown>>((resolve, reject) => {
      this.pending.set(frame.id, { resolve, reject, what });
      writeFrame(this.socket, frame);
    }).then((answer) => {
      if (answer.ok) return answer.value;
      throw new PorchlightError(answer.error.code, answer.error.message, answer.error.data ?? {});
    });
  }

  private onLine(line: string): void {
    let frame: { id?: number; answer?: Answer<unknown>; event?: ServiceEvent; error?: { code: string; message: string } };
    try {
      frame = JSON.parse(line) as typeof frame;
    } catch {
      return void this.socket.destroy();
    }
    if (frame.event) for (const l of this.listeners) l(frame.event);
    else if (frame.id !== undefined && frame.answer) {
      this.pending.get(frame.id)?.resolve(frame.answer);
      this.pending.delete(frame.id);
    } else if (frame.error) {
      // The service refused the connection itself (a request over its size limit): every call on it fails with that.
      this.fail(new PorchlightError(isErrorCode(frame.error.code) ? frame.error.code : 'INTERNAL', frame.error.message));
      this.socket.destroy();
    }
  }

  /** The connection is gone: every call still waiting learns why (the service stopped, unless it said otherwise), and what to do. */
  private fail(reason?: PorchlightError): void {
    const pid = this.record.pid;
    for (const p of this.pending.values()) {
      const running = this.command ?? p.what;
      p.reject(
        reason ??
          new PorchlightError(
            'UNAVAILABLE',
            `the Porchlight service (pid ${pid}) stopped while running ${running}, before it answered. ` +
              'Each change it makes is whole or not made at all: look at the result (porchlight rpkg get), then run it again',
            { pid, channel: p.what },
          ),
      );
    }
    this.pending.clear();
    this.gone ??= reason ?? new PorchlightError('UNAVAILABLE', `the Porchlight service (pid ${pid}) is no longer running; run the command again`, { pid });
  }
}

// The service's local socket: where it listens and who may reach it (0600 in
// a 0700 data home, or a private directory when the path is too long), the
// record it keeps in service.json (and how a stale one is replaced), frames
// answered by id, events to subscribers only, stop, and a seeded fuzz of bad
// input that must never end the process. The host behind it is a stand-in
// here; the last case, and test/cli/service-client.test.ts, use the real one.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Answer, ServiceEvent } from '../../src-shared/contract.ts';
import { PorchlightError } from '../../src-shared/errors.ts';
import { SocketClient } from '../../src-main/cli/remote-client.ts';
import { startServiceHost, type ServiceHost } from '../../src-main/host/service-host.ts';
import { MAX_FRAME_BYTES } from '../../src-main/host/socket-frames.ts';
import { liveRecord, readRecord, recordFile, type ServiceRecord } from '../../src-main/host/socket-record.ts';
import { startSocketServer, type SocketServer } from '../../src-main/host/socket-server.ts';
import { rng } from '../faults/killable-child.ts';

/** A host that answers `echo` with its payload after `payload.delayMs`, fails `fail`, and lets the test emit events. */
function standInHost() {
  const listeners = new Set<(e: ServiceEvent) => void>();
  const calls: { channel: unknown; payload: unknown }[] = [];
  const host: ServiceHost = {
    async call(channel, payload) {
      calls.push({ channel, payload });
      const delay = (payload as { delayMs?: number } | undefined)?.delayMs ?? 0;
      if (delay) await new Promise((r) => setTimeout(r, delay));
      if (channel === 'fail') return { ok: false, error: { code: 'NOT_FOUND', message: 'no such thing', data: { name: 'x' } } };
      return { ok: true, value: { channel, payload } } as Answer<unknown>;
    },
    onEvent(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    async close() {},
  };
  return { host, calls, emit: (e: ServiceEvent) => listeners.forEach((l) => l(e)), listeners };
}

/** A raw connection: writes bytes, collects every frame the server sends, knows when the server closed it. */
function rawConnection(socketPath: string) {
  const socket = net.connect(socketPath);
  const frames: Record<string, unknown>[] = [];
  let buffered = '';
  let closed = false;
  socket.on('data', (d) => {
    buffered += d.toString('utf8');
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      frames.push(JSON.parse(buffered.slice(0, nl)) as Record<string, unknown>);
      buffered = buffered.slice(nl + 1);
    }
  });
  socket.on('error', () => {});
  socket.on('close', () => (closed = true));
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return {
    socket,
    frames,
    connected,
    isClosed: () => closed,
    send: (text: string | Buffer) => socket.write(text),
    async waitFor(pred: (f: Record<string, unknown>) => boolean, ms = 5000) {
      for (let t = 0; t < ms; t += 10) {
        const f = frames.find(pred);
        if (f) return f;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`no such frame within ${ms} ms; got ${JSON.stringify(frames).slice(0, 500)}`);
    },
  };
}

const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid;

describe('the local socket', () => {
  let work: string;
  let home: string;
  let server: SocketServer | undefined;
  const crashes: string[] = [];
  const onCrash = (e: unknown) => void crashes.push(e instanceof Error ? (e.stack ?? e.message) : String(e));

  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-socket-'));
    home = path.join(work, 'home');
    crashes.length = 0;
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    fs.rmSync(work, { recursive: true, force: true });
  });

  const start = (host: ServiceHost, extra: Partial<Parameters<typeof startSocketServer>[0]> = {}) =>
    startSocketServer({ host, dataHome: home, database: { kind: 'pglite', dir: path.join(home, 'db') }, ...extra });

  it('listens on a 0600 socket in the 0700 data home, records itself 0600, and removes both on close', async () => {
    server = await start(standInHost().host);
    const socket = path.join(home, 'service.sock');
    expect(fs.statSync(socket).isSocket()).toBe(true);
    expect(fs.statSync(socket).mode & 0o777).toBe(0o600);
    expect(fs.statSync(home).mode & 0o777).toBe(0o700);
    expect(fs.statSync(recordFile(home)).mode & 0o777).toBe(0o600);
    const record = readRecord(home)!;
    expect(record).toMatchObject({ pid: process.pid, socket, dataHome: home, database: { kind: 'pglite', dir: path.join(home, 'db') } });
    expect(record.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Date.now() - Date.parse(record.startedAt)).toBeLessThan(60_000);
    await server.close();
    server = undefined;
    expect(fs.existsSync(socket)).toBe(false);
    expect(fs.existsSync(recordFile(home))).toBe(false);
  });

  it('answers each call by its id, in whatever order they finish, and sends events only to subscribers', async () => {
    const fake = standInHost();
    server = await start(fake.host);
    const a = rawConnection(server.record.socket);
    const b = rawConnection(server.record.socket);
    await Promise.all([a.connected, b.connected]);
    a.send(
      `${JSON.stringify({ id: 1, channel: 'echo', payload: { delayMs: 200, n: 1 } })}\n${JSON.stringify({ id: 2, channel: 'echo', payload: { n: 2 } })}\n`,
    );
    await a.waitFor((f) => f.id === 1);
    expect(a.frames.map((f) => f.id)).toEqual([2, 1]);
    expect(a.frames[1]).toEqual({ id: 1, answer: { ok: true, value: { channel: 'echo', payload: { delayMs: 200, n: 1 } } } });

    // A frame split across writes, and two in one write.
    b.send('{"id": 7, "control": "subs');
    b.send('cribe"}\n');
    await b.waitFor((f) => f.id === 7);
    fake.emit({ type: 'revision.changed', name: 'r.p.v1', namespace: 'default' });
    await b.waitFor((f) => 'event' in f);
    expect(b.frames.find((f) => 'event' in f)).toEqual({ event: { type: 'revision.changed', name: 'r.p.v1', namespace: 'default' } });
    await new Promise((r) => setTimeout(r, 50));
    expect(a.frames.some((f) => 'event' in f)).toBe(false);

    a.send(`${JSON.stringify({ id: 3, control: 'status' })}\n`);
    const status = (await a.waitFor((f) => f.id === 3)) as { answer: { ok: true; value: ServiceRecord & { uptimeMs: number; connections: number } } };
    expect(status.answer.value).toMatchObject({ pid: process.pid, connections: 2 });
    a.socket.destroy();
    b.socket.destroy();
  });

  it('gives errors back as PorchlightError with the code, message and data the service gave', async () => {
    server = await start(standInHost().host);
    const client = await SocketClient.connect(server.record);
    const failure = await client.call('fail' as never, {} as never).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PorchlightError);
    expect(failure).toMatchObject({ code: 'NOT_FOUND', message: 'no such thing', data: { name: 'x' } });
    const events: ServiceEvent[] = [];
    const fake = standInHost();
    await server.close();
    server = await start(fake.host);
    const again = await SocketClient.connect(server.record);
    const call = again.call('echo' as never, { delayMs: 100 } as never, { onEvent: (e) => events.push(e) });
    await new Promise((r) => setTimeout(r, 50));
    fake.emit({ type: 'git.reachable', reachable: false });
    expect(await call).toEqual({ channel: 'echo', payload: { delayMs: 100 } });
    expect(events).toEqual([{ type: 'git.reachable', reachable: false }]);
    await client.close();
    await again.close();
  });

  it('fails a call in flight clearly when the service goes away, naming its pid and the command', async () => {
    server = await start(standInHost().host);
    const client = await SocketClient.connect(server.record, 'rpkg approve');
    const call = client.call('echo' as never, { delayMs: 5000 } as never).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    await server.close();
    server = undefined;
    const e = (await call) as PorchlightError;
    expect(e).toBeInstanceOf(PorchlightError);
    expect(e.code).toBe('UNAVAILABLE');
    expect(e.message).toContain(`the Porchlight service (pid ${process.pid}) stopped while running rpkg approve`);
    expect(e.message).toContain('run it again');
  });

  it('refuses a second service on the data home, naming the first; replaces a stale record and socket', async () => {
    server = await start(standInHost().host);
    const second = await start(standInHost().host).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(PorchlightError);
    expect((second as PorchlightError).code).toBe('FAILED_PRECONDITION');
    expect((second as PorchlightError).message).toContain('porchlight service stop');
    await server.close();
    server = undefined;

    // What kill -9 leaves: a record naming a dead process, and its socket file.
    const dead = deadPid();
    const stale: ServiceRecord = {
      pid: dead,
      socket: path.join(home, 'service.sock'),
      dataHome: home,
      database: { kind: 'pglite', dir: '/old' },
      version: '0.0.1',
      startedAt: '2020-01-01T00:00:00.000Z',
    };
    fs.writeFileSync(recordFile(home), JSON.stringify(stale));
    const leftover = net.createServer().listen(stale.socket);
    await new Promise((r) => leftover.once('listening', r));
    leftover.close(); // unlinks; put a plain file there as a crashed process would leave the name behind
    fs.writeFileSync(stale.socket, '');
    expect(liveRecord(home)).toBeUndefined();
    server = await start(standInHost().host);
    expect(readRecord(home)).toMatchObject({ pid: process.pid, socket: stale.socket });
    const client = await SocketClient.connect(readRecord(home)!);
    expect(await client.call('echo' as never, {} as never)).toEqual({ channel: 'echo', payload: {} });
    await client.close();
  });

  it('uses a short private socket path when the data home is too deep for one, and records it', async () => {
    home = path.join(work, 'd'.repeat(60), 'e'.repeat(60), 'home');
    server = await start(standInHost().host);
    const socket = server.record.socket;
    expect(socket.startsWith(home)).toBe(false);
    expect(Buffer.byteLength(socket)).toBeLessThanOrEqual(107);
    expect(fs.statSync(path.dirname(socket)).mode & 0o777).toBe(0o700);
    expect(fs.statSync(socket).mode & 0o777).toBe(0o600);
    expect(readRecord(home)!.socket).toBe(socket);
    const client = await SocketClient.connect(readRecord(home)!);
    expect(await client.call('echo' as never, { n: 1 } as never)).toEqual({ channel: 'echo', payload: { n: 1 } });
    await client.close();
  });

  it('stops only when its owner lets it, and says how otherwise', async () => {
    let stopped = 0;
    server = await start(standInHost().host, { onStop: () => stopped++ });
    const client = await SocketClient.connect(server.record);
    expect(await client.control('stop')).toEqual({ pid: process.pid });
    await new Promise((r) => setTimeout(r, 20));
    expect(stopped).toBe(1);
    await client.close();
    await server.close();
    server = await start(standInHost().host, { stopHint: 'close the window to stop it' });
    const other = await SocketClient.connect(server.record);
    await expect(other.control('stop')).rejects.toMatchObject({ code: 'FAILED_PRECONDITION', message: 'close the window to stop it' });
    await other.close();
  });

  it('answers every malformed line with an error frame, cuts off an oversized one, and keeps serving (seeded fuzz)', async () => {
    const fake = standInHost();
    server = await start(fake.host);
    const c = rawConnection(server.record.socket);
    await c.connected;
    const cases: [string, (f: Record<string, unknown>) => boolean][] = [
      ['not json', (f) => (f.error as { message: string })?.message.includes('not JSON')],
      ['[1,2]', (f) => (f.error as { message: string })?.message.includes('JSON object')],
      ['{"channel":"echo"}', (f) => (f.error as { message: string })?.message.includes('"id"')],
      ['{"id":5}', (f) => f.id === 5 && (f.answer as Answer<unknown>).ok === false],
      ['{"id":6,"control":"explode"}', (f) => f.id === 6 && (f.answer as Answer<unknown>).ok === false],
      [`{"id":8,"channel":"echo","payload":${'['.repeat(10_000)}${']'.repeat(10_000)}}`, (f) => (f.error as { message: string })?.message.includes('deeper')],
    ];
    for (const [line, ok] of cases) {
      const before = c.frames.length;
      c.send(`${line}\n`);
      await c.waitFor((f) => c.frames.indexOf(f) >= before && ok(f));
    }
    expect(fake.calls).toEqual([]);

    const seed = Number(process.env.PORCHLIGHT_FUZZ_SEED ?? Date.now() % 2 ** 31);
    console.log(`socket fuzz seed: ${seed} (replay with PORCHLIGHT_FUZZ_SEED=${seed})`);
    const random = rng(seed);
    const pieces = [
      '{',
      '}',
      '[',
      ']',
      '"id"',
      ':',
      '1',
      ',',
      '"channel"',
      '"echo"',
      '"payload"',
      'null',
      '\\u0000',
      '\ud800',
      '"',
      ' ',
      '\r',
      '-1e999',
      '"__proto__"',
    ];
    const lines: Buffer[] = [];
    for (let i = 0; i < 500; i++) {
      if (random() < 0.3) lines.push(Buffer.from(Array.from({ length: Math.floor(random() * 200) }, () => Math.floor(random() * 256)).filter((b) => b !== 10)));
      else lines.push(Buffer.from(Array.from({ length: Math.floor(random() * 30) }, () => pieces[Math.floor(random() * pieces.length)]).join('')));
    }
    c.send(Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])));
    c.send(`${JSON.stringify({ id: 999_999, channel: 'echo', payload: { after: 'fuzz' } })}\n`);
    await c.waitFor((f) => f.id === 999_999, 10_000);
    expect(c.isClosed()).toBe(false);

    // One line over the limit: an error frame, then the server hangs up; the next connection is served.
    const big = rawConnection(server.record.socket);
    await big.connected;
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    for (let sent = 0; sent <= MAX_FRAME_BYTES && !big.isClosed(); sent += chunk.length) {
      if (!big.send(chunk)) await new Promise((r) => (big.socket.once('drain', r), big.socket.once('close', r)));
    }
    await big.waitFor((f) => (f.error as { message: string } | undefined)?.message.includes('larger than') ?? false, 20_000);
    for (let t = 0; t < 5000 && !big.isClosed(); t += 10) await new Promise((r) => setTimeout(r, 10));
    expect(big.isClosed()).toBe(true);

    // Through the client: the call fails with the server's reason, not as a service that stopped.
    const sender = await SocketClient.connect(server.record);
    const refused = await sender.call('echo' as never, { blob: 'b'.repeat(MAX_FRAME_BYTES) } as never).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('larger than 64 MB') });

    const after = await SocketClient.connect(server.record);
    expect(await after.call('echo' as never, { ok: 1 } as never)).toEqual({ channel: 'echo', payload: { ok: 1 } });
    await after.close();
    c.socket.destroy();
    expect(crashes).toEqual([]);
  }, 60_000);

  it('carries calls of the real service (PGlite on its worker thread) and its refusals', async () => {
    const host = await startServiceHost({ dataHome: home, env: {}, backgroundSync: false });
    try {
      server = await start(host);
      const client = await SocketClient.connect(server.record);
      expect(await client.call('repositories.list', {})).toEqual([]);
      const refused = await client.call('repositories.list', { namespace: 42 } as never).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'INVALID_ARGUMENT' });
      await client.close();
    } finally {
      await server?.close();
      server = undefined;
      await host.close();
    }
  });
});

// The Electron relay and browser mode's HTTP door, driven without Electron:
// a fake ipcMain/ipcRenderer pair over the real service on its worker thread
// (PGlite), and plain HTTP against the real browser-mode server. Whatever a
// page sends, it gets an answer (a validation error for a bad payload), and
// calls from anywhere but the app's own page are refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_CHANNEL, EVENT_CHANNEL, installRelay, type IpcMainLike, type InvokeEventLike } from '../../src-main/ipc/electron-relay.ts';
import { startServiceHost, type ServiceHost } from '../../src-main/host/service-host.ts';
import { startBrowserServer, type BrowserServer } from '../../src-main/host/browser-server.ts';

/** ipcMain and an ipcRenderer for one frame, connected in memory as Electron connects them. */
function fakeIpc() {
  const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
  };
  const renderer = (frameUrl: string) => ({
    invoke: (channel: string, ...args: unknown[]) => {
      const h = handlers.get(channel);
      if (!h) return Promise.reject(new Error(`No handler registered for '${channel}'`));
      // Electron clones arguments between processes: functions and the like cannot cross.
      return h({ senderFrame: { url: frameUrl } }, ...(structuredClone(args) as unknown[]));
    },
  });
  return { ipcMain, renderer };
}

let work: string;
let host: ServiceHost;
const sent: { channel: string; payload: unknown }[] = [];

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-relay-'));
  host = await startServiceHost({ dataHome: work, env: {}, backgroundSync: false });
}, 60_000);
afterAll(async () => {
  await host?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('Electron relay (fake ipcMain/ipcRenderer)', () => {
  const { ipcMain, renderer } = fakeIpc();
  const window = { isDestroyed: () => false, webContents: { send: (channel: string, payload: unknown) => void sent.push({ channel, payload }) } };
  beforeAll(() => {
    installRelay(ipcMain, host, { trustedOrigin: 'porchlight://app/', windows: () => [window] });
  });
  const page = renderer('porchlight://app/index.html');

  it('answers the app page through the contract', async () => {
    expect(await page.invoke(CALL_CHANNEL, 'repositories.list', {})).toEqual({ ok: true, value: [] });
  });

  it('answers bad payloads with a validation error, never an exception', async () => {
    const cases: [unknown, unknown][] = [
      ['revisions.lifecycle', { name: 'x', verb: 'explode' }],
      ['revisions.lifecycle', 'not an object'],
      ['repositories.register', { url: 'file:///etc/passwd', name: 'x' }],
      ['repositories.register', { url: 'http://x', name: 'Bad Name' }],
      ['revisions.save', { name: 'x', resourceVersion: '1', files: [{ path: '../escape', base64: 'eA==' }] }],
      ['revisions.get', null],
      ['no.such.channel', {}],
      [42, {}],
    ];
    for (const [channel, payload] of cases) {
      const answer = (await page.invoke(CALL_CHANNEL, channel, payload)) as { ok: boolean; error?: { code: string; message: string } };
      expect(answer.ok, JSON.stringify([channel, payload])).toBe(false);
      expect(['INVALID_ARGUMENT', 'NOT_FOUND']).toContain(answer.error!.code);
      expect(answer.error!.message.length).toBeGreaterThan(10);
    }
  });

  it('tells where the data lives and tests a PostgreSQL URL without ever echoing its password', async () => {
    expect(await page.invoke(CALL_CHANNEL, 'settings.get', {})).toMatchObject({
      ok: true,
      value: { dataHome: work, database: { kind: 'pglite', location: path.join(work, 'db') } },
    });
    const refused = (await page.invoke(CALL_CHANNEL, 'settings.testDatabase', { url: 'postgres://someone:hunter2-secret@127.0.0.1:1/nothing' })) as {
      ok: boolean;
      error: { code: string; message: string };
    };
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(refused.error.message).not.toContain('hunter2-secret');
    expect(await page.invoke(CALL_CHANNEL, 'settings.testDatabase', { url: 'mysql://x' })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    const pgUrl = process.env.PORCHLIGHT_TEST_PG_URL;
    if (pgUrl)
      expect(await page.invoke(CALL_CHANNEL, 'settings.testDatabase', { url: pgUrl })).toMatchObject({
        ok: true,
        value: { serverVersion: expect.stringMatching(/^\d+/) },
      });
  });

  it('answers a request too deep or impossible to pass to the service thread, never rejects', async () => {
    let deep: unknown = {};
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(await host.call('repositories.list', { namespace: deep })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('nests deeper than 64 levels') },
    });
    expect(await host.call(deep, {})).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(await host.call('repositories.list', { namespace: () => 'x' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('cannot be passed to the service') },
    });
    // The service thread is still there.
    expect(await page.invoke(CALL_CHANNEL, 'repositories.list', {})).toMatchObject({ ok: true });
  });

  it('refuses calls from any other frame', async () => {
    const stranger = renderer('https://evil.example/');
    expect(await stranger.invoke(CALL_CHANNEL, 'repositories.list', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('pushes service events to the windows', async () => {
    sent.length = 0;
    await page.invoke(CALL_CHANNEL, 'repositories.register', { url: 'http://127.0.0.1:1/nothing.git', name: 'unreachable' });
    expect(sent.some((s) => s.channel === EVENT_CHANNEL && (s.payload as { type: string }).type === 'repository.status')).toBe(true);
  });
});

describe('browser mode HTTP door', () => {
  let server: BrowserServer;
  beforeAll(async () => {
    const renderer = path.join(work, 'renderer');
    fs.mkdirSync(renderer);
    fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>t</title>');
    server = await startBrowserServer({ host, rendererDir: renderer });
  });
  afterAll(() => server?.close());

  function post(headers: Record<string, string>, body: string): Promise<{ status: number; json: { ok: boolean; error?: { code: string } } }> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: server.port, path: '/api/call', method: 'POST', headers: { 'Content-Type': 'application/json', ...headers } },
        (res) => {
          let data = '';
          res.on('data', (c) => (data += c));
          // A server that stops reading a body it refuses may cut the answer short too.
          res.on('error', reject);
          res.on('end', () => {
            try {
              resolve({ status: res.statusCode!, json: JSON.parse(data) });
            } catch (e) {
              reject(e);
            }
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
  const call = JSON.stringify({ channel: 'repositories.list', payload: {} });

  it('is bound to loopback and answers a call with the token', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);
    const res = await post({ Authorization: `Bearer ${server.token}` }, call);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: true, value: [{ metadata: { name: 'unreachable' } }] });
  });

  it('refuses a missing or wrong token, a foreign Host (DNS rebinding) and a foreign Origin', async () => {
    expect((await post({}, call)).status).toBe(401);
    expect((await post({ Authorization: 'Bearer nope' }, call)).status).toBe(401);
    expect((await post({ Authorization: `Bearer ${server.token}`, Host: `rebound.example:${server.port}` }, call)).status).toBe(421);
    expect((await post({ Authorization: `Bearer ${server.token}`, Origin: 'https://evil.example' }, call)).status).toBe(403);
    expect((await post({ Authorization: `Bearer ${server.token}` }, '{not json')).status).toBe(400);
  });

  it('refuses a body over 64 MB without reading it all, and keeps serving', async () => {
    const oversized = `{"channel":"repositories.list","payload":{"pad":"${'x'.repeat(65 * 1024 * 1024)}"}}`;
    const outcome = await post({ Authorization: `Bearer ${server.token}` }, oversized).then(
      (r) => `status ${r.status}`,
      (e: NodeJS.ErrnoException) => `connection ${e.code}`,
    );
    // The answer is 413; a client still sending when the server stops reading may see the reset first.
    expect(outcome).toMatch(/^(status 413|connection (ECONNRESET|EPIPE))$/);
    const after = await post({ Authorization: `Bearer ${server.token}` }, call);
    expect(after.status).toBe(200);
  });

  it('serves the page with a content security policy', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("object-src 'none'");
  });
});

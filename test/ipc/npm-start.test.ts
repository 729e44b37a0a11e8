// `npm start` on a machine without Electron's binary (this one and CI): it
// says so, starts browser mode, prints the URL with its token, and that URL
// serves the app and answers calls; without the token it refuses. The demo
// populates it offline. SIGTERM stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

let child: ChildProcess | undefined;
let home: string | undefined;
afterAll(() => {
  child?.kill('SIGKILL');
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

describe('npm start without the Electron binary', () => {
  it('starts browser mode and prints a working URL', async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-start-'));
    child = spawn(process.execPath, ['bin/start.mjs', '--port', '0'], {
      env: { ...process.env, PORCHLIGHT_HOME: home, PORCHLIGHT_DB: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += String(d)));
    child.stderr!.on('data', (d) => (out += String(d)));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL within 90 s; output:\n${out}`)), 90_000);
      const look = () => {
        const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        } else setTimeout(look, 100);
      };
      look();
    });
    expect(out).toContain("Electron's binary is not installed here, so Porchlight starts in browser mode");
    const { origin } = new URL(url);
    const token = new URL(url).hash.replace('#token=', '');
    const page = await fetch(origin);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const call = (auth?: string, channel = 'settings.get', payload = {}) =>
      fetch(`${origin}/api/call`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(auth ? { Authorization: `Bearer ${auth}` } : {}) },
        body: JSON.stringify({ channel, payload }),
      });
    expect(await (await call(token)).json()).toMatchObject({ ok: true, value: { dataHome: home, database: { kind: 'pglite' } } });
    expect((await call()).status).toBe(401);
    // The first screen's "Try the demo": a populated, working app, offline, on the embedded database.
    expect(await (await call(token, 'demo.create')).json()).toMatchObject({
      ok: true,
      value: { created: expect.arrayContaining(['repository blueprints', 'repository deployments']) },
    });
    const page1 = (await (await call(token, 'revisions.page', { limit: 100 })).json()) as { ok: true; value: { items: { name: string; lifecycle: string }[] } };
    expect(page1.value.items.length).toBeGreaterThanOrEqual(16);
    expect(page1.value.items.filter((r) => r.lifecycle !== 'Published').map((r) => r.name)).toEqual(['deployments.staging.web.v1', 'deployments.team-a.v1']);
    const exited = new Promise<number | null>((resolve) => child!.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);
});

// The desktop window's locks, without Electron's binary: navigation and
// redirects only within porchlight://app/, no new windows or webviews, every
// permission refused, the content security policy, the app protocol's answers
// to hostile URLs (real files on disk), and the fuses a packaged build flips.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appProtocolResponse } from '../../src-main/electron/app-protocol.ts';
import { flipPorchlightFuses, PORCHLIGHT_FUSES } from '../../src-main/electron/fuses.ts';
import {
  APP_ORIGIN,
  CONTENT_SECURITY_POLICY,
  denyPermissions,
  guardWebContents,
  isAllowedNavigation,
  type NavigationEventLike,
  type PermissionSessionLike,
  type WebContentsLike,
} from '../../src-main/electron/hardening.ts';

/** A web contents that records its listeners, so the test can fire Electron's events at them. */
function standInContents() {
  const listeners = new Map<string, ((event: NavigationEventLike, url?: string) => void)[]>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents: WebContentsLike = {
    on: (event: string, listener: (event: NavigationEventLike, url?: string) => void) => {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return contents;
    },
    setWindowOpenHandler: (handler) => void (openHandler = handler),
  };
  /** Fires `event` as Electron does; true when some listener prevented it. */
  const fire = (event: string, url: string, legacySecondArgument = false) => {
    let prevented = false;
    const e: NavigationEventLike = { ...(legacySecondArgument ? {} : { url }), preventDefault: () => void (prevented = true) };
    for (const l of listeners.get(event) ?? []) l(e, legacySecondArgument ? url : undefined);
    return prevented;
  };
  return { contents, fire, listeners, open: (url: string) => openHandler?.({ url }) };
}

describe('navigation', () => {
  it('allows only the app origin', () => {
    for (const url of [`${APP_ORIGIN}index.html`, `${APP_ORIGIN}`, 'porchlight://app/assets/x.js?y=%#z', 'porchlight://app/%'])
      expect(isAllowedNavigation(url), url).toBe(true);
    for (const url of [
      'https://evil.example/',
      'http://127.0.0.1:8080/',
      'porchlight://evil/index.html',
      'porchlight://app.evil/',
      'porchlight://user:pw@app/',
      'porchlight://app@evil/',
      'porchlight://app:8080/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
      'about:blank',
      '',
      'http://[',
      '%',
    ]) {
      expect(isAllowedNavigation(url), url).toBe(false);
    }
  });

  it('stops navigation, redirects and frame navigation off the app, and opens no window or webview', () => {
    const { contents, fire, open } = standInContents();
    guardWebContents(contents);
    for (const event of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      expect(fire(event, 'https://evil.example/'), event).toBe(true);
      expect(fire(event, 'porchlight://evil/'), event).toBe(true);
      expect(fire(event, `${APP_ORIGIN}index.html`), event).toBe(false);
    }
    // Older Electron passed the URL as the second argument.
    expect(fire('will-navigate', 'https://evil.example/', true)).toBe(true);
    expect(fire('will-navigate', `${APP_ORIGIN}index.html`, true)).toBe(false);
    expect(fire('will-attach-webview', `${APP_ORIGIN}index.html`)).toBe(true);
    expect(open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(open(`${APP_ORIGIN}index.html`)).toEqual({ action: 'deny' });
  });
});

describe('permissions', () => {
  it('refuses every request, check and device', () => {
    let request: Parameters<PermissionSessionLike['setPermissionRequestHandler']>[0] | undefined;
    let check: Parameters<PermissionSessionLike['setPermissionCheckHandler']>[0] | undefined;
    let device: Parameters<PermissionSessionLike['setDevicePermissionHandler']>[0] | undefined;
    denyPermissions({
      setPermissionRequestHandler: (h) => void (request = h),
      setPermissionCheckHandler: (h) => void (check = h),
      setDevicePermissionHandler: (h) => void (device = h),
    });
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'unknown']) {
      const granted: boolean[] = [];
      request!({}, permission, (g) => granted.push(g), {});
      expect(granted, permission).toEqual([false]);
      expect(check!({}, permission, APP_ORIGIN, {}), permission).toBe(false);
    }
    expect(device!({ deviceType: 'hid', origin: APP_ORIGIN })).toBe(false);
  });
});

describe('content security policy', () => {
  const directives = (csp: string) =>
    new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name!, values.join(' ')]),
    );

  it('allows scripts only from the app and forbids plugins, <base>, framing and forms', () => {
    const csp = directives(CONTENT_SECURITY_POLICY);
    expect(csp.get('default-src')).toBe("'self'");
    expect(csp.get('script-src')).toBe("'self'");
    for (const d of ['object-src', 'base-uri', 'frame-ancestors', 'form-action']) expect(csp.get(d), d).toBe("'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*/);
  });

  it('is in the page itself too, for what a meta policy can carry', () => {
    const html = fs.readFileSync(new URL('../../src-renderer/index.html', import.meta.url), 'utf8');
    const meta = directives(/http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!);
    for (const d of ['object-src', 'base-uri', 'form-action']) expect(meta.get(d), d).toBe("'none'");
    expect(meta.get('script-src')).toBe("'self'");
  });
});

describe('the app protocol', () => {
  let work: string;
  let renderer: string;
  const SECRET = 'outside-the-renderer';
  const get = (url: string) => appProtocolResponse(renderer, url);

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-protocol-'));
    renderer = path.join(work, 'renderer');
    fs.mkdirSync(path.join(renderer, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>app</title>');
    fs.writeFileSync(path.join(renderer, 'assets', 'app.js'), 'export {}');
    fs.writeFileSync(path.join(work, 'secret.txt'), SECRET);
    fs.symlinkSync(path.join(work, 'secret.txt'), path.join(renderer, 'leak.txt'));
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('serves the app with its content security policy', async () => {
    const page = await get(`${APP_ORIGIN}index.html`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>app</title>');
    expect((await get(APP_ORIGIN)).status).toBe(200);
    const script = await get(`${APP_ORIGIN}assets/app.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers malformed and hostile URLs with 4xx, never an exception, and nothing from outside', async () => {
    const cases: [string, number][] = [
      ['porchlight://app/%', 400],
      ['porchlight://app/%zz', 400],
      ['porchlight://app/%e0%a4', 400],
      // The URL parser already takes %2e%2e as a .. segment: /secret.txt, not in the folder.
      ['porchlight://app/%2e%2e/secret.txt', 404],
      ['porchlight://app/assets/..%2f..%2fsecret.txt', 400],
      ['porchlight://app/..%5csecret.txt', 400],
      ['porchlight://app/index.html%00', 400],
      ['porchlight://app/leak.txt', 404],
      ['porchlight://app/nothing.js', 404],
      ['porchlight://app/assets', 404],
      ['porchlight://evil/index.html', 404],
      ['porchlight://user@app/index.html', 404],
      ['http://[', 404],
      ['', 404],
    ];
    for (const [url, status] of cases) {
      const res = await get(url);
      expect(res.status, url).toBe(status);
      expect(await res.text(), url).not.toContain(SECRET);
    }
  });
});

describe('fuses for a packaged build', () => {
  it('turns off running as Node, NODE_OPTIONS, --inspect and file:// privileges, and ties the app to its asar', () => {
    expect(PORCHLIGHT_FUSES).toMatchObject({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      GrantFileProtocolExtraPrivileges: false,
      EnableCookieEncryption: true,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
    });
  });

  it.skipIf(fs.existsSync(new URL('../../node_modules/@electron/fuses', import.meta.url)))('says what to install when @electron/fuses is missing', async () => {
    await expect(flipPorchlightFuses('/nonexistent/electron')).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: expect.stringContaining('@electron/fuses is not installed'),
    });
  });
});

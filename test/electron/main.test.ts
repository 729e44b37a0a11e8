// The desktop app's main process wired up, with a stand-in for Electron (its
// binary cannot be installed here) and for the service host: every web
// contents gets the navigation lock as it is created, the default session
// refuses permissions, the window is sandboxed with context isolation, and
// the app protocol answers a malformed URL instead of throwing.
import { describe, expect, it, vi } from 'vitest';
import type { NavigationEventLike } from '../../src-main/electron/hardening.ts';

const fake = vi.hoisted(() => {
  type Listener = (...args: never[]) => unknown;
  const appListeners = new Map<string, Listener[]>();
  const on = (map: Map<string, Listener[]>) => (event: string, l: Listener) => void map.set(event, [...(map.get(event) ?? []), l]);
  const webContents = () => {
    const listeners = new Map<string, Listener[]>();
    const contents = {
      listeners,
      openHandler: undefined as undefined | ((d: { url: string }) => unknown),
      on: (event: string, l: Listener) => (on(listeners)(event, l), contents),
      setWindowOpenHandler: (h: (d: { url: string }) => unknown) => void (contents.openHandler = h),
      send: () => {},
    };
    return contents;
  };
  const state = {
    appListeners,
    schemes: [] as unknown[],
    protocolHandlers: new Map<string, (request: { url: string }) => Promise<Response>>(),
    permissions: {} as Record<string, Listener>,
    windows: [] as { options: { webPreferences: Record<string, unknown> }; loaded: string[]; webContents: ReturnType<typeof webContents> }[],
    webContents,
  };
  class BrowserWindow {
    loaded: string[] = [];
    webContents = webContents();
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      state.windows.push(this);
      // Electron announces every new web contents to the app.
      for (const l of appListeners.get('web-contents-created') ?? []) (l as (e: unknown, c: unknown) => void)({}, this.webContents);
    }
    isDestroyed = () => false;
    loadURL = async (url: string) => void this.loaded.push(url);
    static getAllWindows = () => state.windows;
  }
  const module = {
    app: { whenReady: async () => {}, on: on(appListeners), quit: () => {} },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => void state.schemes.push(...s),
      handle: (scheme: string, h: (request: { url: string }) => Promise<Response>) => void state.protocolHandlers.set(scheme, h),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: Listener) => void (state.permissions.request = h),
        setPermissionCheckHandler: (h: Listener) => void (state.permissions.check = h),
        setDevicePermissionHandler: (h: Listener) => void (state.permissions.device = h),
      },
    },
    BrowserWindow,
    ipcMain: { handle: () => {}, removeHandler: () => {} },
    dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }) },
    safeStorage: { isEncryptionAvailable: () => false, encryptString: () => Buffer.alloc(0), decryptString: () => '' },
  };
  return { state, module };
});

vi.mock('electron', () => ({ ...fake.module, default: fake.module }));
vi.mock('../../src-main/host/service-host.ts', () => ({
  startServiceHost: async () => ({ call: async () => ({ ok: true, value: [] }), onEvent: () => () => {}, close: async () => {} }),
}));
// The local socket would claim the real data home of whoever runs the test.
vi.mock('../../src-main/host/socket-server.ts', () => ({
  claimDataHome: () => ({ release: () => {} }),
  openedDatabase: async () => ({ kind: 'pglite', dir: '/nowhere' }),
  startSocketServer: async () => ({ close: async () => {} }),
}));
// So would the Kubernetes door's CA.
vi.mock('../../src-main/host/kube/kube-door-service.ts', () => ({
  openKubeDoorFor: async () => ({ off: 'not in this test' }),
  kubeAccess: () => {
    throw new Error('not in this test');
  },
}));

describe('the main process', () => {
  it('locks every web contents, refuses permissions, sandboxes the window, and serves hostile URLs safely', async () => {
    await import('../../src-main/electron/main.ts');
    const { state } = fake;
    await vi.waitFor(() => expect(state.windows[0]?.loaded).toEqual(['porchlight://app/index.html']));

    expect(state.schemes).toEqual([expect.objectContaining({ scheme: 'porchlight', privileges: expect.objectContaining({ standard: true, secure: true }) })]);
    expect(state.windows[0]!.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });

    // Any web contents, not only the window's: the lock is installed as each is created.
    for (const contents of [state.windows[0]!.webContents, state.webContents()]) {
      if (contents !== state.windows[0]!.webContents)
        for (const l of state.appListeners.get('web-contents-created')!) (l as (e: unknown, c: unknown) => void)({}, contents);
      for (const event of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
        let prevented = false;
        const e: NavigationEventLike = { url: 'https://evil.example/', preventDefault: () => void (prevented = true) };
        for (const l of contents.listeners.get(event) ?? []) (l as (e: NavigationEventLike) => void)(e);
        expect(prevented, event).toBe(true);
      }
      expect(contents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    }

    const granted: boolean[] = [];
    (state.permissions.request as unknown as (wc: unknown, p: string, cb: (g: boolean) => void) => void)({}, 'media', (g) => granted.push(g));
    expect(granted).toEqual([false]);
    expect((state.permissions.check as unknown as (...a: unknown[]) => boolean)({}, 'notifications', 'porchlight://app', {})).toBe(false);
    expect((state.permissions.device as unknown as (d: unknown) => boolean)({})).toBe(false);

    const serve = state.protocolHandlers.get('porchlight')!;
    expect((await serve({ url: 'porchlight://app/%' })).status).toBe(400);
    expect((await serve({ url: 'porchlight://app/%2e%2e%2f%2e%2e%2fpackage.json' })).status).toBe(400);
  });
});

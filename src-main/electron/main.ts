// The desktop app's main process: one window, locked down (context isolation,
// sandbox, no Node in the page, a strict CSP, no navigation away, no new
// windows, no permissions), the renderer served from the app's own protocol,
// and the service on a worker thread so the window never waits on PGlite.
import { app, BrowserWindow, dialog, ipcMain, net, protocol, safeStorage, session } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolveDataHome } from '../db/open-database.ts';
import { startServiceHost } from '../host/service-host.ts';
import { installFolderPicker, installRelay } from '../ipc/electron-relay.ts';
import { safeStorageCredentialKey } from './safe-storage-key.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SCHEME = 'porchlight';
const ORIGIN = `${SCHEME}://app/`;
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

async function main(): Promise<void> {
  await app.whenReady();
  const rendererDir = path.join(HERE, '../renderer');
  protocol.handle(SCHEME, async (request) => {
    const rel = decodeURIComponent(new URL(request.url).pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.resolve(rendererDir, rel);
    if (!file.startsWith(rendererDir + path.sep)) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', CSP);
    return new Response(res.body, { status: res.status, headers });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, done) => done(false));

  const dataHome = resolveDataHome(process.env);
  const host = await startServiceHost(
    { dataHome, db: process.env.PORCHLIGHT_DB || undefined, env: { ...process.env }, backgroundSync: true, credentialKey: await safeStorageCredentialKey(safeStorage, dataHome, process.env) },
    path.join(HERE, 'service-worker.js'),
  );
  installRelay(ipcMain, host, { trustedOrigin: ORIGIN, windows: () => BrowserWindow.getAllWindows() });

  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Porchlight',
    webPreferences: {
      // Reviewed: the preload exposes two named functions (call, onEvent) and nothing of ipcRenderer.
      // (electron.vite.config.ts marks this reviewed for electronegativity.)
      preload: path.join(HERE, '../preload/preload.cjs'),
      // Middle-click must not open links in new windows.
      disableBlinkFeatures: 'Auxclick',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    },
  });
  installFolderPicker(ipcMain, {
    trustedOrigin: ORIGIN,
    pick: async () => {
      const picked = await dialog.showOpenDialog(win, { title: 'A Git repository on this machine', properties: ['openDirectory', 'showHiddenFiles'] });
      return picked.canceled ? undefined : picked.filePaths[0];
    },
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (e, url) => {
    if (!url.startsWith(ORIGIN)) e.preventDefault();
  });
  await win.loadURL(`${ORIGIN}index.html`);
  app.on('window-all-closed', async () => {
    await host.close();
    app.quit();
  });
}

void main();

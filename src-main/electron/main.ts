// The desktop app's main process: one window, locked down (context isolation,
// sandbox, no Node in the page, a strict CSP, no navigation away, no new
// windows, no permissions), the renderer served from the app's own protocol,
// and the service on a worker thread so the window never waits on PGlite.
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveDataHome } from '../db/open-database.ts';
import { startServiceHost } from '../host/service-host.ts';
import { installFolderPicker, installRelay } from '../ipc/electron-relay.ts';
import { appProtocolResponse } from './app-protocol.ts';
import { APP_ORIGIN, APP_SCHEME, denyPermissions, guardWebContents } from './hardening.ts';
import { safeStorageCredentialKey } from './safe-storage-key.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
// Every web contents, the window's and any other, before any page loads.
app.on('web-contents-created', (_event, contents) => guardWebContents(contents));

async function main(): Promise<void> {
  await app.whenReady();
  const rendererDir = path.join(HERE, '../renderer');
  protocol.handle(APP_SCHEME, (request) => appProtocolResponse(rendererDir, request.url));
  denyPermissions(session.defaultSession);

  const dataHome = resolveDataHome(process.env);
  const host = await startServiceHost(
    {
      dataHome,
      db: process.env.PORCHLIGHT_DB || undefined,
      env: { ...process.env },
      backgroundSync: true,
      credentialKey: await safeStorageCredentialKey(safeStorage, dataHome, process.env),
    },
    path.join(HERE, 'service-worker.js'),
  );
  installRelay(ipcMain, host, { trustedOrigin: APP_ORIGIN, windows: () => BrowserWindow.getAllWindows() });

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
    trustedOrigin: APP_ORIGIN,
    pick: async () => {
      const picked = await dialog.showOpenDialog(win, { title: 'A Git repository on this machine', properties: ['openDirectory', 'showHiddenFiles'] });
      return picked.canceled ? undefined : picked.filePaths[0];
    },
  });
  await win.loadURL(`${APP_ORIGIN}index.html`);
  app.on('window-all-closed', async () => {
    await host.close();
    app.quit();
  });
}

void main();

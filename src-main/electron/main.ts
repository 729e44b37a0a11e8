// The desktop app's main process: one window, locked down (context isolation,
// sandbox, no Node in the page, a strict CSP, no navigation away, no new
// windows, no permissions), the renderer served from the app's own protocol,
// and the service on a worker thread so the window never waits on PGlite.
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveDataHome } from '../db/open-database.ts';
import { startServiceHost } from '../host/service-host.ts';
import { kubeAccess, openKubeDoorFor, type KubeDoorState } from '../host/kube/kube-door-service.ts';
import { claimDataHome, openedDatabase, startSocketServer } from '../host/socket-server.ts';
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
  const db = process.env.PORCHLIGHT_DB || undefined;
  // One service per data home: when `porchlight service start` or `serve` already holds it, say so instead of a lock error.
  let claim;
  try {
    claim = claimDataHome(dataHome);
  } catch (e) {
    dialog.showErrorBox('Porchlight', (e as Error).message);
    return app.exit(1);
  }
  const host = await startServiceHost(
    {
      dataHome,
      db,
      env: { ...process.env },
      backgroundSync: true,
      credentialKey: await safeStorageCredentialKey(safeStorage, dataHome, process.env),
    },
    path.join(HERE, 'service-worker.js'),
  );
  installRelay(ipcMain, host, { trustedOrigin: APP_ORIGIN, windows: () => BrowserWindow.getAllWindows() });
  // The CLI's door to this same service (`porchlight service stop` closes the app).
  // Filled in once the door is open; until then `kubeconfig` is told it is still starting.
  const kube: { state?: KubeDoorState } = {};
  const database = await openedDatabase(dataHome, db, process.env);
  const socket = await startSocketServer({ host, dataHome, database, claim, onStop: () => void shutdown(), kube: () => kubeAccess(kube.state) });
  // kubectl, porchctl and Porch's web UI reach this same service through it ("porchlight kubeconfig").
  kube.state = await openKubeDoorFor(host, dataHome, process.env, (m) => console.warn(`porchlight: ${m}`));
  let closing: Promise<void> | undefined;
  const shutdown = () =>
    (closing ??= (async () => {
      if (kube.state && 'door' in kube.state) await kube.state.door.close();
      await socket.close();
      await host.close();
      app.quit();
    })());

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
  app.on('window-all-closed', shutdown);
}

void main();

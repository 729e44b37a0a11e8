// The window's side of the contract in Electron: one invoke channel whose
// payload names the contract channel. Main relays only what comes from the
// app's own page, and the service host validates every payload; a bad one
// gets a validation error back, never an exception.
import type { Answer, ServiceEvent } from '../../src-shared/contract.ts';
import type { ServiceHost } from '../host/service-host.ts';

export const CALL_CHANNEL = 'porchlight:call';
export const EVENT_CHANNEL = 'porchlight:event';
export const PICK_FOLDER_CHANNEL = 'porchlight:pick-folder';

/** The parts of Electron's ipcMain and of an invoke event the relay uses (a fake pair drives it in tests). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}
export interface InvokeEventLike {
  senderFrame?: { url: string } | null;
}
export interface WindowLike {
  isDestroyed(): boolean;
  webContents: { send(channel: string, payload: unknown): void };
}

export function installRelay(
  ipcMain: IpcMainLike,
  host: Pick<ServiceHost, 'call' | 'onEvent'>,
  opts: { trustedOrigin: string; windows: () => WindowLike[] },
): () => void {
  ipcMain.handle(CALL_CHANNEL, async (event, channel, payload): Promise<Answer<unknown>> => {
    const url = event.senderFrame?.url ?? '';
    if (!url.startsWith(opts.trustedOrigin)) {
      return {
        ok: false,
        error: { code: 'UNAUTHENTICATED', message: `calls are accepted only from Porchlight's own page, not from ${url || 'an unknown frame'}` },
      };
    }
    return host.call(channel, payload);
  });
  const stop = host.onEvent((e: ServiceEvent) => {
    for (const w of opts.windows()) if (!w.isDestroyed()) w.webContents.send(EVENT_CHANNEL, e);
  });
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    stop();
  };
}

/** The register dialog's folder picker: only for the app's own page, and it carries no payload to trust. */
export function installFolderPicker(ipcMain: IpcMainLike, opts: { trustedOrigin: string; pick: () => Promise<string | undefined> }): () => void {
  ipcMain.handle(PICK_FOLDER_CHANNEL, async (event) => {
    if (!(event.senderFrame?.url ?? '').startsWith(opts.trustedOrigin)) return undefined;
    return opts.pick();
  });
  return () => ipcMain.removeHandler(PICK_FOLDER_CHANNEL);
}

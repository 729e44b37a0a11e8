// The only bridge the page gets: three named functions, never ipcRenderer
// itself. Runs sandboxed, with context isolation.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

const CALL_CHANNEL = 'porchlight:call';
const EVENT_CHANNEL = 'porchlight:event';
const PICK_FOLDER_CHANNEL = 'porchlight:pick-folder';

contextBridge.exposeInMainWorld('porchlight', {
  call: (channel: string, payload: unknown) => ipcRenderer.invoke(CALL_CHANNEL, channel, payload),
  /** The OS folder picker, for registering a local repository; resolves to its path, or undefined when cancelled. */
  pickFolder: (): Promise<string | undefined> => ipcRenderer.invoke(PICK_FOLDER_CHANNEL),
  onEvent: (listener: (e: unknown) => void) => {
    const handler = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  },
});

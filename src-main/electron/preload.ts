// The only bridge the page gets: two named functions, never ipcRenderer
// itself. Runs sandboxed, with context isolation.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

const CALL_CHANNEL = 'porchlight:call';
const EVENT_CHANNEL = 'porchlight:event';

contextBridge.exposeInMainWorld('porchlight', {
  call: (channel: string, payload: unknown) => ipcRenderer.invoke(CALL_CHANNEL, channel, payload),
  onEvent: (listener: (e: unknown) => void) => {
    const handler = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  },
});

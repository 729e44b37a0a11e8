// The service on a thread of its own: PGlite blocks the thread it runs on
// while it works, and the thread that answers the window (Electron's main
// process, browser mode's HTTP server) must never freeze. Messages in:
// { id, channel, payload }. Out: { id, answer }, { event }, { ready } or { fatal }.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/open-database.ts';
import { databaseSettings, databaseToOpen } from '../service/database-choice.ts';
import { openService } from '../service/service.ts';
import { errorShape } from '../ipc/dispatch.ts';
import { useInjectedCredentialKey } from '../service/credential-key.ts';

export interface ServiceWorkerData {
  dataHome: string;
  db?: string;
  env: Record<string, string | undefined>;
  /** Start the background work (long-lived hosts: schedules, cleanup, upkeep, migrations, the approval queue); tests turn it off. */
  backgroundSync: boolean;
  /** The desktop app: the credentials key its main thread unsealed with safeStorage (credential-key.ts). */
  credentialKey?: Uint8Array;
}

async function main(): Promise<void> {
  const data = workerData as ServiceWorkerData;
  const port = parentPort!;
  useInjectedCredentialKey(data.credentialKey);
  try {
    const opened = await databaseToOpen(data.dataHome, data.db, data.env);
    const db = await openDatabase({ db: opened.db, env: data.env, dataHome: data.dataHome });
    const log = data.env.PORCHLIGHT_LOG
      ? (m: string, f?: Record<string, unknown>) => process.stderr.write(`${new Date().toISOString()} ${m} ${JSON.stringify(f ?? {})}\n`)
      : undefined;
    const service = openService({ db, dataHome: data.dataHome, log, settings: databaseSettings(data.dataHome, opened) });
    service.onEvent((event) => port.postMessage({ event }));
    port.on('message', async (m: { id: number; channel: unknown; payload: unknown } | { close: true }) => {
      if ('close' in m) {
        await service.close().catch(() => {});
        port.postMessage({ closed: true });
        return;
      }
      const answer = await service.dispatch(m.channel, m.payload);
      try {
        port.postMessage({ id: m.id, answer });
      } catch (e) {
        // An answer that cannot be cloned must still answer, or its caller waits forever.
        port.postMessage({
          id: m.id,
          answer: { ok: false, error: { code: 'INTERNAL', message: `the answer could not be sent back: ${errorShape(e).message}` } },
        });
      }
    });
    if (data.backgroundSync) await service.startBackground();
    port.postMessage({ ready: true });
  } catch (e) {
    port.postMessage({ fatal: errorShape(e) });
  }
}

void main();

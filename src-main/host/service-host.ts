// Runs the service in a worker thread and forwards contract calls to it. The
// thread calling this stays free: a long sync or a big query there never
// delays an answer to the window or to an HTTP request here.
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Answer, ServiceEvent } from '../../src-shared/contract.ts';
import { PorchlightError, type ErrorShape } from '../../src-shared/errors.ts';
import type { ServiceWorkerData } from './service-worker.ts';
import { MAX_REQUEST_DEPTH, valueDepthExceeds } from './message-depth.ts';

export interface ServiceHost {
  call(channel: unknown, payload: unknown): Promise<Answer<unknown>>;
  onEvent(listener: (e: ServiceEvent) => void): () => void;
  close(): Promise<void>;
}

const WORKER_ENTRY = fileURLToPath(new URL('../../bin/service-worker.mjs', import.meta.url));

export async function startServiceHost(data: ServiceWorkerData, entry = WORKER_ENTRY): Promise<ServiceHost> {
  const worker = new Worker(entry, { workerData: data });
  const pending = new Map<number, (a: Answer<unknown>) => void>();
  const listeners = new Set<(e: ServiceEvent) => void>();
  let next = 1;
  let closed: (() => void) | undefined;
  let failure: ErrorShape | undefined;
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (m: { id?: number; answer?: Answer<unknown>; event?: ServiceEvent; ready?: true; fatal?: ErrorShape; closed?: true }) => {
      if (m.ready) resolve();
      else if (m.fatal) reject(new PorchlightError(m.fatal.code, m.fatal.message, m.fatal.data));
      else if (m.event) for (const l of listeners) l(m.event);
      else if (m.closed) closed?.();
      else if (m.id !== undefined && m.answer) {
        pending.get(m.id)?.(m.answer);
        pending.delete(m.id);
      }
    });
    worker.on('error', (e) => {
      failure = { code: 'INTERNAL', message: `the service stopped: ${e.message}` };
      for (const p of pending.values()) p({ ok: false, error: failure });
      pending.clear();
      reject(e);
    });
    worker.on('exit', (code) => {
      failure ??= { code: 'INTERNAL', message: `the service stopped (exit ${code})` };
      for (const p of pending.values()) p({ ok: false, error: failure });
      pending.clear();
      closed?.();
    });
  });
  return {
    call(channel, payload) {
      if (failure) return Promise.resolve({ ok: false, error: failure });
      // Refused here, not in the worker: a message too deep to clone never arrives there, and its caller would wait forever.
      if (valueDepthExceeds(channel) || valueDepthExceeds(payload)) {
        return Promise.resolve({
          ok: false,
          error: { code: 'INVALID_ARGUMENT', message: `the request nests deeper than ${MAX_REQUEST_DEPTH} levels; no request of the contract does` },
        });
      }
      const id = next++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        try {
          worker.postMessage({ id, channel, payload });
        } catch (e) {
          pending.delete(id);
          resolve({
            ok: false,
            error: {
              code: 'INVALID_ARGUMENT',
              message: `the request cannot be passed to the service (${e instanceof Error ? e.message : String(e)}); send plain JSON values`,
            },
          });
        }
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (failure) return;
      await new Promise<void>((resolve) => {
        closed = resolve;
        worker.postMessage({ close: true });
      });
      await worker.terminate();
    },
  };
}

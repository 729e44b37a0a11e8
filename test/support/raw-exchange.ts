// One raw connection to an HTTP door for the fuzz tests: writes the parts
// (with a gap between them) once connected, reads until the server closes or
// `timeoutMs` passes.
import type { Socket } from 'node:net';

export interface Reply {
  status?: number;
  text: string;
  /** The server closed the connection (rather than the client giving up). */
  closedByServer: boolean;
}

/** `connect` opens the socket; `ready` is its event that says it can be written to ('connect', or 'secureConnect' for TLS). */
export function rawExchange(
  connect: () => Socket,
  ready: 'connect' | 'secureConnect',
  parts: (string | Buffer)[],
  timeoutMs: number,
  gapMs = 0,
): Promise<Reply> {
  return new Promise((resolve) => {
    const socket = connect();
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : undefined, text, closedByServer });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on(ready, async () => {
      for (const p of parts) {
        if (done || socket.destroyed) return;
        socket.write(p);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
  });
}

// The local socket's wire format, shared by the service's end and the CLI's:
// one JSON value per line. Requests {id, channel, payload} or {id, control};
// answers {id, answer}; events {event}; a line that is not a request gets
// {error}. A line longer than the limit ends the connection (it cannot be
// skipped without reading it all).
import type { Socket } from 'node:net';
import type { Answer, ServiceEvent } from '../../src-shared/contract.ts';
import type { ErrorShape } from '../../src-shared/errors.ts';
import { jsonDepthExceeds, MAX_REQUEST_DEPTH } from './message-depth.ts';

/** As browser mode's body limit: a push of a large package fits. */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** What a client may ask of the socket itself rather than of the service. */
export type Control = 'status' | 'subscribe' | 'stop' | 'kubeconfig';

export type RequestFrame = { id: number; channel: string; payload: unknown } | { id: number; control: Control };
export type ReplyFrame = { id: number; answer: Answer<unknown> } | { event: ServiceEvent } | { error: ErrorShape };

/** Splits a byte stream into lines without copying what was already searched. */
export class LineReader {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly onLine: (line: string) => void,
    private readonly onOversize: () => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      const part = chunk.subarray(start, nl);
      if (this.size + part.length > this.maxBytes) return this.oversize();
      const line = this.chunks.length ? Buffer.concat([...this.chunks, part]) : part;
      this.chunks = [];
      this.size = 0;
      start = nl + 1;
      this.onLine(line.toString('utf8'));
    }
    const rest = chunk.subarray(start);
    if (this.size + rest.length > this.maxBytes) return this.oversize();
    if (rest.length) {
      this.chunks.push(rest);
      this.size += rest.length;
    }
  }

  private oversize(): void {
    this.chunks = [];
    this.size = 0;
    this.onOversize();
  }
}

/** A request line checked before it reaches the service: JSON, an object, an id, and a channel or a control. */
export function parseRequestFrame(line: string): { ok: true; frame: RequestFrame } | { ok: false; id?: number; message: string } {
  if (jsonDepthExceeds(line)) return { ok: false, message: `the request nests deeper than ${MAX_REQUEST_DEPTH} levels; no request of the contract does` };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, message: 'a line is not JSON: send one {"id", "channel", "payload"} object per line' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, message: 'a request must be a JSON object: {"id": 1, "channel": "...", "payload": {...}}' };
  const v = value as Record<string, unknown>;
  if (typeof v.id !== 'number' || !Number.isSafeInteger(v.id)) return { ok: false, message: 'a request needs a numeric "id" to answer it by' };
  if (v.control === 'status' || v.control === 'subscribe' || v.control === 'stop' || v.control === 'kubeconfig')
    return { ok: true, frame: { id: v.id, control: v.control } };
  if (typeof v.channel !== 'string')
    return { ok: false, id: v.id, message: 'a request needs a "channel" (or a "control": status, subscribe, stop or kubeconfig)' };
  return { ok: true, frame: { id: v.id, channel: v.channel, payload: v.payload } };
}

/** Writes one frame; false when the socket is gone. A value that cannot be serialised is answered as such rather than lost. */
export function writeFrame(socket: Socket, frame: ReplyFrame | RequestFrame): boolean {
  if (socket.destroyed || !socket.writable) return false;
  let text: string;
  try {
    text = JSON.stringify(frame);
  } catch (e) {
    if (!('id' in frame) || !('answer' in frame)) return false;
    const message = `the answer could not be sent back: ${e instanceof Error ? e.message : String(e)}`;
    text = JSON.stringify({ id: frame.id, answer: { ok: false, error: { code: 'INTERNAL', message } } });
  }
  socket.write(`${text}\n`);
  return true;
}

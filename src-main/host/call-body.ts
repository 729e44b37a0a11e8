// The body of POST /api/call: at most `maxBytes`, JSON, an object, and no
// deeper than any request of the contract, checked before anything parses or
// clones it. Every refusal is an INVALID_ARGUMENT with the HTTP status to send.
import type http from 'node:http';
import { invalidArgument } from '../../src-shared/errors.ts';
import { readLimitedBody } from './http-limits.ts';
import { jsonDepthExceeds, MAX_REQUEST_DEPTH } from './message-depth.ts';

export interface CallBody {
  channel: unknown;
  payload: unknown;
}

export async function readCallBody(req: http.IncomingMessage, maxBytes: number): Promise<CallBody> {
  const raw = await readLimitedBody(req, maxBytes, () => invalidArgument(`the request is larger than ${maxBytes / 1024 / 1024} MB`, { status: 413 }));
  return parseCallBody(raw.toString('utf8'));
}

export function parseCallBody(text: string): CallBody {
  if (jsonDepthExceeds(text)) throw invalidArgument(`the body nests deeper than ${MAX_REQUEST_DEPTH} levels; no request of the contract does`, { status: 400 });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalidArgument('the body is not JSON', { status: 400 });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalidArgument('the body must be a JSON object: {"channel": "...", "payload": {...}}', { status: 400 });
  const { channel, payload } = body as Record<string, unknown>;
  return { channel, payload };
}

// A request body: at most `maxBytes`, JSON (or YAML for create and replace,
// as the API server accepts), nested no deeper than the service would take,
// checked before anything parses it. Refusals are Status errors.
import type http from 'node:http';
import YAML from 'yaml';
import { readLimitedBody } from '../http-limits.ts';
import { jsonDepthExceeds, MAX_REQUEST_DEPTH } from '../message-depth.ts';
import { badRequest, kubeError } from './status.ts';

export function readBody(req: http.IncomingMessage, maxBytes: number): Promise<Buffer> {
  return readLimitedBody(req, maxBytes, () => kubeError(413, 'RequestEntityTooLarge', `the request is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`));
}

export function parseBody(raw: Buffer, contentType: string): unknown {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const text = raw.toString('utf8');
  if (!text.trim()) throw badRequest('the request has no body');
  if (type === 'application/yaml') {
    let doc: unknown;
    try {
      doc = YAML.parse(text, { maxAliasCount: 100 });
    } catch (e) {
      throw badRequest(`the body is not valid YAML: ${e instanceof Error ? e.message.split('\n')[0] : 'parse error'}`);
    }
    if (jsonDepthExceeds(JSON.stringify(doc) ?? '')) throw badRequest(`the body nests deeper than ${MAX_REQUEST_DEPTH} levels`);
    return doc;
  }
  if (jsonDepthExceeds(text)) throw badRequest(`the body nests deeper than ${MAX_REQUEST_DEPTH} levels`);
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('the body is not valid JSON');
  }
}

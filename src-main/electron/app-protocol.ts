// The desktop app's own protocol (porchlight://app/...): the renderer's built
// files with the content security policy. The same lookup as browser mode's,
// so a malformed or hostile URL gets an answer, never an exception.
import fs from 'node:fs';
import { contentType, lookupStaticFile } from '../host/static-files.ts';
import { CONTENT_SECURITY_POLICY, isAllowedNavigation } from './hardening.ts';

const plain = (status: number, message: string) => new Response(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });

export async function appProtocolResponse(rendererDir: string, requestUrl: string): Promise<Response> {
  if (!isAllowedNavigation(requestUrl)) return plain(404, 'not found: only porchlight://app/ is served');
  const found = lookupStaticFile(rendererDir, new URL(requestUrl).pathname);
  if (found.kind === 'refused') return plain(found.status, found.message);
  if (found.kind === 'missing') return plain(404, 'not found');
  let body: Buffer;
  try {
    body = await fs.promises.readFile(found.file);
  } catch {
    return plain(404, 'not found');
  }
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: { 'Content-Type': contentType(found.file), 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' },
  });
}

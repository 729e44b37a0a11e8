// Pushes ref updates with one smart-HTTP receive-pack request: the commands
// (old and new id of each ref, all or none with `atomic`) and a pack of exactly
// the objects Porchlight just wrote. Git's own push (and isomorphic-git's)
// first works out what to send by walking history against every ref the
// remote advertised, which in a repository of 10,000 tags cost 300 ms per
// approval; here the objects are known, so the cost does not grow with the
// repository. The remote still checks each old id, so a remote that moved on
// is refused, never overwritten.
import fs from 'node:fs';
import git from 'isomorphic-git';
import type { HttpClient } from 'isomorphic-git';
import { PorchlightError } from '../../src-shared/errors.ts';
import { authHeaders, type BasicAuth } from './credentials.ts';
import { redactUrl } from './http-client.ts';
import { assertRefName } from './ref-names.ts';

export const ZERO_OID = '0000000000000000000000000000000000000000';

export interface RefUpdate {
  ref: string;
  /** The value the remote must still have (ZERO_OID: the ref must not exist). */
  old: string;
  /** The new object; undefined deletes the ref. */
  oid?: string;
}

/** The remote refused because it moved on (not a fast forward, a ref changed, a tag already there): fetch and try again. */
export class PushRejected extends PorchlightError {
  constructor(url: string, detail: string) {
    super('CONFLICT', `the Git server at ${redactUrl(url)} refused the push because the repository changed (${detail})`, { url: redactUrl(url) });
  }
}

// With `atomic`, git reports a stale old id (or an existing tag) as "atomic transaction failed".
const MOVED_ON =
  /non-fast-forward|fetch first|already exists|stale info|cannot lock ref|failed to lock|but expected|failed to update ref|atomic (push|transaction) failed/i;

function pktLine(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from((payload.length + 4).toString(16).padStart(4, '0'), 'ascii'), payload]);
}

function parsePktLines(data: Buffer): string[] {
  const lines: string[] = [];
  let pos = 0;
  while (pos + 4 <= data.length) {
    const len = Number.parseInt(data.toString('ascii', pos, pos + 4), 16);
    if (Number.isNaN(len)) break;
    if (len === 0) {
      pos += 4;
      continue;
    }
    lines.push(data.toString('utf8', pos + 4, pos + len).replace(/\n$/, ''));
    pos += len;
  }
  return lines;
}

export async function pushRefs(
  gitdir: string,
  url: string,
  updates: readonly RefUpdate[],
  opts: { http: HttpClient; auth?: BasicAuth; objects: readonly string[] },
): Promise<{ serverMs: number }> {
  for (const u of updates) assertRefName(u.ref, redactUrl(url));
  const commands = updates.map((u) => `${u.old} ${u.oid ?? ZERO_OID} ${u.ref}`);
  const parts: Buffer[] = commands.map((c, i) => pktLine(`${c}${i === 0 ? '\0report-status atomic delete-refs agent=porchlight' : ''}\n`));
  parts.push(Buffer.from('0000'));
  // A request that only deletes refs carries no pack.
  if (updates.some((u) => u.oid)) {
    const { packfile } = await git.packObjects({ fs, gitdir, oids: [...new Set(opts.objects)], write: false });
    parts.push(Buffer.from(packfile!));
  }
  const endpoint = `${url.replace(/\/+$/, '')}/git-receive-pack`;
  const sent = performance.now();
  const res = await opts.http.request({
    url: endpoint,
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-git-receive-pack-request',
      Accept: 'application/x-git-receive-pack-result',
      ...authHeaders(opts.auth),
    },
    body: (async function* () {
      yield Buffer.concat(parts);
    })(),
  });
  const chunks: Uint8Array[] = [];
  for await (const c of res.body ?? []) chunks.push(c);
  const body = Buffer.concat(chunks);
  // The server's share of a push (its checks and ref updates), reported apart from ours.
  const serverMs = performance.now() - sent;
  const where = redactUrl(url);
  if (res.statusCode === 401 || res.statusCode === 403) {
    throw new PorchlightError(
      'UNAUTHENTICATED',
      `pushing: ${where} refused the credentials (HTTP ${res.statusCode}); check the repository's username and password, and that they may push`,
      { url: where },
    );
  }
  if (res.statusCode === 404) throw new PorchlightError('NOT_FOUND', `pushing: no Git repository at ${where} (HTTP 404)`, { url: where });
  if (res.statusCode >= 500) throw new PorchlightError('UNAVAILABLE', `pushing: ${where} answered HTTP ${res.statusCode}`, { url: where });
  if (res.statusCode !== 200) throw new PorchlightError('GIT_ERROR', `pushing: ${where} answered HTTP ${res.statusCode}`, { url: where });
  const lines = parsePktLines(body);
  const unpack = lines.find((l) => l.startsWith('unpack '));
  if (unpack !== 'unpack ok')
    throw new PorchlightError('GIT_ERROR', `pushing: ${where} could not store the objects (${unpack ?? 'no report'})`, { url: where });
  const refused = lines.filter((l) => l.startsWith('ng '));
  if (refused.length) {
    const detail = refused.map((l) => l.slice(3)).join('; ');
    if (MOVED_ON.test(detail)) throw new PushRejected(url, detail);
    throw new PorchlightError('FAILED_PRECONDITION', `the Git server at ${where} refused the push: ${detail}`, { url: where });
  }
  const accepted = new Set(lines.filter((l) => l.startsWith('ok ')).map((l) => l.slice(3)));
  const missing = updates.filter((u) => !accepted.has(u.ref));
  if (missing.length) throw new PorchlightError('GIT_ERROR', `pushing: ${where} did not confirm ${missing.map((u) => u.ref).join(', ')}`, { url: where });
  return { serverMs };
}

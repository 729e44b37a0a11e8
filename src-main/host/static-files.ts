// The renderer's built files, for browser mode's HTTP server and the desktop
// app's own protocol. A URL path is hostile input: bad percent-encoding, NUL
// bytes, backslashes, `..` (raw or as %2e%2e) and symlinks out of the folder
// are all refused, never resolved and never thrown.
import fs from 'node:fs';
import path from 'node:path';

export type StaticLookup = { kind: 'file'; file: string } | { kind: 'missing' } | { kind: 'refused'; status: 400 | 404; message: string };

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

export const contentType = (file: string) => TYPES[path.extname(file)] ?? 'application/octet-stream';

/** The file a URL path (still percent-encoded) names inside `root`; `/` is index.html. */
export function lookupStaticFile(root: string, pathname: string): StaticLookup {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { kind: 'refused', status: 400, message: 'the path is not valid percent-encoding: a % must start a UTF-8 byte as two hex digits' };
  }
  if (decoded.includes('\0')) return { kind: 'refused', status: 400, message: 'the path contains a NUL byte' };
  if (decoded.includes('\\')) return { kind: 'refused', status: 400, message: 'the path contains a backslash; use /' };
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return { kind: 'refused', status: 400, message: "the path leaves the app's folder (..)" };
  let realRoot: string;
  let real: string;
  try {
    realRoot = fs.realpathSync(root);
    real = fs.realpathSync(path.join(realRoot, ...(segments.length ? segments : ['index.html'])));
  } catch {
    return { kind: 'missing' };
  }
  // A symlink inside the folder may point anywhere; only what really lies inside is served.
  if (!real.startsWith(realRoot + path.sep)) return { kind: 'refused', status: 404, message: "not found in the app's folder" };
  try {
    return fs.statSync(real).isFile() ? { kind: 'file', file: real } : { kind: 'missing' };
  } catch {
    return { kind: 'missing' };
  }
}

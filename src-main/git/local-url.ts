// The address a repository on this machine is stored under: a file:/// URL.
// Kept apart from local-repository.ts so the CLI can make one without loading Git.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export function isLocalUrl(url: string): boolean {
  return /^file:\/\//i.test(url);
}

/** A path or file:// URL as the canonical file:///abs/path form the repository is stored under. */
export function localUrlOf(pathOrUrl: string, cwd = process.cwd()): string {
  const abs = isLocalUrl(pathOrUrl) ? fileURLToPath(pathOrUrl) : path.resolve(cwd, pathOrUrl);
  return pathToFileURL(abs.replace(/[\\/]+$/, '') || '/').href;
}

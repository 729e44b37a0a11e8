// The file system isomorphic-git writes through when it writes into a local
// clone (commits, trees, blobs, refs). Node's writeFile truncates and then
// writes, so a process killed in between left a torn loose object behind, and
// every later approval of that repository failed reading it ("Invalid
// compressed buffer"), found by the kill -9 tests. Here every write goes to a
// temporary file in the same directory, is flushed to disk, and is renamed
// over the name, as Git itself writes objects and refs: a reader sees the old
// file or the whole new one, never part of it.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

type WriteOptions = Parameters<typeof fs.promises.writeFile>[2];

const LOOSE_OBJECT = /[\\/]objects[\\/][0-9a-f]{2}[\\/][0-9a-f]{38}$/;

/**
 * A loose object's temporary file is `tmp_obj_*` beside it and the object is
 * read-only, as Git writes them: `git fsck` reports any other stray name in an
 * object directory as a bad object, and `git prune` cleans up old `tmp_obj_`
 * files a crash left behind. That matters once Porchlight writes straight into
 * a user's repository (one registered by path).
 */
function tempFor(file: string): { temp: string; mode?: number } {
  const salt = `${process.pid}${randomBytes(4).toString('hex')}`;
  if (LOOSE_OBJECT.test(file)) return { temp: path.join(path.dirname(file), `tmp_obj_${salt}`), mode: 0o444 };
  return { temp: `${file}.${salt}.tmp` };
}

async function atomicWriteFile(file: string, data: string | Uint8Array, options?: WriteOptions): Promise<void> {
  const { temp, mode: forced } = tempFor(file);
  const mode = forced ?? (typeof options === 'object' && options?.mode !== undefined ? Number(options.mode) : 0o666);
  const encoding = typeof options === 'string' ? options : (options?.encoding ?? undefined);
  // Fails with ENOENT when the directory is missing; isomorphic-git then creates it and writes again.
  const handle = await fs.promises.open(temp, 'wx', mode);
  try {
    await handle.writeFile(data, encoding ? { encoding } : undefined);
    await handle.sync();
  } catch (e) {
    await handle.close().catch(() => {});
    await fs.promises.rm(temp, { force: true });
    throw e;
  }
  await handle.close();
  try {
    await fs.promises.rename(temp, file);
  } catch (e) {
    await fs.promises.rm(temp, { force: true });
    throw e;
  }
}

/** node:fs for isomorphic-git, with writeFile made atomic. */
export const gitFs = { promises: { ...fs.promises, writeFile: atomicWriteFile } };

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

type WriteOptions = Parameters<typeof fs.promises.writeFile>[2];

async function atomicWriteFile(file: string, data: string | Uint8Array, options?: WriteOptions): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const mode = typeof options === 'object' && options?.mode !== undefined ? Number(options.mode) : 0o666;
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

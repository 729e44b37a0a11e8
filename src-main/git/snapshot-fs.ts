// The file system isomorphic-git reads a clone through during one sync, after
// the fetch: nothing changes underneath, so directory listings are read once.
// isomorphic-git looks for every object as a loose file before it looks in the
// packs, and lists the pack directory on every read; on a clone held in packs
// that was most of a sync's time (a failed open and a readdir per object).
import fs from 'node:fs';
import path from 'node:path';

function enoent(p: string): NodeJS.ErrnoException {
  const e = new Error(`ENOENT: ${p}`) as NodeJS.ErrnoException;
  e.code = 'ENOENT';
  return e;
}

export function snapshotFs(gitdir: string): { promises: typeof fs.promises } {
  const objects = path.join(gitdir, 'objects');
  const listings = new Map<string, Promise<string[]>>();
  const readdir = (p: string): Promise<string[]> => {
    let listing = listings.get(p);
    if (!listing) {
      listing = fs.promises.readdir(p);
      listings.set(p, listing);
    }
    return listing;
  };
  const looseDirs = readdir(objects).then(
    (names) => new Set(names.filter((n) => /^[0-9a-f]{2}$/.test(n))),
    () => new Set<string>(),
  );

  const stats = new Map<string, Promise<fs.Stats>>();
  const stat = (p: string): Promise<fs.Stats> => {
    let s = stats.get(p);
    if (!s) {
      s = fs.promises.stat(p);
      stats.set(p, s);
    }
    return s;
  };
  // isomorphic-git probes the file system with readFile() and no path on every
  // call; answer that without building a Node argument error each time.
  const probeAnswer = Promise.reject(enoent('(probe)'));
  probeAnswer.catch(() => {});

  const promises = Object.create(fs.promises) as typeof fs.promises;
  Object.defineProperties(promises, {
    readdir: { value: (p: string) => readdir(p), enumerable: true },
    // isomorphic-git stats the git directory on every call to find out whether it is a worktree link.
    stat: { value: (p: string) => stat(p), enumerable: true },
    lstat: { value: (p: string) => stat(p), enumerable: true },
    readFile: {
      enumerable: true,
      value: async (p: string, options?: unknown) => {
        if (typeof p !== 'string') return probeAnswer;
        const rel = path.relative(objects, p);
        const dir = rel.split(path.sep)[0] ?? '';
        // A loose object in a fan-out directory that does not exist: no syscall.
        if (/^[0-9a-f]{2}$/.test(dir) && !(await looseDirs).has(dir)) throw enoent(p);
        return fs.promises.readFile(p, options as Parameters<typeof fs.promises.readFile>[1]);
      },
    },
  });
  return Object.defineProperty({}, 'promises', { value: promises, enumerable: true }) as { promises: typeof fs.promises };
}

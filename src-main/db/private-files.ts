// The data home holds drafts (in the database and its WAL), Git clones and
// sealed credentials: only its owner may read it, as PostgreSQL insists for
// its data directory. PGlite writes its initial files 0666 whatever the umask
// (and pg_internal.init 0644 at every start), so a umask would not help: modes
// are tightened once PGlite has started (files PostgreSQL creates later are 0600).
import fs from 'node:fs';
import path from 'node:path';

/** Creates `dir` (and missing parents) for this user only; an existing `dir` is made 0700. */
export function makePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    fs.chmodSync(dir, 0o700);
  } catch (e) {
    // A directory another user owns: not this process's to change.
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') throw e;
  }
}

// What Porchlight keeps in a data home; only these are walked, so a data home
// set to a directory that holds other things (even ~) has only its own tightened.
const OWN_ENTRY = /^(db|repos|upstreams|demo|settings\.json|credentials\.)/;

/** The data home made 0700, and Porchlight's own entries in it tightened (tightenTree). */
export function tightenDataHome(home: string): number {
  makePrivateDir(home);
  return fs
    .readdirSync(home)
    .filter((name) => OWN_ENTRY.test(name))
    .reduce((n, name) => n + tightenTree(path.join(home, name)), 0);
}

/**
 * Takes group and other bits off `root` and everything under it (0666 -> 0600,
 * 0755 -> 0700), never following a symbolic link. Entries that vanish while
 * it walks (PGlite recycling WAL) are skipped. Returns how many it changed.
 */
export function tightenTree(root: string): number {
  let changed = 0;
  const tighten = (p: string, st: fs.Stats) => {
    if ((st.mode & 0o077) === 0) return;
    try {
      fs.chmodSync(p, st.mode & 0o7700);
      changed++;
    } catch (e) {
      // Another user's file (left by a root run): not this process's to change.
      if ((e as NodeJS.ErrnoException).code !== 'EPERM') throw e;
    }
  };
  let top: fs.Stats;
  try {
    top = fs.lstatSync(root);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
  if (top.isSymbolicLink()) return 0;
  tighten(root, top);
  if (!top.isDirectory()) return changed;
  const dirs = [root];
  for (let dir = dirs.pop(); dir !== undefined; dir = dirs.pop()) {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      if (gone(e) || (e as NodeJS.ErrnoException).code === 'EACCES') continue;
      throw e;
    }
    for (const entry of entries) {
      if (!entry.isDirectory() && !entry.isFile()) continue;
      const p = path.join(dir, entry.name);
      try {
        tighten(p, fs.lstatSync(p));
      } catch (e) {
        if (gone(e)) continue;
        throw e;
      }
      if (entry.isDirectory()) dirs.push(p);
    }
  }
  return changed;
}

const gone = (e: unknown) => ['ENOENT', 'ENOTDIR'].includes((e as NodeJS.ErrnoException).code ?? '');

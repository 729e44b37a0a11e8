// Reads commits, trees and blobs from a local clone, memoising trees by oid for
// one sync: many revisions share most of their trees, and a tree whose oid did
// not change needs no second read.
import git from 'isomorphic-git';
import type { CommitObject, TreeEntry } from 'isomorphic-git';
import type { LocalClone } from './local-clone.ts';
import { snapshotFs } from './snapshot-fs.ts';
import { parseTree } from './git-objects.ts';
import { packageFilePathProblem } from '../../src-shared/package-files.ts';

/** What sync and discovery read from a clone; two implementations, one per engine. */
export interface GitObjectReader {
  commit(oid: string): Promise<CommitObject>;
  tree(oid: string): Promise<TreeEntry[]>;
  subtree(root: string, dir: string): Promise<string | undefined>;
  blob(oid: string): Promise<Uint8Array>;
  /** Every file under a package tree, paths relative to it. */
  files(treeOid: string): Promise<TreeFile[]>;
  close(): void;
}

export class ObjectReader implements GitObjectReader {
  private readonly trees = new Map<string, TreeEntry[]>();
  private readonly commits = new Map<string, CommitObject>();

  private readonly fs: ReturnType<typeof snapshotFs>;

  constructor(private readonly clone: LocalClone) {
    this.fs = snapshotFs(clone.gitdir);
  }

  async commit(oid: string): Promise<CommitObject> {
    let c = this.commits.get(oid);
    if (!c) {
      c = (await git.readCommit({ fs: this.fs, gitdir: this.clone.gitdir, oid, cache: this.clone.cache })).commit;
      this.commits.set(oid, c);
    }
    return c;
  }

  async tree(oid: string): Promise<TreeEntry[]> {
    let t = this.trees.get(oid);
    if (!t) {
      // Parsed here rather than by git.readTree, which throws on a tree holding ".." or ".git":
      // such a tree is read, and listFiles leaves those names out and says so.
      const { type, object } = await git.readObject({ fs: this.fs, gitdir: this.clone.gitdir, oid, cache: this.clone.cache, format: 'content' });
      if (type !== 'tree') throw new Error(`${oid} is a ${type}, not a tree`);
      t = parseTree(object as Uint8Array);
      this.trees.set(oid, t);
    }
    return t;
  }

  /**
   * The tree at `dir` (a '/'-separated path, '' for the root) inside the tree
   * `root`. Looks the names up in the raw tree bytes: a root tree of a thousand
   * packages differs in every commit, and parsing each one whole to find one
   * entry made a first sync quadratic.
   */
  async subtree(root: string, dir: string): Promise<string | undefined> {
    let oid = root;
    for (const segment of dir.split('/').filter(Boolean)) {
      const parsed = this.trees.get(oid);
      if (parsed) {
        const entry = parsed.find((e) => e.path === segment && e.type === 'tree');
        if (!entry) return undefined;
        oid = entry.oid;
        continue;
      }
      const { object } = await git.readObject({ fs: this.fs, gitdir: this.clone.gitdir, oid, cache: this.clone.cache, format: 'content' });
      const found = findTreeEntry(object as Uint8Array, segment);
      if (!found || !found.mode.startsWith('4')) return undefined;
      oid = found.oid;
    }
    return oid;
  }

  async blob(oid: string): Promise<Uint8Array> {
    return (await git.readBlob({ fs: this.fs, gitdir: this.clone.gitdir, oid, cache: this.clone.cache })).blob;
  }

  close(): void {}

  files(treeOid: string): Promise<TreeFile[]> {
    return listFiles(this, treeOid);
  }
}

export interface TreeFile {
  path: string;
  oid: string;
  mode: string;
  /**
   * The name's bytes are not UTF-8 (both readers decode them with U+FFFD in
   * place of what they cannot read): the path here is not the file's name in
   * Git, and a tree written back from it would rename the file.
   */
  nameUnreadable?: boolean;
  /**
   * Why the path may not be a package file (".git", ".."...): the file, or
   * for a directory (path ending in '/') everything in it, is left out.
   */
  nameRefused?: string;
}

/**
 * Every file under a package tree, paths relative to it; both readers list
 * files this way. A directory whose name is refused is one entry, not read.
 */
export async function listFiles(reader: Pick<GitObjectReader, 'tree'>, treeOid: string, prefix = ''): Promise<TreeFile[]> {
  const out: TreeFile[] = [];
  for (const e of await reader.tree(treeOid)) {
    if (e.type !== 'tree' && e.type !== 'blob') continue;
    const p = prefix ? `${prefix}/${e.path}` : e.path;
    const unreadable = p.includes('\uFFFD');
    const refused = unreadable ? undefined : packageFilePathProblem(p);
    if (refused) out.push({ path: e.type === 'tree' ? `${p}/` : p, oid: e.oid, mode: e.mode, nameRefused: refused });
    else if (e.type === 'tree') out.push(...(await listFiles(reader, e.oid, p)));
    else out.push({ path: p, oid: e.oid, mode: e.mode, ...(unreadable ? { nameUnreadable: true } : {}) });
  }
  return out;
}

/** Scans a raw tree object (`<mode> <name>\0<20-byte id>`...) for one name. */
export function findTreeEntry(tree: Uint8Array, name: string): { mode: string; oid: string } | undefined {
  const want = Buffer.from(name, 'utf8');
  const buf = Buffer.from(tree.buffer, tree.byteOffset, tree.byteLength);
  let pos = 0;
  while (pos < buf.length) {
    const space = buf.indexOf(0x20, pos);
    const nul = buf.indexOf(0x00, space + 1);
    if (space < 0 || nul < 0 || nul + 21 > buf.length) return undefined;
    if (nul - space - 1 === want.length && buf.compare(want, 0, want.length, space + 1, nul) === 0) {
      return { mode: buf.toString('latin1', pos, space), oid: buf.toString('hex', nul + 1, nul + 21) };
    }
    pos = nul + 21;
  }
  return undefined;
}

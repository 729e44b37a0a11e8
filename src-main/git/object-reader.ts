// Reads commits, trees and blobs from a local clone, memoising trees by oid for
// one sync: many revisions share most of their trees, and a tree whose oid did
// not change needs no second read.
import fs from 'node:fs';
import git from 'isomorphic-git';
import type { CommitObject, TreeEntry } from 'isomorphic-git';
import type { LocalClone } from './local-clone.ts';

export class ObjectReader {
  private readonly trees = new Map<string, TreeEntry[]>();
  private readonly commits = new Map<string, CommitObject>();

  constructor(private readonly clone: LocalClone) {}

  async commit(oid: string): Promise<CommitObject> {
    let c = this.commits.get(oid);
    if (!c) {
      c = (await git.readCommit({ fs, gitdir: this.clone.gitdir, oid, cache: this.clone.cache })).commit;
      this.commits.set(oid, c);
    }
    return c;
  }

  /** Follows annotated tags down to the commit they name. */
  async peelToCommit(oid: string): Promise<string> {
    for (let i = 0; i < 10; i++) {
      const { type, object } = await git.readObject({ fs, gitdir: this.clone.gitdir, oid, cache: this.clone.cache, format: 'parsed' });
      if (type === 'commit') return oid;
      if (type !== 'tag') throw new Error(`${oid} is a ${type}, not a commit or tag`);
      oid = (object as { object: string }).object;
    }
    throw new Error(`tag chain at ${oid} is too deep`);
  }

  async tree(oid: string): Promise<TreeEntry[]> {
    let t = this.trees.get(oid);
    if (!t) {
      t = (await git.readTree({ fs, gitdir: this.clone.gitdir, oid, cache: this.clone.cache })).tree;
      this.trees.set(oid, t);
    }
    return t;
  }

  /** The tree at `dir` (a '/'-separated path, '' for the root) inside the tree `root`. */
  async subtree(root: string, dir: string): Promise<string | undefined> {
    let oid = root;
    for (const segment of dir.split('/').filter(Boolean)) {
      const entry = (await this.tree(oid)).find((e) => e.path === segment && e.type === 'tree');
      if (!entry) return undefined;
      oid = entry.oid;
    }
    return oid;
  }

  async blob(oid: string): Promise<Uint8Array> {
    return (await git.readBlob({ fs, gitdir: this.clone.gitdir, oid, cache: this.clone.cache })).blob;
  }

  /** Every file under a package tree, paths relative to it, bytes exact. */
  async files(treeOid: string, prefix = ''): Promise<{ path: string; oid: string; mode: string }[]> {
    const out: { path: string; oid: string; mode: string }[] = [];
    for (const e of await this.tree(treeOid)) {
      const p = prefix ? `${prefix}/${e.path}` : e.path;
      if (e.type === 'tree') out.push(...(await this.files(e.oid, p)));
      else if (e.type === 'blob') out.push({ path: p, oid: e.oid, mode: e.mode });
    }
    return out;
  }
}

// Writes a package's files into a clone as Git trees, and splices a package
// tree into (or out of) a branch's root tree. Only the trees on the path from
// the root to the package are rewritten: every other package keeps its tree id,
// so an approval costs the same in a repository of ten packages or ten thousand.
import { gitFs } from './atomic-fs.ts';
import git from 'isomorphic-git';
import type { TreeEntry } from 'isomorphic-git';
import { PorchlightError } from '../../src-shared/errors.ts';
import { packageFilePathProblem } from '../../src-shared/package-files.ts';
import type { GitObjectReader } from './object-reader.ts';

export interface PackageFile {
  path: string;
  content: Uint8Array;
}

/** Git's own tree order: names compared as bytes, a directory as if it ended in '/'. */
function gitTreeOrder(a: TreeEntry, b: TreeEntry): number {
  const ka = Buffer.from(a.type === 'tree' ? `${a.path}/` : a.path);
  const kb = Buffer.from(b.type === 'tree' ? `${b.path}/` : b.path);
  return Buffer.compare(ka, kb);
}

/** Every object id a write produced, so a push can send exactly those. */
export type Written = Set<string>;

async function writeTree(gitdir: string, entries: TreeEntry[], written?: Written): Promise<string> {
  const oid = await git.writeTree({ fs: gitFs, gitdir, tree: [...entries].sort(gitTreeOrder) });
  written?.add(oid);
  return oid;
}

/** The files as one tree (sub-directories as sub-trees); its id. */
export async function writePackageTree(gitdir: string, files: readonly PackageFile[], written?: Written): Promise<string> {
  interface Dir {
    files: TreeEntry[];
    dirs: Map<string, Dir>;
  }
  const root: Dir = { files: [], dirs: new Map() };
  for (const f of files) {
    const parts = f.path.split('/');
    const problem = packageFilePathProblem(f.path);
    if (problem) throw new PorchlightError('INVALID_ARGUMENT', `file path "${f.path}" cannot be written to Git: ${problem}`);
    let dir = root;
    for (const p of parts.slice(0, -1)) {
      let next = dir.dirs.get(p);
      if (!next) dir.dirs.set(p, (next = { files: [], dirs: new Map() }));
      dir = next;
    }
    const oid = await git.writeBlob({ fs: gitFs, gitdir, blob: f.content });
    written?.add(oid);
    dir.files.push({ mode: '100644', path: parts.at(-1)!, oid, type: 'blob' });
  }
  const write = async (d: Dir): Promise<string> => {
    const entries = [...d.files];
    for (const [name, sub] of d.dirs) entries.push({ mode: '040000', path: name, oid: await write(sub), type: 'tree' });
    return writeTree(gitdir, entries, written);
  };
  return write(root);
}

/**
 * The root tree with the directory at `fullPath` replaced by `packageTree`
 * (or removed when it is undefined). Missing parent directories are created;
 * a parent left empty by a removal is dropped, as Git has no empty trees.
 */
export async function spliceTree(
  gitdir: string,
  reader: GitObjectReader,
  rootTree: string | undefined,
  fullPath: string,
  packageTree: string | undefined,
  written?: Written,
): Promise<string | undefined> {
  const [head, ...rest] = fullPath.split('/');
  const entries = rootTree ? [...(await reader.tree(rootTree))] : [];
  const at = entries.findIndex((e) => e.path === head);
  const existing = at >= 0 ? entries[at] : undefined;
  let replacement: string | undefined;
  if (rest.length === 0) {
    replacement = packageTree;
  } else {
    if (existing && existing.type !== 'tree') {
      throw new PorchlightError('FAILED_PRECONDITION', `cannot write package ${fullPath}: "${head}" is a file on the branch, not a directory`);
    }
    replacement = await spliceTree(gitdir, reader, existing?.oid, rest.join('/'), packageTree, written);
  }
  if (at >= 0) entries.splice(at, 1);
  if (replacement) entries.push({ mode: '040000', path: head!, oid: replacement, type: 'tree' });
  if (entries.length === 0) return undefined;
  return writeTree(gitdir, entries, written);
}

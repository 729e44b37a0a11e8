// The package's files after a render or eval: rewritten KRM files, new files
// for resources that moved, files whose resources are all gone removed, and
// everything kpt does not read (README.md, .krmignore) left as it was.
import type { Document } from 'yaml';
import type { FileTree, PackageFile } from './file-tree.ts';
import { normalizePath } from './file-tree.ts';
import { writeResources } from './write-resources.ts';

const encoder = new TextEncoder();

export function buildOutputFiles(_tree: FileTree, files: PackageFile[], resources: Document[], inputFiles: Set<string>): PackageFile[] {
  const written = writeResources(resources);
  const out: PackageFile[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    const path = normalizePath(f.path);
    seen.add(path);
    const text = written.get(path);
    if (text !== undefined) out.push({ path: f.path, content: encoder.encode(text) });
    else if (!inputFiles.has(path)) out.push(f);
  }
  for (const path of [...written.keys()].sort()) {
    if (!seen.has(path)) out.push({ path, content: encoder.encode(written.get(path)!) });
  }
  return out;
}

// kyaml's LocalPackageReader as kpt configures it: Kptfile, *.yaml, *.yml and
// *.json files, `.krmignore` honoured, subpackage directories skipped or
// included, each resource annotated with its path and index (new and legacy
// keys), its sequence indent style and, for render, its package.
import type { Document } from 'yaml';
import { deriveSeqIndentStyle } from '../kyaml-format.ts';
import { parseYamlDocument, splitDocuments } from '../yaml/parse-document.ts';
import { getAnnotation, rootMap, setAnnotation } from '../krm/resource.ts';
import { basename, joinPath, type FileTree } from './file-tree.ts';
import { KrmIgnore } from './krmignore.ts';
import { ANN } from './annotation-keys.ts';

export interface ReadOptions {
  includeSubpackages: boolean;
  /** Value of internal.config.kubernetes.io/package-path (render sets it, eval does not). */
  packagePath?: string;
}

export class PackageReadError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'PackageReadError';
  }
}

const KRM_FILE = /^(Kptfile|.*\.ya?ml|.*\.json)$/;

/** kioutil.CopyLegacyAnnotations: keeps the legacy and current path/index/id keys in step. */
export function copyLegacyAnnotations(doc: Document): void {
  for (const [legacy, current] of [
    [ANN.legacyPath, ANN.path],
    [ANN.legacyIndex, ANN.index],
    [ANN.legacyId, ANN.id],
  ] as const) {
    const newValue = getAnnotation(doc, current) ?? '';
    const legacyValue = getAnnotation(doc, legacy) ?? '';
    if (newValue !== '' && legacyValue === '') setAnnotation(doc, legacy, newValue);
    else if (newValue === '' && legacyValue !== '') setAnnotation(doc, current, legacyValue);
  }
}

/**
 * Parses one file's resources as kio.ByteReader does, annotating each with
 * its index and sequence style, and with `path` when the package reader
 * gives one (kpt reads --fn-config files without).
 */
export function readFileResources(path: string | undefined, text: string, extra: Record<string, string>): Document.Parsed[] {
  const where = path ?? 'functionConfig';
  const out: Document.Parsed[] = [];
  let index = 0;
  let pieces: string[];
  try {
    pieces = splitDocuments(text);
  } catch (e) {
    throw new PackageReadError(where, (e as Error).message);
  }
  for (const piece of pieces) {
    let doc: Document.Parsed | null;
    try {
      doc = parseYamlDocument(piece);
    } catch (e) {
      throw new PackageReadError(where, (e as Error).message);
    }
    if (!doc) continue;
    if (rootMap(doc)) {
      copyLegacyAnnotations(doc);
      const set: Record<string, string> = {
        ...extra,
        ...(path === undefined ? {} : { [ANN.path]: path, [ANN.legacyPath]: path }),
        [ANN.index]: String(index),
        [ANN.legacyIndex]: String(index),
        [ANN.seqIndent]: deriveSeqIndentStyle(piece),
      };
      for (const key of Object.keys(set).sort()) setAnnotation(doc, key, set[key]!);
    }
    out.push(doc);
    index++;
  }
  return out;
}

/** Reads a package directory's resources (paths relative to that directory). */
export function readPackageResources(tree: FileTree, pkgDir: string, opts: ReadOptions): Document.Parsed[] {
  const out: Document.Parsed[] = [];
  const ignores: { dir: string; rules: KrmIgnore }[] = [];
  const relative = (full: string): string => (pkgDir ? full.slice(pkgDir.length + 1) : full);
  const loadIgnore = (fullDir: string): void => {
    const text = tree.text(joinPath(fullDir, '.krmignore'));
    if (text !== undefined) ignores.push({ dir: fullDir === pkgDir ? '' : relative(fullDir), rules: new KrmIgnore(text) });
  };
  const ignored = (path: string, isDir: boolean): boolean =>
    ignores.some(({ dir, rules }) => (dir === '' || path.startsWith(`${dir}/`)) && rules.matches(dir ? path.slice(dir.length + 1) : path, isDir));
  const extra: Record<string, string> = opts.packagePath !== undefined ? { [ANN.packagePath]: opts.packagePath } : {};
  const walk = (dir: string): void => {
    for (const name of tree.entries(dir)) {
      const full = joinPath(dir, name);
      const rel = relative(full);
      if (tree.isDir(full)) {
        if (ignored(rel, true)) continue;
        if (tree.hasFile(joinPath(full, 'Kptfile'))) {
          if (!opts.includeSubpackages) continue;
          loadIgnore(full);
        }
        walk(full);
        continue;
      }
      if (ignored(rel, false) || !KRM_FILE.test(basename(full))) continue;
      out.push(...readFileResources(rel, tree.text(full) ?? '', extra));
    }
  };
  loadIgnore(pkgDir);
  walk(pkgDir);
  return out;
}

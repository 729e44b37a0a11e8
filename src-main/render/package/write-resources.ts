// kyaml's LocalPackageWriter: resources grouped by their path annotation,
// ordered by index, reader annotations removed, each file written by one
// go-yaml encoder (or as JSON for a lone resource in a .json file).
import type { Document } from 'yaml';
import { formatDocuments, type SeqIndentStyle } from '../kyaml-format.ts';
import { clearAnnotation, clearEmptyAnnotations, getAnnotation, resourceMeta, setAnnotation } from '../krm/resource.ts';
import { ANN } from './annotation-keys.ts';
import { copyLegacyAnnotations } from './read-resources.ts';

export class PackageWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackageWriteError';
  }
}

/** kioutil.CreatePathAnnotationValue: where kpt puts a resource that lost its path. */
export function defaultResourcePath(doc: Document): string {
  const m = resourceMeta(doc);
  const file = `${m.kind.toLowerCase()}_${m.name}.yaml`;
  return m.namespace ? `${m.namespace}/${file}` : file;
}

/** kioutil.DefaultPathAnnotation: a path for each resource that has none. */
export function defaultPathAnnotation(docs: Document[]): void {
  for (const doc of docs) {
    copyLegacyAnnotations(doc);
    if (getAnnotation(doc, ANN.path) !== undefined) continue;
    const path = defaultResourcePath(doc);
    setAnnotation(doc, ANN.path, path);
    setAnnotation(doc, ANN.legacyPath, path);
  }
}

/** kioutil.DefaultPathAndIndexAnnotation, including its habit of reusing the highest index. */
function defaultPathAndIndex(docs: Document[]): void {
  const counts = new Map<string, number>();
  defaultPathAnnotation(docs);
  for (const doc of docs) {
    const p = getAnnotation(doc, ANN.path)!;
    const i = getAnnotation(doc, ANN.index);
    if (i !== undefined) {
      const n = Number.parseInt(i, 10) || 0;
      if (n > (counts.get(p) ?? 0)) counts.set(p, n);
    }
  }
  for (const doc of docs) {
    if (getAnnotation(doc, ANN.index) !== undefined) continue;
    const p = getAnnotation(doc, ANN.path)!;
    const c = counts.get(p) ?? 0;
    counts.set(p, c + 1);
    setAnnotation(doc, ANN.index, String(c));
    setAnnotation(doc, ANN.legacyIndex, String(c));
  }
}

function indexOf(doc: Document): string {
  return getAnnotation(doc, ANN.index) ?? '';
}

/** kioutil.SortNodes within one file: by index, a missing index first, stable otherwise. */
function sortByIndex(docs: Document[]): Document[] {
  return docs
    .map((doc, order) => ({ doc, order, index: indexOf(doc) }))
    .sort((a, b) => {
      if (a.index === b.index) return a.order - b.order;
      if (a.index === '') return -1;
      if (b.index === '') return 1;
      return Number.parseInt(a.index, 10) - Number.parseInt(b.index, 10) || a.order - b.order;
    })
    .map((x) => x.doc);
}

function sortedJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedJson);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortedJson((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** Go's json.Encoder with two-space indent (HTML characters escaped). */
function goJson(doc: Document): string {
  const text = JSON.stringify(sortedJson(doc.toJS()), null, 2);
  return `${text.replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`)}\n`;
}

/**
 * Writes resources to file texts keyed by path. The documents are changed in
 * place (their reader annotations removed): hand over copies to keep them.
 */
export function writeResources(docs: Document[], clearKeys: string[] = []): Map<string, string> {
  defaultPathAndIndex(docs);
  const byPath = new Map<string, Document[]>();
  for (const doc of docs) {
    const path = getAnnotation(doc, ANN.path) ?? '';
    if (!path || indexOf(doc) === '') throw new PackageWriteError(`resources must be annotated with ${ANN.path} to be written to files`);
    const clean = path
      .split('/')
      .filter((s) => s && s !== '.')
      .join('/');
    if (path.startsWith('/')) throw new PackageWriteError('package paths may not be absolute paths');
    if (clean.split('/').includes('..')) throw new PackageWriteError(`resource must be written under the package: ${clean}`);
    if (!byPath.has(path)) byPath.set(path, []);
    byPath.get(path)!.push(doc);
  }
  const out = new Map<string, string>();
  for (const [path, fileDocs] of byPath) {
    const sorted = sortByIndex(fileDocs);
    const json = sorted.length === 1 && path.endsWith('.json');
    const styles = sorted.map((d) => getAnnotation(d, ANN.seqIndent) as SeqIndentStyle | undefined);
    for (const doc of sorted) {
      for (const key of [ANN.index, ANN.legacyIndex, ANN.seqIndent, ANN.path, ANN.legacyPath, ...clearKeys]) clearAnnotation(doc, key);
      clearEmptyAnnotations(doc);
    }
    const text = json ? goJson(sorted[0]!) : formatDocuments(sorted.map((doc, i) => ({ doc, seqIndent: styles[i] === 'wide' ? 'wide' : 'compact' })));
    out.set(
      path
        .split('/')
        .filter((s) => s && s !== '.')
        .join('/'),
      text,
    );
  }
  return out;
}

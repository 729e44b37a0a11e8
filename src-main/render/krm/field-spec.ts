// kustomize's FieldSpec traversal (api/filters/fieldspec, fsslice): a
// slash-separated path, `[]` entering each sequence item, matched to a
// resource by group/version/kind, creating missing fields where `create` says.
import { isMap, isScalar, isSeq, YAMLMap, YAMLSeq, type Document, type Node } from 'yaml';
import { findPair, setField, type MapNode } from './fields.ts';
import { resourceMeta, rootMap } from './resource.ts';

export interface FieldSpec {
  group?: string;
  version?: string;
  kind?: string;
  path: string;
  create?: boolean;
}

export type CreateKind = 'map' | 'seq' | 'scalar';

export function parseGroupVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export function fieldSpecMatches(fs: FieldSpec, doc: Document): boolean {
  const m = resourceMeta(doc);
  const { group, version } = parseGroupVersion(m.apiVersion);
  if (fs.kind && fs.kind !== m.kind) return false;
  if (fs.group && fs.group !== group) return false;
  if (fs.version && fs.version !== version) return false;
  return true;
}

/** kustomize's PathSplitter: `/` separates fields except inside `[...]`. */
export function splitPath(path: string, sep = '/'): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (const ch of path) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === sep && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function newNode(kind: CreateKind): Node {
  return kind === 'seq' ? new YAMLSeq() : new YAMLMap();
}

/**
 * Walks `fs.path` in `doc` and calls `set` on each node it reaches (with the
 * dotted field path). Missing fields are created when `fs.create` is set and
 * `createKind` is given: the last one of `createKind`, the others as maps.
 */
export function applyFieldSpec(
  doc: Document,
  fs: FieldSpec,
  set: (node: Node, parent: MapNode | undefined, fieldPath: string[]) => void,
  createKind?: CreateKind,
): void {
  if (!fieldSpecMatches(fs, doc)) return;
  const root = rootMap(doc);
  if (!root) return;
  const walk = (node: unknown, parent: MapNode | undefined, path: string[], done: string[]): void => {
    if (path.length === 0) {
      set(node as Node, parent, done);
      return;
    }
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return;
    if (isSeq(node)) {
      for (const item of node.items) walk(item, undefined, path, done);
      return;
    }
    if (!isMap(node)) throw new Error(`considering field '${fs.path}': expected sequence or mapping node`);
    const raw = path[0]!;
    const isSeqField = raw.endsWith('[]');
    const name = isSeqField ? raw.slice(0, -2) : raw;
    if (!name) throw new Error('cannot set or create an empty field name');
    const pair = findPair(node, name);
    let value = pair?.value;
    const canCreate = fs.create && createKind && !isSeqField;
    if (pair === undefined) {
      if (!canCreate) return;
      value = newNode(path.length <= 1 ? createKind : 'map');
      setField(node as MapNode, name, value as Node);
    } else if (canCreate && isScalar(value) && value.value === null && !value.tag) {
      value = newNode(path.length <= 1 ? createKind : 'map');
      pair.value = value;
    }
    walk(value, node as MapNode, path.slice(1), [...done, name]);
  };
  walk(root, undefined, splitPath(fs.path), []);
}

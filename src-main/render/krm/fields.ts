// kyaml's field operations (Lookup, FieldSetter, FieldClearer, PathGetter with
// create) on `yaml` nodes, with kyaml's side effects: a replaced value keeps
// the old value's style, new fields go last, empty parents are created as
// block mappings.
import { isMap, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { goResolveTag } from '../yaml/go-resolve.ts';
import { parse } from 'yaml';
import { hasNoStyle, isUntagged, scalarText } from '../yaml/go-node.ts';

export type MapNode = YAMLMap<unknown, unknown>;

/** The key text of a pair (go-yaml's key.Value). */
export function keyText(pair: Pair<unknown, unknown>): string {
  const k = pair.key;
  if (isScalar(k)) return scalarText(k);
  return k === null || k === undefined ? '' : String(k);
}

export function findPair(map: unknown, name: string): Pair<unknown, unknown> | undefined {
  if (!isMap(map)) return undefined;
  for (const item of map.items) if (keyText(item) === name) return item;
  return undefined;
}

export function getField(map: unknown, name: string): unknown {
  return findPair(map, name)?.value;
}

/** Walks field names (and list indexes as numbers); undefined when any step is missing. */
export function lookup(node: unknown, path: (string | number)[]): unknown {
  let cur = node;
  for (const part of path) {
    if (typeof part === 'number') {
      if (!isSeq(cur)) return undefined;
      cur = cur.items[part];
    } else {
      cur = getField(cur, part);
    }
    if (cur === undefined || cur === null) return undefined;
  }
  return cur;
}

/** go-yaml's node.Value for a scalar, '' for anything else. */
export function valueText(node: unknown): string {
  return isScalar(node) ? scalarText(node) : '';
}

export function isNullish(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

/** kyaml FieldClearer: removes the field (optionally only when its value has no content). */
export function clearField(map: unknown, name: string, ifEmpty = false): Pair<unknown, unknown> | undefined {
  if (!isMap(map)) return undefined;
  const i = map.items.findIndex((p) => keyText(p) === name);
  if (i < 0) return undefined;
  const value = map.items[i]!.value;
  if (ifEmpty && (isMap(value) || isSeq(value)) && value.items.length > 0) return undefined;
  return map.items.splice(i, 1)[0];
}

const STYLE_KEYS = ['type'] as const;

/** kyaml FieldSetter: replaces a field's value keeping its style, or appends the field. */
export function setField(map: MapNode, name: string, value: Node, opts: { overrideStyle?: boolean } = {}): Node {
  if (
    isScalar(value) &&
    (typeof value.value === 'string' || isUntagged(value)) &&
    !opts.overrideStyle &&
    hasNoStyle(value) &&
    isYaml11NonString(scalarText(value))
  ) {
    value.type = 'QUOTE_DOUBLE';
  }
  const pair = findPair(map, name);
  if (pair) {
    const old = pair.value;
    if (!opts.overrideStyle || !styleOf(value)) copyStyle(old, value);
    pair.value = value;
    return value;
  }
  map.items.push(new Pair(new Scalar(name), value) as Pair<unknown, unknown>);
  (map.items[map.items.length - 1]!.key as Scalar).type = 'PLAIN';
  return value;
}

function styleOf(node: unknown): string | boolean | undefined {
  if (isScalar(node)) return node.type;
  if (isMap(node) || isSeq(node)) return node.flow;
  return undefined;
}

function copyStyle(from: unknown, to: Node): void {
  if (isScalar(to)) {
    for (const k of STYLE_KEYS) (to as Scalar)[k] = isScalar(from) ? from.type : undefined;
  } else if (isMap(to) || isSeq(to)) {
    to.flow = (isMap(from) || isSeq(from)) && !!from.flow;
  }
}

/** kyaml PathGetter with Create: each missing or null field on the way becomes an empty block mapping. */
export function ensureMapPath(root: MapNode, path: string[]): MapNode {
  let cur = root;
  for (const name of path) {
    const existing = getField(cur, name);
    if (isMap(existing)) {
      cur = existing;
      continue;
    }
    const created = new YAMLMap<unknown, unknown>();
    setField(cur, name, created);
    cur = created;
  }
  return cur;
}

export function ensureSeqField(map: MapNode, name: string): YAMLSeq<unknown> {
  const existing = getField(map, name);
  if (isSeq(existing)) return existing;
  const created = new YAMLSeq<unknown>();
  setField(map, name, created);
  return created;
}

/** kyaml's IsValueNonString: text a YAML 1.1 parser would not read back as a string. */
export function isYaml11NonString(text: string): boolean {
  if (text === '' || text.includes('\n')) return false;
  if (/^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/.test(text)) return true;
  if (goResolveTag(text) !== 'str' && goResolveTag(text) !== 'timestamp') return true;
  try {
    const v: unknown = parse(text, { version: '1.1', prettyErrors: false });
    return typeof v !== 'string' && !(v instanceof Date);
  } catch {
    return false;
  }
}

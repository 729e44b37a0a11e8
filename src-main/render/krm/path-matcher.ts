// kyaml's field paths as kustomize's replacements use them:
// SmarterPathSplitter (`a.[b.c/d].e`), Lookup for the source (exact
// `[name=value]` matching) and PathMatcher for targets (`[name=regex]`
// searched with a regex, `*`, indexes, optional creation).
import { isMap, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { formatDocument } from '../kyaml-format.ts';
import { plainScalar, scalarText } from '../yaml/go-node.ts';
import { findPair, getField, setField, valueText, type MapNode } from './fields.ts';
import { Document } from 'yaml';

export type Kind = 'map' | 'seq' | 'scalar';

export function smarterPathSplit(path: string, delimiter = '.'): string[] {
  let ps = path.split(delimiter);
  if (ps.length > 1 && ps[0] === '') ps = ps.slice(1);
  const split: string[] = [ps[0]!];
  for (let i = 1; i < ps.length; i++) {
    const last = split.length - 1;
    if (split[last]!.endsWith('\\')) split[last] = `${split[last]!.slice(0, -1)}${delimiter}${ps[i]}`;
    else split.push(ps[i]!);
  }
  const out: string[] = [];
  for (let i = 0; i < split.length; i++) {
    const elem = split[i]!;
    if (elem.startsWith('[') && !elem.endsWith(']')) {
      const parts = [elem];
      while (i < split.length - 1) {
        i++;
        parts.push(split[i]!);
        if (split[i]!.endsWith(']')) break;
      }
      const joined = parts.join(delimiter);
      out.push(joined.includes('=') ? joined : joined.replace(/^\[+|\]+$/g, ''));
    } else out.push(elem);
  }
  return out;
}

const isIdxNumber = (p: string): boolean => /^\d+$/.test(p);
const isListIndex = (p: string): boolean => p.startsWith('[') && p.endsWith(']');

function splitIndex(part: string): [string, string] {
  const inner = part.slice(1, -1);
  const eq = inner.indexOf('=');
  if (eq < 0) throw new Error(`wrong format for list index: ${part}`);
  return [inner.slice(0, eq), inner.slice(eq + 1)];
}

/** kyaml Lookup (PathGetter without create). */
export function lookupPath(node: unknown, path: string[]): unknown {
  let cur = node;
  for (const part of path) {
    if (cur === undefined || cur === null) return undefined;
    if (isIdxNumber(part)) {
      cur = isSeq(cur) ? cur.items[Number(part)] : undefined;
    } else if (isListIndex(part)) {
      const [name, value] = splitIndex(part);
      if (!isSeq(cur)) return undefined;
      cur = cur.items.find((e) => (name === '' ? valueText(e) === value : valueText(getField(e, name)) === value));
    } else {
      if (!isMap(cur) || (isScalar(cur) && (cur as Scalar).value === null)) return undefined;
      cur = getField(cur, part);
    }
  }
  return cur;
}

/** kyaml's RNode.String(), trimmed: what PathMatcher compares a list element's field with. */
function nodeText(node: Node): string {
  const doc = new Document();
  doc.contents = node;
  return formatDocument(doc).trim();
}

function newNode(kind: Kind): Node {
  if (kind === 'map') return new YAMLMap();
  if (kind === 'seq') return new YAMLSeq();
  return plainScalar('');
}

function partKind(next: string | undefined, create: Kind | undefined): Kind {
  if (next === undefined) return create ?? 'scalar';
  if (isListIndex(next) || isIdxNumber(next)) return 'seq';
  return 'map';
}

export interface Match {
  node: Node;
  /** Replaces the matched node in its parent (for whole-node replacement). */
  replace: (n: Node) => void;
}

/** kyaml PathMatcher: every node the path reaches, creating missing parts when `create` is given. */
export function matchPath(root: Node, path: string[], create?: Kind, replaceRoot?: (n: Node) => void): Match[] {
  const out: Match[] = [];
  const walk = (node: Node, parts: string[], replace: (n: Node) => void): void => {
    if (parts.length === 0) {
      out.push({ node, replace });
      return;
    }
    const [part, ...rest] = parts as [string, ...string[]];
    if (isIdxNumber(part)) {
      if (!isSeq(node)) throw new Error(`wrong node kind: expected SequenceNode for ${part}`);
      const idx = Number(part);
      if (node.items.length === idx && create) node.items.push(newNode(partKind(rest[0], create)));
      if (node.items.length < idx + 1) throw new Error(`index ${idx} specified but only ${node.items.length} elements found`);
      walk(node.items[idx] as Node, rest, (n) => (node.items[idx] = n));
    } else if (isListIndex(part)) {
      if (!isSeq(node)) throw new Error(`wrong node kind: expected SequenceNode for ${part}`);
      const [field, pattern] = splitIndex(part);
      const re = new RegExp(pattern);
      const before = out.length;
      node.items.forEach((elem, i) => {
        const target = field === '' ? elem : getField(elem, field);
        if (target === undefined || target === null) return;
        if (!re.test(nodeText(target as Node))) return;
        if (field === '') out.push({ node: elem as Node, replace: (n) => (node.items[i] = n) });
        else walk(elem as Node, rest, (n) => (node.items[i] = n));
      });
      if (out.length === before && create) {
        const value = plainScalar(pattern);
        if (field === '') {
          node.items.push(value);
        } else {
          const m = new YAMLMap<unknown, unknown>();
          m.items.push(new Pair(plainScalar(field), value));
          node.items.push(m);
        }
        walk(node, parts, replace);
      }
    } else if (part === '*') {
      if (!isSeq(node)) throw new Error('wrong node kind: expected SequenceNode for *');
      node.items.forEach((elem, i) => walk(elem as Node, rest, (n) => (node.items[i] = n)));
    } else {
      if (!isMap(node)) {
        if (isScalar(node) && node.value === null) return;
        throw new Error(`wrong node kind: expected MappingNode but got ${isSeq(node) ? 'SequenceNode' : 'ScalarNode'}: node contents:\n${nodeText(node)}`);
      }
      let pair = findPair(node, part);
      if (!pair) {
        if (!create) return;
        setField(node as MapNode, part, newNode(partKind(rest[0], create)));
        pair = findPair(node, part)!;
      }
      const p = pair;
      walk(p.value as Node, rest, (n) => (p.value = n));
    }
  };
  walk(root, path, replaceRoot ?? (() => {}));
  return out;
}

export { scalarText };

/** kyaml Lookup / LookupCreate (PathGetter): one node, exact `[name=value]` matching, missing parts created when `create` is given. */
export function lookupCreate(root: Node, path: string[], create?: Kind): Match | undefined {
  let node: Node = root;
  let replace: (n: Node) => void = () => {};
  for (let i = 0; i < path.length; i++) {
    const part = path[i]!;
    const next = path[i + 1];
    if (isIdxNumber(part) || part === '-') {
      if (!isSeq(node)) return undefined;
      const seq = node;
      const idx = part === '-' ? seq.items.length - 1 : Number(part);
      if (idx < 0 || idx >= seq.items.length) return undefined;
      node = seq.items[idx] as Node;
      replace = (n) => (seq.items[idx] = n);
    } else if (isListIndex(part)) {
      if (!isSeq(node)) return undefined;
      const seq = node;
      const [field, value] = splitIndex(part);
      let idx = seq.items.findIndex((e) => (field === '' ? valueText(e) === value : valueText(getField(e, field)) === value));
      if (idx < 0) {
        if (!create) return undefined;
        if (field === '') seq.items.push(plainScalar(value));
        else {
          const m = new YAMLMap<unknown, unknown>();
          m.items.push(new Pair(plainScalar(field), plainScalar(value)));
          seq.items.push(m);
        }
        idx = seq.items.length - 1;
      }
      node = seq.items[idx] as Node;
      replace = (n) => (seq.items[idx] = n);
    } else {
      if (!isMap(node)) return undefined;
      const map = node as MapNode;
      let pair = findPair(map, part);
      if (!pair) {
        if (!create) return undefined;
        setField(map, part, newNode(partKind(next, create)));
        pair = findPair(map, part)!;
      }
      if (pair.value === null || pair.value === undefined) return undefined;
      const p = pair;
      node = p.value as Node;
      replace = (n) => (p.value = n);
    }
  }
  return { node, replace };
}

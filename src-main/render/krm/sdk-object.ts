// The kpt function SDK's KubeObject (go/fn) on `yaml` documents, for the
// catalog functions written with it. Its setters differ from kyaml's: a set
// field gets a fresh !!str node (old style dropped, comments kept), and
// missing parents are appended as block mappings.
import { isMap, isScalar, Pair, Scalar, YAMLMap, type Document } from 'yaml';
import { footComment, setFootComment } from '../yaml/go-node.ts';
import { findPair, getField, type MapNode } from './fields.ts';
import { knownNamespaceScope } from './namespace-scope.ts';
import { resourceMeta, rootMap } from './resource.ts';

export const UNKNOWN_NAMESPACE = '~C';
export const UPSTREAM_IDENTIFIER = 'internal.kpt.dev/upstream-identifier';

export interface ResourceId {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

/** GetNestedString: the value when the node is a string scalar. */
export function nestedString(doc: Document, ...fields: string[]): { value: string; found: boolean } {
  let cur: unknown = rootMap(doc);
  for (const f of fields) cur = getField(cur, f);
  if (cur === undefined) return { value: '', found: false };
  if (isScalar(cur) && typeof cur.value === 'string') return { value: cur.value, found: true };
  return { value: '', found: false };
}

/** SetNestedString: intermediate maps created, the leaf replaced by a plain !!str keeping its comments. */
export function setNestedString(doc: Document, value: string, ...fields: string[]): void {
  const map = rootMap(doc);
  if (map) setNestedStringIn(map, value, ...fields);
}

export function setNestedStringIn(root: MapNode, value: string, ...fields: string[]): void {
  let map = root;
  for (const f of fields.slice(0, -1)) {
    const next = getField(map, f);
    if (isMap(next)) {
      map = next as MapNode;
      continue;
    }
    const created = new YAMLMap<unknown, unknown>();
    const pair = findPair(map, f);
    if (pair) pair.value = created;
    else map.items.push(new Pair(new Scalar(f), created));
    map = created;
  }
  const key = fields[fields.length - 1]!;
  const node = new Scalar(value);
  const pair = findPair(map, key);
  if (!pair) {
    map.items.push(new Pair(new Scalar(key), node));
    return;
  }
  const old = pair.value as { commentBefore?: string | null; comment?: string | null } | null;
  if (old && typeof old === 'object') {
    node.commentBefore = old.commentBefore;
    node.comment = old.comment;
    setFootComment(node, footComment(old));
  }
  pair.value = node;
}

export function getAnnotations(doc: Document): Record<string, string> {
  const map = getField(getField(rootMap(doc), 'metadata'), 'annotations');
  const out: Record<string, string> = {};
  if (!isMap(map)) return out;
  for (const p of map.items) if (isScalar(p.key) && isScalar(p.value) && typeof p.value.value === 'string') out[String(p.key.value)] = p.value.value;
  return out;
}

export function isLocalConfig(doc: Document): boolean {
  const v = getAnnotations(doc)['config.kubernetes.io/local-config'] ?? '';
  return v !== '' && v !== 'false';
}

export function hasNamespace(doc: Document): boolean {
  return nestedString(doc, 'metadata', 'namespace').found;
}

export function isNamespaceScoped(doc: Document): boolean {
  const m = resourceMeta(doc);
  return knownNamespaceScope(m.apiVersion, m.kind) ?? hasNamespace(doc);
}

function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

export function effectiveNamespace(doc: Document): string {
  if (hasNamespace(doc)) return nestedString(doc, 'metadata', 'namespace').value;
  return isNamespaceScoped(doc) ? 'default' : UNKNOWN_NAMESPACE;
}

export function resourceId(doc: Document): ResourceId {
  const m = resourceMeta(doc);
  return { group: groupOf(m.apiVersion), kind: m.kind, namespace: effectiveNamespace(doc), name: m.name };
}

export class SdkPanic extends Error {}

const UPSTREAM = /([a-z0-9-.]*)\|([A-Z][a-zA-Z0-9]*)\|([a-z0-9-]{1,63}|~C)\|([a-z0-9-]{1,63})/;

export function hasUpstreamOrigin(doc: Document): boolean {
  return !!getAnnotations(doc)[UPSTREAM_IDENTIFIER];
}

export function originId(doc: Document): ResourceId {
  const upstream = (getAnnotations(doc)[UPSTREAM_IDENTIFIER] ?? '').trim();
  if (!upstream) return resourceId(doc);
  const m = UPSTREAM.exec(upstream);
  if (!m) {
    throw new SdkPanic(`annotation ${UPSTREAM_IDENTIFIER}: ${upstream} is in bad format. expect "<GROUP>|<KIND>|<NAMESPACE>|<NAME>"`);
  }
  return { group: m[1]!, kind: m[2]!, namespace: m[3]!, name: m[4]! };
}

export function shortString(doc: Document): string {
  const m = resourceMeta(doc);
  return `Resource(apiVersion=${m.apiVersion}, kind=${m.kind}, namespace=${nestedString(doc, 'metadata', 'namespace').value}, name=${m.name})`;
}

/** The SDK sorts a ResourceList's items by "apiVersion kind namespace name" before writing it. */
export function sdkSort<T extends Document>(items: T[]): T[] {
  const key = (d: T): string => {
    const m = resourceMeta(d);
    return `${m.apiVersion} ${m.kind} ${m.namespace} ${m.name}`;
  };
  return items
    .map((d, i) => ({ d, i, k: key(d) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i))
    .map((x) => x.d);
}

/** Go's %q for a string. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

// go-yaml's encoder for yaml.Node, on `yaml` documents: turns a document into
// emitter events, moving a key's foot comment to the next key as go-yaml does.
import { isAlias, isMap, isPair, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq, type Document, type Node } from 'yaml';
import type { EmitEvent } from './emit-event.ts';
import { footComment, goScalar, headComment, lineComment } from './go-node.ts';

const MAP_TAG = 'tag:yaml.org,2002:map';
const SEQ_TAG = 'tag:yaml.org,2002:seq';

/** Plain JavaScript values left in a tree by code that built it by hand become nodes here. */
function asNode(value: unknown): Node {
  if (value !== null && typeof value === 'object' && ('range' in value || isScalar(value) || isMap(value) || isSeq(value) || isAlias(value))) {
    return value as Node;
  }
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    seq.items = value;
    return seq;
  }
  if (value !== null && typeof value === 'object') {
    const map = new YAMLMap();
    for (const [k, v] of Object.entries(value)) map.items.push(new Pair(k, v));
    return map;
  }
  return new Scalar(value);
}

function collectionTag(node: YAMLMap | YAMLSeq, implicitTag: string): string | undefined {
  return node.tag && node.tag !== implicitTag ? node.tag : undefined;
}

function encode(raw: unknown, tail: string, out: EmitEvent[], skipFoot = false): void {
  const node = asNode(raw);
  const head = headComment(node) || undefined;
  const line = lineComment(node) || undefined;
  const foot = skipFoot ? undefined : footComment(node) || undefined;
  const anchor = (node as { anchor?: string }).anchor || undefined;
  if (isMap(node)) {
    out.push({ type: 'mapStart', anchor, tag: collectionTag(node, MAP_TAG), flow: !!node.flow, head, tail: tail || undefined });
    let pending = '';
    for (const item of node.items) {
      const pair = isPair(item) ? item : { key: item, value: null };
      const keyNode = asNode(pair.key);
      encode(keyNode, pending, out, true);
      pending = footComment(keyNode);
      encode(pair.value, '', out);
    }
    out.push({ type: 'mapEnd', tail: pending || undefined, line, foot });
  } else if (isSeq(node)) {
    out.push({ type: 'seqStart', anchor, tag: collectionTag(node, SEQ_TAG), flow: !!node.flow, head });
    for (const item of node.items) encode(item, '', out);
    out.push({ type: 'seqEnd', line, foot });
  } else if (isAlias(node)) {
    out.push({ type: 'alias', anchor: node.source, head, line, foot });
  } else if (isScalar(node)) {
    const s = goScalar(node);
    out.push({ type: 'scalar', anchor, tag: s.tag || undefined, value: s.value, style: s.style, head, line, foot, tail: tail || undefined });
  } else {
    throw new Error(`cannot write a YAML node of type ${typeof node}`);
  }
}

/** The events of one go-yaml Encode call for this document. */
export function documentEvents(doc: Document): EmitEvent[] {
  const out: EmitEvent[] = [{ type: 'docStart', implicit: true, head: doc.commentBefore || undefined }];
  encode(doc.contents, '', out);
  out.push({ type: 'docEnd', foot: doc.comment || undefined });
  return out;
}

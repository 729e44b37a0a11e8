// Running a function that is not built in: the resources go out as a
// ResourceList (kyaml's ByteWriter), come back parsed, and get their comments
// and field order patched from the input as kyaml's FunctionFilter does.
import { Document, isMap, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import type { FnResultItem } from '../krm-function.ts';
import { formatDocument, parseYamlStream } from '../kyaml-format.ts';
import { getField, keyText, valueText } from '../krm/fields.ts';
import { footComment, setFootComment } from '../yaml/go-node.ts';

export interface ExternalResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs a container image or an executable on a ResourceList text; wired to a runtime by the caller. */
export type ExternalRunner = (fn: { image?: string; exec?: string }, resourceList: string) => Promise<ExternalResult>;

export function resourceListText(items: Document[], functionConfig?: Document): string {
  const list = new YAMLMap();
  const seq = new YAMLSeq();
  seq.items = items.map((d) => d.contents);
  list.items.push(new Pair(new Scalar('apiVersion'), new Scalar('config.kubernetes.io/v1')));
  list.items.push(new Pair(new Scalar('kind'), new Scalar('ResourceList')));
  list.items.push(new Pair(new Scalar('items'), seq));
  if (functionConfig?.contents) list.items.push(new Pair(new Scalar('functionConfig'), functionConfig.contents));
  const doc = new Document();
  doc.contents = list;
  return formatDocument(doc, 'compact');
}

export interface ParsedList {
  items: Document.Parsed[];
  results: FnResultItem[];
}

export function parseResourceList(stdout: string): ParsedList {
  const docs = parseYamlStream(stdout);
  const root = docs[0];
  if (docs.length !== 1 || !root || !isMap(root.contents)) throw new Error('function output must be a single ResourceList');
  const items = getField(root.contents, 'items');
  const out: Document.Parsed[] = [];
  if (isSeq(items)) {
    for (const item of items.items) {
      const d = new Document() as Document.Parsed;
      d.contents = item as Document.Parsed['contents'];
      out.push(d);
    }
  }
  let results = getField(root.contents, 'results');
  if (isMap(results)) results = getField(results, 'items') ?? results;
  const plain = isSeq(results) ? (results.toJSON() as FnResultItem[]) : [];
  return { items: out, results: plain };
}

type Commented = { commentBefore?: string | null; comment?: string | null };

function copyNodeComments(from: unknown, to: unknown): void {
  if (!from || !to || typeof from !== 'object' || typeof to !== 'object') return;
  const f = from as Commented;
  const t = to as Commented;
  if (!t.comment && f.comment) t.comment = f.comment;
  if (!t.commentBefore && f.commentBefore) t.commentBefore = f.commentBefore;
  if (!footComment(to) && footComment(from)) setFootComment(to, footComment(from));
}

/** kyaml comments.CopyComments: fills missing comments from the input, field by field. */
export function copyComments(from: unknown, to: unknown): void {
  copyNodeComments(from, to);
  if (isMap(from) && isMap(to)) {
    for (const tp of to.items) {
      const fp = from.items.find((p) => keyText(p) === keyText(tp));
      if (!fp) continue;
      copyNodeComments(fp.key, tp.key);
      copyComments(fp.value, tp.value);
    }
  } else if (isSeq(from) && isSeq(to)) {
    for (let i = 0; i < from.items.length && i < to.items.length; i++) {
      if (valueText(from.items[i]) === valueText(to.items[i])) copyComments(from.items[i], to.items[i]);
    }
  }
}

/** kyaml order.SyncOrder: fields the input had come back in the input's order, new ones after. */
export function syncOrder(from: unknown, to: unknown): void {
  if (isMap(from) && isMap(to)) {
    const order = from.items.map((p) => keyText(p));
    const known = to.items.filter((p) => order.includes(keyText(p))).sort((a, b) => order.indexOf(keyText(a)) - order.indexOf(keyText(b)));
    const rest = to.items.filter((p) => !order.includes(keyText(p)));
    to.items = [...known, ...rest];
    for (const fp of from.items) {
      const tp = to.items.find((p) => keyText(p) === keyText(fp));
      if (tp) syncOrder(fp.value, tp.value);
    }
  } else if (isSeq(from) && isSeq(to)) {
    for (let i = 0; i < from.items.length && i < to.items.length; i++) syncOrder(from.items[i], to.items[i]);
  } else if (isScalar(from) || isScalar(to)) {
    return;
  }
}

export function cloneNode(node: unknown): Node | null {
  return node && typeof node === 'object' && 'clone' in node ? ((node as Node).clone() as Node) : null;
}

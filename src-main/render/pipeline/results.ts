// kpt's FunctionResultList (the --results-dir file) and the result lines kpt
// prints while a pipeline runs.
import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { FnResultItem } from '../krm-function.ts';
import { formatDocument } from '../kyaml-format.ts';
import { plainScalar } from '../yaml/go-node.ts';

export interface FunctionResult {
  image?: string;
  exec?: string;
  stderr?: string;
  exitCode: number;
  results?: FnResultItem[];
}

export interface FunctionResultList {
  apiVersion: 'kpt.dev/v1';
  kind: 'FunctionResultList';
  metadata: { name: 'fnresults' };
  exitCode: number;
  items: FunctionResult[];
}

export function newResultList(): FunctionResultList {
  return { apiVersion: 'kpt.dev/v1', kind: 'FunctionResultList', metadata: { name: 'fnresults' }, exitCode: 0, items: [] };
}

const OLD_BOOL = /^(y|Y|yes|Yes|YES|on|On|ON|n|N|no|No|NO|off|Off|OFF)$/;
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** A value as go-yaml's Marshal writes a Go value (strings quoted when they would read back otherwise). */
export function marshal(value: unknown): unknown {
  if (value === undefined || value === null) return plainScalar('null');
  if (typeof value === 'string') {
    const s = new Scalar(value);
    if (OLD_BOOL.test(value) || BASE60.test(value)) s.type = 'QUOTE_DOUBLE';
    return s;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return plainScalar(String(value));
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    seq.items = value.map(marshal);
    return seq;
  }
  const map = new YAMLMap();
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    map.items.push(new Pair(new Scalar(k), marshal(v)));
  }
  return map;
}

function orderedItem(r: FnResultItem): Record<string, unknown> {
  const ref = r.resourceRef;
  return {
    message: r.message || undefined,
    severity: r.severity || undefined,
    resourceRef: ref
      ? { apiVersion: ref.apiVersion || undefined, kind: ref.kind || undefined, name: ref.name || undefined, namespace: ref.namespace || undefined }
      : undefined,
    field: r.field ? { path: r.field.path || undefined, currentValue: r.field.currentValue, proposedValue: r.field.proposedValue } : undefined,
    file: r.file ? { path: r.file.path || undefined, index: r.file.index || undefined } : undefined,
    tags: r.tags && Object.keys(r.tags).length ? r.tags : undefined,
  };
}

/** The results file exactly as kpt writes it (kyaml encoder, wide sequences). */
export function formatResultList(list: FunctionResultList): string {
  const plain = {
    apiVersion: list.apiVersion,
    kind: list.kind,
    metadata: list.metadata,
    exitCode: list.exitCode,
    items: list.items.map((i) => ({
      image: i.image || undefined,
      exec: i.exec || undefined,
      stderr: i.stderr || undefined,
      exitCode: i.exitCode,
      results: i.results?.length ? i.results.map(orderedItem) : undefined,
    })),
  };
  const doc = new Document();
  doc.contents = marshal(plain) as YAMLMap;
  return formatDocument(doc, 'wide');
}

/** framework.Result.String(): `[severity] apiVersion/kind/namespace/name field.path: message`. */
export function resultLine(r: FnResultItem): string {
  const ref = r.resourceRef;
  const id = ref ? [ref.apiVersion, ref.kind, ref.namespace, ref.name].filter(Boolean).join('/') : '';
  let s = `[${r.severity || 'info'}]`;
  if (id) s += ` ${id}`;
  if (r.field) s += ` ${r.field.path}`;
  return `${s}: ${r.message}`;
}

const MAX_LINES = 4;

/** kpt's MultiLineFormatter with output truncated to four lines. */
export function multiLine(title: string, lines: string[], quote: boolean): string[] {
  const out = [`  ${title}:`];
  const shown = lines.slice(0, MAX_LINES);
  for (const l of shown) {
    const s = l.replace(/\n/g, ' ');
    out.push(`    ${quote ? JSON.stringify(s) : s}`);
  }
  if (lines.length > shown.length) {
    out.push(`    ...(${lines.length - shown.length} line(s) truncated, use '--truncate-output=false' to disable)`);
  }
  return out;
}

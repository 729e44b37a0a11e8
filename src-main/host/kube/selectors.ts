// Field and label selectors as the API server reads them. Field selectors
// take only `=` / `==` on the fields each kind allows (Porch refuses `!=` and
// unknown fields with these messages); label selectors take equality and the
// set-based forms (in, notin, exists, !exists).
import { badRequest } from './status.ts';

export interface FieldRequirement {
  field: string;
  value: string;
}

/** Splits on unescaped `sep`, and unescapes `\,` `\=` `\\`. */
function splitEscaped(text: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) cur += text[++i];
    else if (c === sep) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

export function parseFieldSelector(text: string | null, allowed: (field: string) => boolean): FieldRequirement[] {
  if (!text) return [];
  const out: FieldRequirement[] = [];
  for (const term of text.split(/(?<!\\),/)) {
    if (!term.trim()) continue;
    const m = /^(.*?)(!=|==|=)(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${term.slice(0, 100)}'; can't understand '${term.slice(0, 100)}'`);
    const [, rawField, op, rawValue] = m;
    const field = rawField!.trim();
    const value = splitEscaped(rawValue!, '\u0000')[0]!;
    if (op === '!=') throw badRequest(`unsupported fieldSelector operator "!=" for field "${field}"`);
    if (!value) throw badRequest(`unsupported fieldSelector value "" for field "${field}" with operator "${op === '=' ? '=' : '=='}"`);
    if (!allowed(field)) throw badRequest(`unknown fieldSelector field "${field}"`);
    out.push({ field, value });
  }
  return out;
}

export type LabelRequirement =
  { key: string; op: 'in'; values: string[] } | { key: string; op: 'notin'; values: string[] } | { key: string; op: 'exists' } | { key: string; op: '!exists' };

/** Commas split terms except inside the parentheses of `in (a,b)`. */
function labelTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of text) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      terms.push(cur);
      cur = '';
    } else cur += c;
  }
  terms.push(cur);
  return terms.map((t) => t.trim()).filter(Boolean);
}

const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

function checkKey(key: string, term: string): string {
  if (!LABEL_KEY.test(key)) throw badRequest(`unable to parse requirement: invalid label key "${key.slice(0, 100)}" in "${term.slice(0, 100)}"`);
  return key;
}

function checkValues(values: string[], term: string): string[] {
  for (const v of values)
    if (!LABEL_VALUE.test(v) || v.length > 63)
      throw badRequest(`unable to parse requirement: invalid label value "${v.slice(0, 100)}" in "${term.slice(0, 100)}"`);
  return values;
}

export function parseLabelSelector(text: string | null): LabelRequirement[] {
  if (!text) return [];
  return labelTerms(text).map((term): LabelRequirement => {
    let m = /^!\s*(\S+)$/.exec(term);
    if (m) return { key: checkKey(m[1]!, term), op: '!exists' };
    m = /^(\S+?)\s+(in|notin)\s+\((.*)\)$/.exec(term);
    if (m) {
      const values = checkValues(
        m[3]!.split(',').map((v) => v.trim()),
        term,
      );
      return { key: checkKey(m[1]!, term), op: m[2] as 'in' | 'notin', values };
    }
    m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (m) return { key: checkKey(m[1]!, term), op: m[2] === '!=' ? 'notin' : 'in', values: checkValues([m[3]!], term) };
    if (/^[^=!\s()]+$/.test(term)) return { key: checkKey(term, term), op: 'exists' };
    throw badRequest(`unable to parse requirement: found '${term.slice(0, 100)}', expected: in, notin, =, ==, !=, exists or !exists`);
  });
}

export function matchesLabels(requirements: readonly LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  return requirements.every((r) => {
    const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case '!exists':
        return !has;
      case 'in':
        return has && r.values.includes(labels![r.key]!);
      case 'notin':
        return !has || !r.values.includes(labels![r.key]!);
    }
  });
}

/** A field's value as a selector compares it: dotted path, `labels[key]` for a map entry, numbers as text. */
export function fieldValue(object: unknown, field: string): string | undefined {
  let v: unknown = object;
  for (const part of field.match(/[^.[\]]+|\[[^\]]*\]/g) ?? []) {
    if (typeof v !== 'object' || v === null) return undefined;
    const key = part.startsWith('[') ? part.slice(1, -1) : part;
    v = (v as Record<string, unknown>)[key];
  }
  return v === undefined || v === null ? undefined : String(v);
}

export function matchesFields(requirements: readonly FieldRequirement[], object: unknown): boolean {
  return requirements.every((r) => fieldValue(object, r.field) === r.value);
}

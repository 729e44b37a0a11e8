// A request body checked against its kind's schema, as the API server decodes
// it: a field of the wrong type is a 400 naming it; an unknown field is
// refused, warned about or dropped as ?fieldValidation= says (Strict, Warn, Ignore).
import { badRequest } from './status.ts';
import { type KindInfo } from './kinds.ts';
import { LIST_META, OBJECT_META, str, type Schema } from './schema.ts';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function fieldValidationOf(query: URLSearchParams): FieldValidation {
  const v = query.get('fieldValidation') ?? 'Warn';
  if (v !== 'Strict' && v !== 'Warn' && v !== 'Ignore') throw badRequest(`fieldValidation must be one of Strict, Warn or Ignore, not "${v.slice(0, 40)}"`);
  return v;
}

interface Findings {
  unknown: string[];
  wrongType: string[];
}

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function walk(s: Schema, v: unknown, path: string, out: Findings): unknown {
  const wrong = (expected: string) => void out.wrongType.push(`${path}: expected ${expected}, got ${typeName(v)}`);
  switch (s.type) {
    case 'any':
      return v;
    case 'ref':
      return walk(s.ref === 'ObjectMeta' ? OBJECT_META : LIST_META, v, path, out);
    case 'string':
      if (v === null && s.nullable) return v;
      if (typeof v !== 'string') wrong('string');
      return v;
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v)) wrong('integer');
      return v;
    case 'boolean':
      if (typeof v !== 'boolean') wrong('boolean');
      return v;
    case 'array':
      if (v === null) return v;
      if (!Array.isArray(v)) return wrong('array');
      return v.map((item, i) => walk(s.items, item, `${path}[${i}]`, out));
    case 'map':
    case 'object': {
      if (v === null) return v;
      if (typeof v !== 'object' || Array.isArray(v)) return wrong('object');
      const kept: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(v as Record<string, unknown>)) {
        const child = s.type === 'map' ? s.values : s.properties[key];
        const at = path ? `${path}.${key}` : key;
        if (!child) out.unknown.push(at);
        else kept[key] = walk(child, value, at, out);
      }
      return kept;
    }
  }
}

/**
 * The body as the server keeps it (unknown fields dropped) and the warnings
 * to send; throws 400 for a field of the wrong type, and for unknown fields under Strict.
 */
export function checkBody(kind: KindInfo, body: unknown, mode: FieldValidation): { object: Record<string, unknown>; warnings: string[] } {
  const schema: Schema = { type: 'object', properties: { apiVersion: str(), kind: str(), metadata: { type: 'ref', ref: 'ObjectMeta' }, ...kind.fields } };
  const cannot = `${kind.kind} in version "${kind.version}" cannot be handled as a ${kind.kind}`;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest(`${cannot}: the body must be a JSON object`);
  const out: Findings = { unknown: [], wrongType: [] };
  const object = walk(schema, body, '', out) as Record<string, unknown>;
  if (out.wrongType.length) throw badRequest(`${cannot}: ${out.wrongType.slice(0, 10).join('; ')}`);
  const unknown = out.unknown.map((f) => `unknown field "${f}"`);
  if (unknown.length && mode === 'Strict') throw badRequest(`strict decoding error: ${unknown.join(', ')}`);
  return { object, warnings: mode === 'Warn' ? unknown : [] };
}

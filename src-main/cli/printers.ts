// Output as kubectl prints it for porchctl: tab-aligned tables (3 spaces of
// padding), custom-columns with JSONPath, and -o json|yaml with sorted keys.
import { JSONPath } from 'jsonpath-plus';
import YAML from 'yaml';
import { invalidArgument } from '../../src-shared/errors.ts';

/** kubectl's tabwriter: each cell padded to (widest + 3), at least 6; the last column unpadded. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(6, 3 + Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('');
  return [header, ...rows].map(line).join('\n') + '\n';
}

export interface Column {
  header: string;
  path: string;
}

/** Parses `custom-columns=NAME:.metadata.name,REPO:.spec.repository`. */
export function parseCustomColumns(spec: string): Column[] {
  const columns = spec.split(',').map((part) => {
    const i = part.indexOf(':');
    if (i <= 0 || i === part.length - 1) {
      throw invalidArgument(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    }
    return { header: part.slice(0, i), path: part.slice(i + 1) };
  });
  return columns;
}

function evaluate(path: string, obj: unknown): string {
  const expr = path.replace(/^\{(.*)\}$/, '$1');
  const jsonPath = expr.startsWith('$') ? expr : `$${expr.startsWith('.') || expr.startsWith('[') ? '' : '.'}${expr}`;
  const values = JSONPath({ path: jsonPath, json: obj as object, wrap: true }) as unknown[];
  if (values.length === 0 || values.every((v) => v === undefined || v === null)) return '<none>';
  return values.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(',');
}

/** With -A kubectl puts a NAMESPACE column first. */
export function withNamespaceColumn(table: { header: string[]; rows: string[][] }, namespaces: readonly string[]): { header: string[]; rows: string[][] } {
  return { header: ['NAMESPACE', ...table.header], rows: table.rows.map((r, i) => [namespaces[i] ?? '', ...r]) };
}

export function formatCustomColumns(columns: readonly Column[], objects: readonly unknown[]): string {
  return formatTable(
    columns.map((c) => c.header),
    objects.map((o) => columns.map((c) => evaluate(c.path, o))),
  );
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function formatJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 4) + '\n';
}

/** YAML 1.1 quoting, as Go's encoders quote: "2022-04-16T03:47:51Z", "on", "0755" stay strings for every reader. */
/** Whether a plain scalar with this text would read back as something other than a string. */
function readsAsNonString(text: string): boolean {
  try {
    return typeof YAML.parse(text, { version: '1.1' }) !== 'string';
  } catch {
    return false;
  }
}

/**
 * YAML as Go's yaml encoder (porchctl, kpt) writes it: sorted keys, sequences
 * not indented, and quoting chosen the same way: a string that would read as
 * another type ("0", "True", "") double-quoted, one that needs quoting for
 * its characters ('|Namespace|default|x') single-quoted.
 */
export function formatYaml(value: unknown): string {
  const doc = new YAML.Document(sortKeys(value), { version: '1.1' });
  YAML.visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && readsAsNonString(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ indentSeq: false, lineWidth: 0, singleQuote: true });
}

/** kubectl's -o jsonpath=TEMPLATE: text with {expressions}, several results joined by spaces. */
export function formatJsonPathTemplate(template: string, obj: unknown): string {
  return template.replace(/\{([^{}]*)\}/g, (_m, expr: string) => {
    const e = expr.trim();
    const jsonPath = e.startsWith('$') ? e : `$${e.startsWith('.') || e.startsWith('[') ? '' : '.'}${e}`;
    const values = JSONPath({ path: jsonPath, json: obj as object, wrap: true }) as unknown[];
    return values
      .filter((v) => v !== undefined && v !== null)
      .map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)))
      .join(' ');
  });
}

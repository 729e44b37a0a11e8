// `-o` / `--output` as kubectl reads it: json, yaml, wide, custom-columns=...
import { invalidArgument } from '../../src-shared/errors.ts';
import { formatCustomColumns, formatJson, formatJsonPathTemplate, formatTable, formatYaml, parseCustomColumns } from './printers.ts';

export type OutputFormat =
  { kind: 'table' } | { kind: 'json' } | { kind: 'yaml' } | { kind: 'custom-columns'; spec: string } | { kind: 'jsonpath'; template: string };

/** `--no-headers`: tables and custom columns without their header line, as kubectl prints them. */
export function withoutHeader(text: string, noHeaders: boolean | undefined): string {
  return noHeaders && text ? text.slice(text.indexOf('\n') + 1) : text;
}

export function parseOutputFormat(raw: string | undefined): OutputFormat {
  // `-o=json` (kubectl accepts it) reaches here as "=json".
  const value = raw?.startsWith('=') ? raw.slice(1) : raw;
  if (value === undefined || value === '' || value === 'wide') return { kind: 'table' };
  if (value === 'json' || value === 'yaml') return { kind: value };
  if (value.startsWith('custom-columns=')) return { kind: 'custom-columns', spec: value.slice('custom-columns='.length) };
  if (value.startsWith('jsonpath=')) return { kind: 'jsonpath', template: value.slice('jsonpath='.length) };
  throw invalidArgument(`unable to match a printer suitable for the output format "${value}", allowed formats are: custom-columns,json,jsonpath,wide,yaml`);
}

/**
 * Prints objects in the chosen format; `table` is the command's own table.
 * porchctl prints each object on its own (JSON objects one after another, YAML
 * documents separated by ---), not wrapped in a List as kubectl get would.
 */
export function render(format: OutputFormat, objects: readonly object[], table: () => { header: string[]; rows: string[][] }): string {
  switch (format.kind) {
    case 'json':
      return objects.map(formatJson).join('');
    case 'yaml':
      return objects.map(formatYaml).join('---\n');
    case 'jsonpath':
      return objects.map((o) => `${formatJsonPathTemplate(format.template, o)}\n`).join('');
    case 'custom-columns':
      return objects.length ? formatCustomColumns(parseCustomColumns(format.spec), objects) : '';
    case 'table': {
      if (!objects.length) return '';
      const t = table();
      return formatTable(t.header, t.rows);
    }
  }
}

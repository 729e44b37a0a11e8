// create-setters (krm-functions-catalog): marks fields whose values contain
// the config's values with `# kpt-set:` comments (scalars by substring,
// sequences when all values match). Built on kyaml's early fn/framework.
import { isScalar, isSeq, type Document } from 'yaml';
import type { BuiltinFunction, FnResultItem } from '../krm-function.ts';
import { keyText } from '../krm/fields.ts';
import { getAnnotation } from '../krm/resource.ts';
import { parseYamlDocument } from '../yaml/parse-document.ts';
import { scalarText } from '../yaml/go-node.ts';
import { configView } from './config.ts';
import { walkSetters } from './setter-comments.ts';

interface Setters {
  scalars: { name: string; value: string }[];
  arrays: { name: string; values: string[] }[];
}

export class CreateSettersError extends Error {}

const byteSort = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function decodeCreateSetters(fc: Document | undefined): Setters {
  const data = configView(fc)?.stringMap('data') ?? {};
  if (Object.keys(data).length === 0) throw new CreateSettersError('config map cannot be empty');
  const out: Setters = { scalars: [], arrays: [] };
  for (const [name, value] of Object.entries(data)) {
    let parsed;
    try {
      parsed = parseYamlDocument(value);
    } catch {
      throw new CreateSettersError('parsing error');
    }
    const node = parsed?.contents ?? null;
    if (isSeq(node)) out.arrays.push({ name, values: node.items.map((i) => (isScalar(i) ? scalarText(i) : '')).sort(byteSort) });
    else if (node === null || isScalar(node)) out.scalars.push({ name, value });
  }
  out.scalars.sort((a, b) => b.value.length - a.value.length);
  return out;
}

/** Go's strings.Replacer: left to right, the first pattern (in argument order) that matches wins. */
function replaceAll(text: string, pairs: [string, string][]): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const hit = pairs.find(([from]) => from !== '' && text.startsWith(from, i));
    if (hit) {
      out += hit[1];
      i += hit[0].length;
    } else {
      out += text[i];
      i++;
    }
  }
  return out;
}

interface Created {
  filePath: string;
  fieldPath: string;
  value: string;
  comment: string;
}

export function createSettersIn(items: Document[], setters: Setters): Created[] {
  const results: Created[] = [];
  const pairs = setters.scalars.map((s): [string, string] => [s.value, `\${${s.name}}`]);
  for (const doc of items) {
    const filePath = getAnnotation(doc, 'internal.config.kubernetes.io/path') ?? getAnnotation(doc, 'config.kubernetes.io/path') ?? '';
    walkSetters(doc, {
      mapping(map, path) {
        for (const pair of map.items) {
          const value = pair.value;
          if (!pair.key || !isSeq(value)) continue;
          const fieldPath = `${path}.${keyText(pair)}`.replace(/^\./, '');
          const values = value.items.map((i) => (isScalar(i) ? scalarText(i) : '')).sort(byteSort);
          let target: { comment?: string | null } = value;
          let targetIsFlowValue = !!value.flow;
          if (value.flow) {
            if (values.some((v) => setters.scalars.some((s) => v.includes(s.value)))) {
              value.flow = false;
              target = pair.key as typeof target;
              targetIsFlowValue = false;
            }
          } else {
            target = pair.key as typeof target;
          }
          const match = setters.arrays.find((a) => a.values.length === values.length && a.values.every((v, i) => v === values[i]));
          if (!match) continue;
          if (targetIsFlowValue && values.length > 0) {
            value.flow = false;
            target = pair.key as typeof target;
          }
          target.comment = `kpt-set: \${${match.name}}`;
          results.push({ filePath, fieldPath, value: `[${values.join(' ')}]`, comment: target.comment });
        }
      },
      scalar(node, path) {
        const text = scalarText(node);
        if (text.includes('\n')) return;
        const replaced = replaceAll(text, pairs);
        if (replaced === text) return;
        node.comment = `kpt-set: ${replaced}`;
        results.push({ filePath, fieldPath: path.replace(/^\./, ''), value: text, comment: node.comment });
      },
    });
  }
  return results;
}

export const createSetters: BuiltinFunction = ({ items, functionConfig }) => {
  try {
    const created = createSettersIn(items, decodeCreateSetters(functionConfig));
    if (!created.length) throw new CreateSettersError('no matches for the input list of setters');
    const results: FnResultItem[] = created.map((r) => ({
      message: `Added line comment ${JSON.stringify(r.comment)} for field with value ${JSON.stringify(r.value)}`,
      field: { path: r.fieldPath },
      file: { path: r.filePath },
    }));
    return { items, results };
  } catch (e) {
    if (!(e instanceof CreateSettersError)) throw e;
    return { items, results: [{ message: `failed to create setters: ${e.message}`, severity: 'error' }], exitCode: 1, stderr: e.message };
  }
};

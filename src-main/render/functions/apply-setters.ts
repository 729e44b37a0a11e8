// apply-setters (krm-functions-catalog): values from the config's `data` go
// into fields marked `# kpt-set: ${name}` (scalars by pattern, sequences
// whole). Built on kyaml's early fn/framework.
import { isSeq, type Document } from 'yaml';
import type { BuiltinFunction, FnResultItem } from '../krm-function.ts';
import { keyText } from '../krm/fields.ts';
import { getAnnotation } from '../krm/resource.ts';
import { parseYamlDocument } from '../yaml/parse-document.ts';
import { scalarText, setUntaggedText } from '../yaml/go-node.ts';
import { configView } from './config.ts';
import { cleanRef, currentSetterValues, setterPattern, setterRefs, walkSetters } from './setter-comments.ts';

interface Setter {
  name: string;
  value: string;
}

interface SetResult {
  filePath: string;
  fieldPath: string;
  value: string;
}

export class SetterError extends Error {}

const goQuote = (s: string): string => JSON.stringify(s);

/** Applies setters to resources; the catalog's ApplySetters filter. */
export function applySettersTo(items: Document[], setters: Setter[]): SetResult[] {
  const results: SetResult[] = [];
  const shouldSet = (pattern: string): boolean => setters.some((s) => pattern.includes(`\${${s.name}}`));
  for (const doc of items) {
    const filePath = getAnnotation(doc, 'internal.config.kubernetes.io/path') ?? getAnnotation(doc, 'config.kubernetes.io/path') ?? '';
    walkSetters(doc, {
      mapping(map, path) {
        for (const pair of map.items) {
          const key = pair.key as { comment?: string | null } | null;
          const value = pair.value;
          if (!key || !isSeq(value)) continue;
          const lineComment = value.flow ? value.comment : key.comment;
          const pattern = setterPattern(lineComment);
          if (!pattern || !shouldSet(pattern)) continue;
          if (!(setterRefs(pattern).length === 1 && pattern.startsWith('${') && pattern.endsWith('}'))) {
            throw new SetterError(`invalid setter pattern for array node: ${goQuote(pattern)}`);
          }
          const sv = setters.find((s) => s.name === cleanRef(pattern))?.value ?? '';
          const fieldPath = `${path}.${keyText(pair)}`.replace(/^\./, '');
          if (sv === '') {
            value.items = [];
            value.flow = true;
            value.comment = lineComment;
            key.comment = null;
            results.push({ filePath, fieldPath, value: sv });
            continue;
          }
          let parsed;
          try {
            parsed = parseYamlDocument(sv);
          } catch {
            parsed = null;
          }
          if (!parsed || !isSeq(parsed.contents)) throw new SetterError(`input to array setter must be an array of values, but found ${goQuote(sv)}`);
          value.items = parsed.contents.items;
          key.comment = lineComment;
          value.flow = false;
          results.push({ filePath, fieldPath, value: sv });
        }
      },
      scalar(node, path) {
        const current = setterPattern(node.comment);
        if (!current || !shouldSet(current)) return;
        let pattern = current;
        for (const s of setters) pattern = pattern.split(`\${${s.name}}`).join(s.value);
        for (const [name, v] of currentSetterValues(current, scalarText(node))) pattern = pattern.split(`\${${name}}`).join(v);
        const unresolved = setterRefs(pattern);
        if (unresolved.length) throw new SetterError(`values for setters [${unresolved.join(' ')}] must be provided`);
        setUntaggedText(node, pattern);
        if (pattern === '') node.type = 'QUOTE_DOUBLE';
        results.push({ filePath, fieldPath: path.replace(/^\./, ''), value: pattern });
      },
    });
  }
  return results;
}

export function settersFromConfig(fc: Document | undefined): Setter[] {
  const data = configView(fc)?.stringMap('data') ?? {};
  return Object.entries(data).map(([name, value]) => ({ name, value }));
}

export const applySetters: BuiltinFunction = ({ items, functionConfig }) => {
  let results: SetResult[];
  try {
    results = applySettersTo(items, settersFromConfig(functionConfig));
  } catch (e) {
    if (!(e instanceof SetterError)) throw e;
    const message = `failed to apply setters: ${e.message}`;
    return { items, results: [{ message, severity: 'error' }], exitCode: 1, stderr: e.message };
  }
  const out: FnResultItem[] = results.length
    ? results.map((r) => ({ message: `set field value to ${goQuote(r.value)}`, field: { path: r.fieldPath }, file: { path: r.filePath } }))
    : [{ message: 'no matches for input setter(s)' }];
  return { items, results: out };
};

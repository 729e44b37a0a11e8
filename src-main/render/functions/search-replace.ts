// search-replace (krm-functions-catalog): finds fields by path pattern,
// value or value regex, optionally in files matching a glob, and puts a
// value or a comment there. Built on kyaml's early fn/framework.
import { Document, isSeq, type Node, type Scalar } from 'yaml';
import type { BuiltinFunction, FnResultItem } from '../krm-function.ts';
import { ensureMapPath, keyText, setField } from '../krm/fields.ts';
import { getAnnotation, rootMap } from '../krm/resource.ts';
import { formatDocument } from '../kyaml-format.ts';
import { plainScalar, scalarText, setUntaggedText } from '../yaml/go-node.ts';
import { configView } from './config.ts';
import { globMatch } from './glob.ts';
import { walkSetters } from './setter-comments.ts';

const MATCHERS = ['by-value', 'by-file-path', 'by-value-regex', 'by-path', 'put-value', 'put-comment'];

export interface SearchReplaceConfig {
  byValue: string;
  byValueRegex: string;
  byPath: string;
  byFilePath: string;
  putValue: string;
  putComment: string;
}

export interface SearchResult {
  filePath: string;
  fieldPath: string;
  value: string;
}

export class SearchReplaceError extends Error {}

const goQuoteList = (xs: string[]): string => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;

export function decodeSearchReplace(fc: Document | undefined): SearchReplaceConfig {
  const dm = configView(fc)?.stringMap('data') ?? {};
  for (const k of Object.keys(dm))
    if (!MATCHERS.includes(k)) throw new SearchReplaceError(`invalid matcher ${JSON.stringify(k)}, must be one of ${goQuoteList(MATCHERS)}`);
  return {
    byPath: dm['by-path'] ?? '',
    byValue: dm['by-value'] ?? '',
    byValueRegex: dm['by-value-regex'] ?? '',
    putValue: dm['put-value'] ?? '',
    putComment: dm['put-comment'] ?? '',
    byFilePath: dm['by-file-path'] ?? '',
  };
}

function elementMatch(elem: string, pattern: string): boolean {
  if (elem === pattern) return true;
  if (!elem.includes('[')) return false;
  const e = elem.split('[');
  const p = pattern.split('[');
  if (p[0] !== '*' && e[0] !== p[0]) return false;
  return p.length > 1 && (p[1] === '*]' || e[1] === p[1]);
}

/** The catalog's backTrackMatch: `*` one path element, `**` any number. */
export function pathMatch(byPath: string, yamlPath: string): boolean {
  if (!byPath) return false;
  const pat = byPath.split('.');
  const el = yamlPath.replace(/^\./, '').split('.');
  const dp = Array.from({ length: el.length + 1 }, () => new Array<boolean>(pat.length + 1).fill(false));
  dp[0]![0] = true;
  for (let j = 1; j <= pat.length; j++) if (pat[j - 1] === '**') dp[0]![j] = dp[0]![j - 1]!;
  for (let i = 1; i <= el.length; i++) {
    for (let j = 1; j <= pat.length; j++) {
      if (pat[j - 1] === '**') dp[i]![j] = dp[i]![j - 1]! || dp[i - 1]![j]!;
      else if (pat[j - 1] === '*' || elementMatch(el[i - 1]!, pat[j - 1]!)) dp[i]![j] = dp[i - 1]![j - 1]!;
    }
  }
  return dp[el.length]![pat.length]!;
}

function resolvePattern(value: string, valueRegex: string, pattern: string): string {
  if (!valueRegex) return pattern;
  const groups = new RegExp(valueRegex).exec(value) ?? [];
  let res = pattern;
  for (let i = 1; i < groups.length; i++) res = res.split(`\${${i}}`).join(groups[i] ?? '');
  if (/\$\{[0-9]+\}/.test(res)) throw new SearchReplaceError('unable to resolve capture groups');
  return res;
}

/** kyaml's yaml.String(node), trimmed: how the catalog prints a value in its results. */
function nodeString(node: Node): string {
  const doc = new Document();
  doc.contents = node;
  return formatDocument(doc).trim();
}

const isAbsPath = (p: string): boolean => p.split('.').every((e) => e !== '' && !e.includes('*'));

export function searchReplaceIn(items: Document[], sr: SearchReplaceConfig): { results: SearchResult[]; count: number } {
  if (sr.byValue && sr.byValueRegex) throw new SearchReplaceError('only one of ["by-value", "by-value-regex"] can be provided');
  const regex = sr.byValueRegex ? new RegExp(sr.byValueRegex) : undefined;
  const results: SearchResult[] = [];
  let count = 0;
  for (const doc of items) {
    const filePath = getAnnotation(doc, 'internal.config.kubernetes.io/path') ?? getAnnotation(doc, 'config.kubernetes.io/path') ?? '';
    if (sr.byFilePath && !globMatch(sr.byFilePath, filePath)) continue;
    const root = rootMap(doc);
    if (isAbsPath(sr.byPath) && !sr.byPath.includes('[') && !sr.byValue && !sr.byValueRegex && sr.putValue && root) {
      const path = sr.byPath.split('.');
      setField(ensureMapPath(root, path.slice(0, -1)), path[path.length - 1]!, plainScalar(sr.putValue));
      results.push({ filePath, fieldPath: sr.byPath, value: sr.putValue });
      count++;
      continue;
    }
    walkSetters(doc, {
      mapping(map, path) {
        if (!sr.putComment) return;
        for (const pair of map.items) {
          if (!isSeq(pair.value)) continue;
          if (!pathMatch(sr.byPath, `${path}.${keyText(pair).trim()}`.replace(/^\./, ''))) continue;
          (pair.key as Scalar).comment = sr.putComment;
          pair.value.flow = true;
          const val = nodeString(pair.value);
          pair.value.flow = false;
          results.push({ filePath, fieldPath: `${sr.byPath} # ${sr.putComment}`, value: val });
          count++;
        }
      },
      scalar(node, path) {
        const text = scalarText(node);
        const pm = pathMatch(sr.byPath, path);
        const vm = (!!sr.byValue && sr.byValue === text) || (!!regex && regex.test(text));
        if (!((vm && pm) || (vm && !sr.byPath) || (pm && !sr.byValue && !sr.byValueRegex))) return;
        count++;
        if (sr.putComment) node.comment = resolvePattern(text, sr.byValueRegex, sr.putComment);
        if (sr.putValue) setUntaggedText(node, resolvePattern(text, sr.byValueRegex, sr.putValue));
        if (filePath) results.push({ filePath, fieldPath: path.replace(/^\./, ''), value: nodeString(node) });
      },
    });
  }
  return { results, count };
}

export const searchReplace: BuiltinFunction = ({ items, functionConfig }) => {
  let cfg: SearchReplaceConfig;
  let outcome: { results: SearchResult[]; count: number };
  try {
    cfg = decodeSearchReplace(functionConfig);
    outcome = searchReplaceIn(items, cfg);
  } catch (e) {
    const message = e instanceof SearchReplaceError ? e.message : (e as Error).message;
    return {
      items,
      results: [{ message: `failed to perform search-replace operation: ${JSON.stringify(message)}`, severity: 'error' }],
      exitCode: 1,
      stderr: message,
    };
  }
  const mutate = !!(cfg.putComment || cfg.putValue);
  const results: FnResultItem[] = outcome.results.length
    ? outcome.results.map((r) => ({
        message: mutate ? `Mutated field value to ${JSON.stringify(r.value)}` : `Matched field value ${JSON.stringify(r.value)}`,
        field: { path: r.fieldPath },
        file: { path: r.filePath },
      }))
    : [{ message: 'no matches' }];
  return { items, results };
};

// KRM functions Porchlight runs itself, so a package whose pipeline uses only
// these renders on a laptop with no container runtime. Each mirrors the
// catalog function of the same name; anything else is reported as not run.
import YAML, { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { FunctionResult, ResultItem } from '../../src-shared/views.ts';

export type { FunctionResult, ResultItem };

export interface FunctionInput {
  /** Parsed resources, by file, in file order; functions edit them in place. */
  resources: { path: string; docs: Document[] }[];
  config: Record<string, string>;
}

type Builtin = (input: FunctionInput) => ResultItem[];

const KPT_SET = /kpt-set:\s*(\S.*)$/;

/**
 * apply-setters: every field whose line comment is `# kpt-set: <pattern>`
 * gets the pattern with each `${setter}` replaced by the setter's value, when
 * every setter it names is given.
 */
const applySetters: Builtin = ({ resources, config }) => {
  const items: ResultItem[] = [];
  const visit = (node: Node | null | undefined, path: string[]) => {
    if (isMap(node)) for (const p of node.items) visit(p.value as Node, [...path, String((p.key as { value?: unknown })?.value ?? p.key)]);
    else if (isSeq(node)) node.items.forEach((n, i) => visit(n as Node, [...path, String(i)]));
    else if (isScalar(node) && node.comment) {
      const m = KPT_SET.exec(node.comment.trim());
      if (!m) return;
      const pattern = m[1]!.trim();
      const names = [...pattern.matchAll(/\$\{([^}]+)\}/g)].map((x) => x[1]!);
      if (!names.length || names.some((n) => !(n in config))) return;
      const value = pattern.replace(/\$\{([^}]+)\}/g, (_x, n: string) => config[n]!);
      node.value = value;
      items.push({ severity: 'info', field: path.join('.'), message: `set field value to "${value}"` });
    }
  };
  for (const r of resources) for (const d of r.docs) visit(d.contents as Node, []);
  return items;
};

const BUILTINS: Record<string, Builtin> = { 'apply-setters': applySetters };

/** `apply-setters:v0.2` as kpt expands it: the catalog's registry in front of a bare name. */
export function fullImage(image: string): string {
  return image.includes('/') ? image : `ghcr.io/kptdev/krm-functions-catalog/${image}`;
}

export function builtinFor(image: string): Builtin | undefined {
  const base = fullImage(image).split('/').pop()!.split(/[:@]/)[0]!;
  return BUILTINS[base];
}

/** A function's config: a ConfigMap file named by configPath, or an inline configMap. */
export function functionConfig(fn: Record<string, unknown>, readFile: (p: string) => string | undefined): Record<string, string> {
  const inline = fn.configMap as Record<string, unknown> | undefined;
  if (inline) return Object.fromEntries(Object.entries(inline).map(([k, v]) => [k, String(v)]));
  const configPath = fn.configPath as string | undefined;
  if (!configPath) return {};
  const text = readFile(configPath);
  const data = text ? ((YAML.parse(text) as { data?: Record<string, unknown> } | null)?.data ?? {}) : {};
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, String(v)]));
}

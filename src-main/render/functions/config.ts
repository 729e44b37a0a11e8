// Reading a function's config document: its identity, string fields and
// string maps, and the SDK's "config object" result for a bad config.
import { isMap, isScalar, type Document } from 'yaml';
import type { FnResultItem } from '../krm-function.ts';
import { getField, keyText, valueText } from '../krm/fields.ts';
import { getAnnotation, resourceMeta, rootMap } from '../krm/resource.ts';

export interface ConfigView {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  root: ReturnType<typeof rootMap>;
  string(field: string): string;
  stringMap(field: string): Record<string, string>;
  js(): Record<string, unknown>;
}

/** undefined when the function got no config (kpt sends none). */
export function configView(doc: Document | undefined): ConfigView | undefined {
  const root = doc ? rootMap(doc) : undefined;
  if (!doc || !root || root.items.length === 0) return undefined;
  const m = resourceMeta(doc);
  return {
    ...m,
    root,
    string: (field) => valueText(getField(root, field)),
    stringMap: (field) => {
      const map = getField(root, field);
      const out: Record<string, string> = {};
      if (isMap(map)) for (const p of map.items) out[keyText(p)] = isScalar(p.value) ? valueText(p.value) : '';
      return out;
    },
    js: () => (doc.toJS() ?? {}) as Record<string, unknown>,
  };
}

/** fn.ConfigObjectResult: an error pointing at the config object (index -1 when it has none). */
export function configObjectResult(message: string, doc: Document | undefined): FnResultItem {
  const m = doc ? resourceMeta(doc) : { apiVersion: '', kind: '', name: '', namespace: '' };
  const index = doc ? getAnnotation(doc, 'internal.config.kubernetes.io/index') : undefined;
  return {
    message,
    severity: 'error',
    resourceRef: { apiVersion: m.apiVersion, kind: m.kind, name: m.name, namespace: m.namespace },
    file: { path: (doc && getAnnotation(doc, 'internal.config.kubernetes.io/path')) || '', index: index ? Number.parseInt(index, 10) : -1 },
  };
}

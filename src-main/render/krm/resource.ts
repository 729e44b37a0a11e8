// A resource's identity and metadata maps, read and written with kyaml's
// semantics (AnnotationSetter, LabelSetter, AnnotationClearer,
// ClearEmptyAnnotations) because their side effects show in kpt's output.
import { isMap, isScalar, type Document, type YAMLMap } from 'yaml';
import { stringScalar } from '../yaml/go-node.ts';
import { clearField, ensureMapPath, getField, keyText, setField, valueText, type MapNode } from './fields.ts';

export interface ResourceMeta {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
}

export function rootMap(doc: Document): MapNode | undefined {
  return isMap(doc.contents) ? (doc.contents as MapNode) : undefined;
}

export function resourceMeta(doc: Document): ResourceMeta {
  const root = rootMap(doc);
  const metadata = getField(root, 'metadata');
  return {
    apiVersion: valueText(getField(root, 'apiVersion')),
    kind: valueText(getField(root, 'kind')),
    name: valueText(getField(metadata, 'name')),
    namespace: valueText(getField(metadata, 'namespace')),
  };
}

/** metadata.annotations or metadata.labels as strings (kyaml's GetMeta view). */
export function metaMap(doc: Document, field: 'annotations' | 'labels'): Record<string, string> {
  const map = getField(getField(rootMap(doc), 'metadata'), field);
  const out: Record<string, string> = {};
  if (!isMap(map)) return out;
  for (const pair of map.items) out[keyText(pair)] = valueText(pair.value);
  return out;
}

export function getAnnotation(doc: Document, key: string): string | undefined {
  const map = getField(getField(rootMap(doc), 'metadata'), 'annotations');
  const v = getField(map, key);
  return isScalar(v) ? valueText(v) : undefined;
}

/** kyaml ClearEmptyAnnotations: drops an empty `annotations`, then an empty `metadata`. */
export function clearEmptyAnnotations(doc: Document): void {
  const root = rootMap(doc);
  if (!root) return;
  clearField(getField(root, 'metadata'), 'annotations', true);
  clearField(root, 'metadata', true);
}

/** kyaml AnnotationSetter: a single-quoted string, after clearing empty annotations. */
export function setAnnotation(doc: Document, key: string, value: string): void {
  const root = rootMap(doc);
  if (!root) return;
  clearEmptyAnnotations(doc);
  setField(ensureMapPath(root, ['metadata', 'annotations']), key, stringScalar(value, 'single'));
}

/** kyaml LabelSetter: a single-quoted string. */
export function setLabel(doc: Document, key: string, value: string): void {
  const root = rootMap(doc);
  if (!root) return;
  setField(ensureMapPath(root, ['metadata', 'labels']), key, stringScalar(value, 'single'));
}

export function clearAnnotation(doc: Document, key: string): void {
  const annotations = getField(getField(rootMap(doc), 'metadata'), 'annotations');
  clearField(annotations as YAMLMap | undefined, key);
}

// upsert-resource (krm-functions-catalog): the function config (or each item
// of a List config) replaces the resource with the same group, kind, name and
// namespace, keeping that resource's file position, or is added as a new
// resource (at `config.kubernetes.io/target-path` when given).
import { Document, isMap, isSeq, Pair, Scalar, YAMLMap, type Node } from 'yaml';
import type { BuiltinFunction } from '../krm-function.ts';
import { clearField, ensureMapPath, getField } from '../krm/fields.ts';
import { metaMap, resourceMeta, rootMap } from '../krm/resource.ts';
import { parseGroupVersion } from '../krm/field-spec.ts';
import { kyamlFailure } from './kyaml-framework.ts';

const TARGET_PATH = 'config.kubernetes.io/target-path';
const PATH = 'internal.config.kubernetes.io/path';
const INDEX = 'internal.config.kubernetes.io/index';
const FN_ANNOTATIONS = ['config.kubernetes.io/function', 'config.k8s.io/function'];

function asDoc(node: Node): Document.Parsed {
  const d = new Document() as Document.Parsed;
  d.contents = node as Document.Parsed['contents'];
  return d;
}

/** kyaml RNode.SetAnnotations: the map rebuilt at the end of metadata, keys sorted, plain strings. */
export function replaceAnnotations(doc: Document, annotations: Record<string, string>): void {
  const root = rootMap(doc);
  if (!root) return;
  const metadata = ensureMapPath(root, ['metadata']);
  clearField(metadata, 'annotations');
  const keys = Object.keys(annotations).sort();
  if (!keys.length) return;
  const map = new YAMLMap<unknown, unknown>();
  for (const k of keys) {
    const v = new Scalar(annotations[k]!);
    if (annotations[k]!.includes('\n')) v.type = 'BLOCK_LITERAL';
    map.items.push(new Pair(new Scalar(k), v));
  }
  metadata.items.push(new Pair(new Scalar('annotations'), map));
}

function isFunctionConfig(doc: Document): boolean {
  const a = metaMap(doc, 'annotations');
  return FN_ANNOTATIONS.some((k) => !!a[k]);
}

function sameResource(input: Document, target: Document): boolean {
  const a = resourceMeta(input);
  const b = resourceMeta(target);
  const path = metaMap(input, 'annotations')[TARGET_PATH] ?? '';
  return (
    parseGroupVersion(a.apiVersion).group === parseGroupVersion(b.apiVersion).group &&
    a.kind === b.kind &&
    a.name === b.name &&
    a.namespace === b.namespace &&
    (path === '' || path === (metaMap(target, 'annotations')[PATH] ?? ''))
  );
}

function unwrap(config: Document): Document[] {
  if (resourceMeta(config).kind !== 'List') return [config];
  const items = getField(rootMap(config), 'items');
  return isSeq(items) ? items.items.filter((i) => isMap(i)).map((i) => asDoc(i as Node)) : [];
}

export function upsertResources(items: Document[], config: Document): Document[] {
  let nodes = [...items];
  for (const input of unwrap(config)) {
    let replaced = false;
    const inputAnn = metaMap(input, 'annotations');
    nodes = nodes.map((target) => {
      if (isFunctionConfig(target) || !sameResource(input, target)) return target;
      replaced = true;
      const matched = metaMap(target, 'annotations');
      const copy = asDoc((input.contents as Node).clone() as Node);
      const combined: Record<string, string> = { ...inputAnn, [PATH]: matched[PATH] ?? '', [INDEX]: matched[INDEX] ?? '' };
      for (const k of [...FN_ANNOTATIONS, TARGET_PATH]) delete combined[k];
      replaceAnnotations(copy, combined);
      return copy;
    });
    if (replaced) continue;
    const copy = asDoc((input.contents as Node).clone() as Node);
    const ann: Record<string, string> = { ...inputAnn };
    for (const k of [...FN_ANNOTATIONS, PATH, INDEX]) delete ann[k];
    if (inputAnn[TARGET_PATH]) ann[PATH] = inputAnn[TARGET_PATH]!;
    delete ann[TARGET_PATH];
    replaceAnnotations(copy, ann);
    nodes.push(copy);
  }
  return nodes;
}

export const upsertResource: BuiltinFunction = ({ items, functionConfig }) => {
  if (!functionConfig || !rootMap(functionConfig)) return kyamlFailure('failed to upsert resource: missing Resource metadata');
  return { items: upsertResources(items, functionConfig) as Document.Parsed[], results: [] };
};

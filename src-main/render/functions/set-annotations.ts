// set-annotations (krm-functions-catalog): kustomize's annotations
// transformer over metadata.annotations, the pod templates kustomize knows
// and any additionalAnnotationFields, reporting each map it set.
import { isMap, Scalar, type Document } from 'yaml';
import type { BuiltinFunction, FnResultItem } from '../krm-function.ts';
import { setField, type MapNode } from '../krm/fields.ts';
import { getAnnotation } from '../krm/resource.ts';
import { applyFieldSpec, type FieldSpec } from '../krm/field-spec.ts';
import { configView } from './config.ts';
import { kyamlFailure, sortFrameworkResults } from './kyaml-framework.ts';

/** kustomize's default commonAnnotations field specs. */
export const COMMON_ANNOTATIONS: FieldSpec[] = [
  { path: 'metadata/annotations', create: true },
  { path: 'spec/template/metadata/annotations', create: true, version: 'v1', kind: 'ReplicationController' },
  { path: 'spec/template/metadata/annotations', create: true, kind: 'Deployment' },
  { path: 'spec/template/metadata/annotations', create: true, kind: 'ReplicaSet' },
  { path: 'spec/template/metadata/annotations', create: true, kind: 'DaemonSet' },
  { path: 'spec/template/metadata/annotations', create: true, kind: 'StatefulSet' },
  { path: 'spec/template/metadata/annotations', create: true, group: 'batch', kind: 'Job' },
  { path: 'spec/jobTemplate/metadata/annotations', create: true, group: 'batch', kind: 'CronJob' },
  { path: 'spec/jobTemplate/spec/template/metadata/annotations', create: true, group: 'batch', kind: 'CronJob' },
];

export interface AnnotationsConfig {
  annotations: Record<string, string>;
  fields: FieldSpec[];
}

function fieldSpecs(v: unknown): FieldSpec[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new Error('failed to unmarshal config: fieldSpecs must be a list');
  return v.map((f: Record<string, unknown>) => ({
    group: f?.group as string | undefined,
    version: f?.version as string | undefined,
    kind: f?.kind as string | undefined,
    path: String(f?.path ?? ''),
    create: f?.create === true,
  }));
}

export function readAnnotationsConfig(fc: Document | undefined): AnnotationsConfig {
  const c = configView(fc);
  let annotations: Record<string, string>;
  let fields: FieldSpec[] = [];
  if (c && c.apiVersion === 'v1' && c.kind === 'ConfigMap') {
    annotations = c.stringMap('data');
  } else if (c && c.apiVersion === 'fn.kpt.dev/v1alpha1' && (c.kind === 'SetAnnotations' || c.kind === 'SetAnnotationConfig')) {
    const js = c.js();
    const raw = js.annotations;
    if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
      throw new Error('failed to unmarshal config: annotations must be a map of strings');
    }
    annotations = Object.fromEntries(Object.entries((raw ?? {}) as Record<string, unknown>).map(([k, v]) => [k, v === null ? '' : String(v)]));
    const legacy = fieldSpecs(js.fieldSpecs);
    const additional = fieldSpecs(js.additionalAnnotationFields);
    if (legacy && additional) throw new Error('`fieldSpecs` has been deprecated, please rename it to `additionalAnnotationFields`');
    fields = additional ?? legacy ?? [];
  } else {
    throw new Error('`functionConfig` must be a `ConfigMap` or `SetAnnotations`');
  }
  if (Object.keys(annotations).length === 0) throw new Error('input annotation list cannot be empty');
  return { annotations, fields: [...fields, ...COMMON_ANNOTATIONS] };
}

/** kustomize's annotations filter on one resource; `onSet` sees each map an entry was set in. */
export function setAnnotationsOn(doc: Document, cfg: AnnotationsConfig, onSet?: (key: string, value: string, fieldPath: string) => void): void {
  for (const key of Object.keys(cfg.annotations).sort()) {
    const value = cfg.annotations[key]!;
    for (const fs of cfg.fields) {
      applyFieldSpec(
        doc,
        fs,
        (node, _parent, path) => {
          if (!isMap(node)) return;
          setField(node as MapNode, key, new Scalar(value));
          onSet?.(key, value, path.join('.'));
        },
        'map',
      );
    }
  }
}

export const setAnnotations: BuiltinFunction = ({ items, functionConfig }) => {
  let cfg: AnnotationsConfig;
  try {
    cfg = readAnnotationsConfig(functionConfig);
  } catch (e) {
    return kyamlFailure(`failed to configure function: ${(e as Error).message}`);
  }
  const applied = new Map<string, { path: string; index: number; field: string; values: Record<string, string> }>();
  for (const doc of items) {
    const path = getAnnotation(doc, 'internal.config.kubernetes.io/path') ?? getAnnotation(doc, 'config.kubernetes.io/path') ?? '';
    const index = getAnnotation(doc, 'internal.config.kubernetes.io/index') ?? getAnnotation(doc, 'config.kubernetes.io/index') ?? '';
    setAnnotationsOn(doc, cfg, (key, value, field) => {
      const id = `${path}\u0000${index}\u0000${field}`;
      if (!applied.has(id)) applied.set(id, { path, index: Number.parseInt(index, 10) || 0, field, values: {} });
      applied.get(id)!.values[key] = value;
    });
  }
  const results: FnResultItem[] = [];
  if (applied.size === 0) return { items, results: [{ message: 'no annotations applied' }] };
  for (const r of applied.values()) {
    const json = JSON.stringify(
      Object.fromEntries(
        Object.keys(r.values)
          .sort()
          .map((k) => [k, r.values[k]]),
      ),
    );
    results.push({
      message: `set annotations: ${json.replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`)}`,
      field: { path: r.field },
      file: { path: r.path, index: r.index },
    });
  }
  return { items, results: sortFrameworkResults(results) };
};

// ensure-name-substring (krm-functions-catalog): prefixes or suffixes names
// (and other name fields) unless they already contain the substring, follows
// depends-on annotations and name references to renamed resources, and, like
// the catalog's kustomize-based code, drops kpt's path/index annotations so
// kpt writes each resource to <namespace>/<kind>_<name>.yaml.
import { isMap, isScalar, type Document } from 'yaml';
import type { BuiltinFunction } from '../krm-function.ts';
import { clearField, getField, type MapNode } from '../krm/fields.ts';
import { applyFieldSpec, parseGroupVersion, type FieldSpec } from '../krm/field-spec.ts';
import { getAnnotation, resourceMeta, rootMap } from '../krm/resource.ts';
import { knownNamespaceScope } from '../krm/namespace-scope.ts';
import { scalarText, setUntaggedText } from '../yaml/go-node.ts';
import { setNestedStringIn } from '../krm/sdk-object.ts';
import { configView } from './config.ts';
import { kyamlFailure } from './kyaml-framework.ts';
import { NAME_REFERENCES } from './name-references.ts';

const DEPENDS_ON = 'config.kubernetes.io/depends-on';
const NAMESPACED = /^([-.\w]*)\/namespaces\/([-.\w]*)\/([-.\w]*)\/([-.\w]*)$/;
const CLUSTER = /^([-.\w]*)\/([-.\w]*)\/([-.\w]*)$/;
const BUILD_ANNOTATIONS = [
  'internal.config.kubernetes.io/path',
  'internal.config.kubernetes.io/index',
  'internal.config.kubernetes.io/seqindent',
  'config.kubernetes.io/path',
  'config.kubernetes.io/index',
];

interface Config {
  substring: string;
  mode: 'prepend' | 'append';
  fields: FieldSpec[];
}

class EnsureError extends Error {}

function toFieldSpecs(v: unknown): FieldSpec[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.map((f: Record<string, unknown>) => ({
    group: f?.group as string,
    version: f?.version as string,
    kind: f?.kind as string,
    path: String(f?.path ?? ''),
    create: f?.create === true,
  }));
}

export function readEnsureConfig(fc: Document | undefined): Config {
  const c = configView(fc);
  if (!c || !c.apiVersion || !c.kind || !c.name) throw new EnsureError('missing Resource metadata');
  let substring: string;
  let mode: Config['mode'] = 'prepend';
  let fields: FieldSpec[] = [];
  if (c.apiVersion === 'v1' && c.kind === 'ConfigMap') {
    const data = c.stringMap('data');
    const keys = Object.keys(data);
    if (keys.length !== 1) throw new EnsureError(`only 1 entry is allowed in the ConfigMap, but got: ${keys.length}`);
    if (keys[0] !== 'prepend' && keys[0] !== 'append') throw new EnsureError(`unknown editMode: ${keys[0]}, only prepend and append are allowed`);
    mode = keys[0];
    substring = data[keys[0]]!;
  } else if (c.apiVersion === 'fn.kpt.dev/v1alpha1' && c.kind === 'EnsureNameSubstring') {
    const js = c.js();
    substring = js.substring === undefined || js.substring === null ? '' : String(js.substring);
    if (js.editMode) mode = js.editMode === 'append' ? 'append' : 'prepend';
    const legacy = toFieldSpecs(js.fieldSpecs);
    const additional = toFieldSpecs(js.additionalNameFields);
    fields = additional ?? legacy ?? [];
  } else {
    throw new EnsureError(
      `function config must be either /v1, Kind=ConfigMap or fn.kpt.dev/v1alpha1, Kind=EnsureNameSubstring, but we got: ${c.apiVersion}, Kind=${c.kind}`,
    );
  }
  if (!substring) throw new EnsureError('substring must not be empty');
  return { substring, mode, fields: [{ path: 'metadata/name' }, ...fields] };
}

function skipped(doc: Document): boolean {
  const { apiVersion, kind } = resourceMeta(doc);
  const { group } = parseGroupVersion(apiVersion);
  return (
    kind === 'CustomResourceDefinition' ||
    (group === 'apiregistration.k8s.io' && kind === 'APIService') ||
    kind === 'Namespace' ||
    (group === 'kpt.dev' && kind === 'Kptfile')
  );
}

interface Rename {
  group: string;
  kind: string;
  namespace: string;
  from: string;
  to: string;
}

/** The catalog's Transform: renames and field edits, depends-on annotations followed. */
export function ensureNameSubstringIn(items: Document[], cfg: Config): Rename[] {
  const known = new Set(
    items.map((d) => {
      const m = resourceMeta(d);
      return `${parseGroupVersion(m.apiVersion).group}/${m.kind}/${m.name}`;
    }),
  );
  const edit = (v: string): string => (cfg.mode === 'prepend' ? cfg.substring + v : v + cfg.substring);
  const renames: Rename[] = [];
  for (const doc of items) {
    if (skipped(doc)) continue;
    const orig = resourceMeta(doc);
    for (const fs of cfg.fields) {
      if (!fieldSpecSelects(doc, fs)) continue;
      const before = resourceMeta(doc).name;
      if (fs.path === 'metadata/name' ? before.includes(cfg.substring) : valueContains(doc, fs, cfg.substring)) continue;
      applyFieldSpec(doc, fs, (node) => {
        if (isScalar(node)) setUntaggedText(node, edit(scalarText(node)));
      });
      if (fs.path === 'metadata/name') {
        renames.push({ group: parseGroupVersion(orig.apiVersion).group, kind: orig.kind, namespace: orig.namespace, from: before, to: resourceMeta(doc).name });
      }
      const dep = getAnnotation(doc, DEPENDS_ON);
      if (dep) {
        const next = editDependsOn(dep, known, edit);
        if (next !== dep) setNestedStringIn(rootMap(doc)!, next, 'metadata', 'annotations', DEPENDS_ON);
      }
    }
  }
  return renames;
}

function fieldSpecSelects(doc: Document, fs: FieldSpec): boolean {
  const { apiVersion, kind } = resourceMeta(doc);
  const gv = parseGroupVersion(apiVersion);
  return (!fs.kind || fs.kind === kind) && (!fs.group || fs.group === gv.group) && (!fs.version || fs.version === gv.version);
}

function valueContains(doc: Document, fs: FieldSpec, substring: string): boolean {
  let text = '';
  applyFieldSpec(doc, { ...fs, create: false }, (node) => {
    if (isScalar(node)) text += scalarText(node);
  });
  return text.includes(substring);
}

function editDependsOn(dep: string, known: Set<string>, edit: (v: string) => string): string {
  let idx: [number, number, number];
  if (NAMESPACED.test(dep)) idx = [0, 3, 4];
  else if (CLUSTER.test(dep)) idx = [0, 1, 2];
  else return dep;
  const s = dep.split('/');
  if (!known.has(`${s[idx[0]]}/${s[idx[1]]}/${s[idx[2]]}`)) return dep;
  s[idx[2]] = edit(s[idx[2]]!);
  return s.join('/');
}

/** Points references at renamed resources (same namespace for namespaced ones). */
export function fixNameReferences(items: Document[], renames: Rename[]): void {
  if (!renames.length) return;
  for (const doc of items) {
    const m = resourceMeta(doc);
    const gv = parseGroupVersion(m.apiVersion);
    for (const ref of NAME_REFERENCES) {
      for (const r of ref.referrers) {
        if ((r.kind && r.kind !== m.kind) || (r.group && r.group !== gv.group)) continue;
        for (const path of r.paths) {
          applyFieldSpec(doc, { path }, (node, parent) => {
            if (!isScalar(node)) return;
            const refKind = valueOfKind(parent);
            if (refKind && refKind !== ref.kind) return;
            const hits = renames.filter(
              (x) =>
                x.kind === ref.kind &&
                (!ref.group || x.group === ref.group) &&
                x.from === scalarText(node) &&
                (knownNamespaceScope(m.apiVersion, m.kind) === false || !x.namespace || x.namespace === m.namespace),
            );
            if (hits.length === 1) setUntaggedText(node, hits[0]!.to);
          });
        }
      }
    }
  }
}

function valueOfKind(parent: MapNode | undefined): string {
  const k = getField(parent, 'kind');
  return isScalar(k) ? scalarText(k) : '';
}

/** kustomize's RemoveBuildAnnotations: kpt's reader annotations go, the rest is rewritten as plain strings. */
export function removeBuildAnnotations(doc: Document): void {
  const annotations = getField(getField(rootMap(doc), 'metadata'), 'annotations');
  if (!isMap(annotations) || annotations.items.length === 0) return;
  for (const key of BUILD_ANNOTATIONS) clearField(annotations, key);
  if (annotations.items.length === 0) {
    clearField(getField(rootMap(doc), 'metadata'), 'annotations');
    return;
  }
  for (const p of annotations.items) {
    if (isScalar(p.key)) p.key.type = undefined;
    if (isScalar(p.value)) {
      const text = scalarText(p.value);
      p.value.value = text;
      p.value.type = text.includes('\n') ? 'BLOCK_LITERAL' : undefined;
      p.value.source = undefined;
    }
  }
}

export const ensureNameSubstring: BuiltinFunction = ({ items, functionConfig }) => {
  let cfg: Config;
  try {
    cfg = readEnsureConfig(functionConfig);
  } catch (e) {
    return kyamlFailure(`failed to load the \`functionConfig\`: ${(e as Error).message}`);
  }
  const renames = ensureNameSubstringIn(items, cfg);
  fixNameReferences(items, renames);
  for (const doc of items) removeBuildAnnotations(doc);
  return { items, results: [] };
};

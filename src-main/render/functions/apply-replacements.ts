// apply-replacements (krm-functions-catalog): kustomize's replacements
// filter: a value read from one resource (optionally one delimited part of
// it) written into fields of the selected resources. Built on the kpt
// function SDK.
import { isScalar, isSeq, type Document, type Node, type Scalar } from 'yaml';
import type { BuiltinFunction, FnResultItem } from '../krm-function.ts';
import { knownNamespaceScope } from '../krm/namespace-scope.ts';
import { lookupPath, matchPath, smarterPathSplit, type Kind } from '../krm/path-matcher.ts';
import { metaMap, resourceMeta, rootMap } from '../krm/resource.ts';
import { sdkSort } from '../krm/sdk-object.ts';
import { goResolveTag, goResolveValue } from '../yaml/go-resolve.ts';
import { isUntagged, scalarText, setUntaggedText } from '../yaml/go-node.ts';
import { configView } from './config.ts';
import { SDK_FAILURE_STDERR } from './sdk-runner.ts';
import { labelSelectorMatches } from './label-selector.ts';
import { parseGroupVersion } from '../krm/field-spec.ts';

interface ResId {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}
export interface Options {
  delimiter?: string;
  index?: number;
  create?: boolean;
}
interface Selector extends ResId {
  annotationSelector?: string;
  labelSelector?: string;
}
export interface Replacement {
  source?: ResId & { fieldPath?: string; options?: Options };
  targets?: { select?: Selector; reject?: Selector[]; fieldPaths?: string[]; options?: Options }[];
}

export class ReplacementError extends Error {}

function effectiveNamespace(doc: Document): string {
  const m = resourceMeta(doc);
  const scope = knownNamespaceScope(m.apiVersion, m.kind);
  if (scope === false) return '~X';
  return m.namespace || 'default';
}

function isSelectedBy(doc: Document, s: ResId): boolean {
  const m = resourceMeta(doc);
  const { group, version } = parseGroupVersion(m.apiVersion);
  if (s.name && s.name !== m.name) return false;
  if (s.namespace && (s.namespace || 'default') !== effectiveNamespace(doc)) return false;
  if (s.group && s.group !== group) return false;
  if (s.version && s.version !== version) return false;
  if (s.kind && s.kind !== m.kind) return false;
  return true;
}

const resIdString = (s: ResId): string => `${s.group ?? ''}_${s.version ?? ''}_${s.kind ?? ''}|${s.namespace ?? ''}|${s.name ?? ''}`.replace(/^_+|_(?=_)/g, '');

function refine(value: Node, options: Options | undefined): Node {
  if (!options?.delimiter) return value;
  if (!isScalar(value)) throw new ReplacementError('delimiter option can only be used with scalar nodes');
  const parts = scalarText(value).split(options.delimiter);
  const index = options.index ?? 0;
  if (index >= parts.length || index < 0) throw new ReplacementError(`options.index ${index} is out of bounds for value ${scalarText(value)}`);
  const copy = value.clone() as Scalar;
  setText(copy, parts[index]!);
  return copy;
}

/** go-yaml `node.Value = text` on a parsed node: its tag and style stay. */
function setText(node: Scalar, text: string): void {
  if (isUntagged(node)) return setUntaggedText(node, text);
  if (typeof node.value === 'string' || node.tag) {
    node.value = text;
    return;
  }
  const tag =
    node.value === null
      ? 'null'
      : typeof node.value === 'boolean'
        ? 'bool'
        : Number.isInteger(node.value) && !/[.eE]/.test(node.source ?? '')
          ? 'int'
          : 'float';
  const resolved = goResolveTag(text);
  if (resolved === tag || (tag === 'float' && resolved === 'int')) {
    node.value = goResolveValue(text);
    node.source = text;
  } else {
    node.tag = `tag:yaml.org,2002:${tag}`;
    node.value = text;
    node.source = text;
  }
}

function setFieldValue(target: { node: Node; replace: (n: Node) => void }, value: Node, options: Options | undefined): void {
  const v = value.clone() as Node;
  if (options?.delimiter) {
    if (!isScalar(target.node)) throw new ReplacementError('delimiter option can only be used with scalar nodes');
    const tv = scalarText(target.node).split(options.delimiter);
    const text = isScalar(v) ? scalarText(v) : '';
    const index = options.index ?? 0;
    if (index < 0) tv.unshift(text);
    else if (index >= tv.length) tv.push(text);
    else tv[index] = text;
    if (isScalar(v)) setText(v, tv.join(options.delimiter));
  }
  if (isScalar(target.node)) {
    setText(target.node, isScalar(v) ? scalarText(v) : '');
  } else {
    target.replace(v);
  }
}

function selectByAnnoAndLabel(doc: Document, t: { select?: Selector; reject?: Selector[] }): boolean {
  const matches = (s: Selector): boolean =>
    labelSelectorMatches(s.annotationSelector ?? '', metaMap(doc, 'annotations')) && labelSelectorMatches(s.labelSelector ?? '', metaMap(doc, 'labels'));
  if (!matches(t.select ?? {})) return false;
  for (const r of t.reject ?? []) {
    if (!r.annotationSelector && !r.labelSelector) continue;
    if (matches(r)) return false;
  }
  return true;
}

const isEmptyId = (s: Selector): boolean => !s.group && !s.version && !s.kind && !s.name && !s.namespace;

export type TargetApplier = (doc: Document, value: Node, target: NonNullable<Replacement['targets']>[number]) => void;

/** kustomize api v0.19's targets: PathMatcher (regex list selectors), missing fields are errors. */
export const applyToTargetFields: TargetApplier = (doc, value, t) => {
  const root = rootMap(doc)!;
  for (const fp of t.fieldPaths?.length ? t.fieldPaths : ['metadata.name']) {
    const create: Kind | undefined = t.options?.create ? (isScalar(value) ? 'scalar' : isSeq(value) ? 'seq' : 'map') : undefined;
    let targets;
    try {
      targets = matchPath(root, smarterPathSplit(fp), create);
    } catch (e) {
      throw new ReplacementError(
        `${create ? `unable to find or create field "${fp}" in replacement target` : `unable to find field "${fp}" in replacement target`}: ${(e as Error).message}`,
      );
    }
    if (!targets.length)
      throw new ReplacementError(
        create ? `unable to find or create field "${fp}" in replacement target` : `unable to find field "${fp}" in replacement target`,
      );
    for (const target of targets) setFieldValue(target, value, t.options);
  }
};

export function applyReplacementsTo(items: Document[], replacements: Replacement[], applyTarget: TargetApplier = applyToTargetFields): void {
  for (const r of replacements) {
    if (!r.source || !r.targets) throw new ReplacementError('replacements must specify a source and at least one target');
    const sources = items.filter((d) => isSelectedBy(d, r.source!));
    if (sources.length > 1) throw new ReplacementError(`multiple matches for selector ${resIdString(r.source)}`);
    if (!sources.length) throw new ReplacementError(`nothing selected by ${resIdString(r.source)}`);
    const fieldPath = r.source.fieldPath || 'metadata.name';
    const found = lookupPath(rootMap(sources[0]!), smarterPathSplit(fieldPath));
    if (found === undefined || found === null || (isScalar(found) && scalarText(found) === '' && found.value === null)) {
      throw new ReplacementError(`fieldPath \`${fieldPath}\` is missing for replacement source ${resIdString(r.source)}`);
    }
    const value = refine(found as Node, r.source.options);
    for (const t of r.targets) {
      if (!t.select) throw new ReplacementError('target must specify resources to select');
      for (const doc of items) {
        if (!selectByAnnoAndLabel(doc, t)) continue;
        if (!isSelectedBy(doc, t.select)) continue;
        if ((t.reject ?? []).some((rj) => !isEmptyId(rj) && isSelectedBy(doc, rj))) continue;
        applyTarget(doc, value, t);
      }
    }
  }
}

/** The function around a kustomize replacements implementation (the catalog's SDK wrapper). */
export function replacementsFunction(applyTarget: TargetApplier): BuiltinFunction {
  return ({ items, functionConfig }) => {
    const fail = (message: string): ReturnType<BuiltinFunction> => ({
      items: sdkSort(items),
      results: [{ message, severity: 'error' } satisfies FnResultItem],
      exitCode: 1,
      stderr: SDK_FAILURE_STDERR,
    });
    const c = configView(functionConfig);
    if (!c) return fail('FunctionConfig is missing. Expect `ApplyReplacements`');
    if (c.kind !== 'ApplyReplacements' || c.apiVersion !== 'fn.kpt.dev/v1alpha1') {
      return fail(
        `received functionConfig of kind ${c.kind} and apiVersion ${c.apiVersion}, only functionConfig of kind ApplyReplacements and apiVersion fn.kpt.dev/v1alpha1 is supported`,
      );
    }
    const replacements = (c.js().replacements ?? []) as Replacement[];
    try {
      applyReplacementsTo(items, replacements, applyTarget);
    } catch (e) {
      if (!(e instanceof ReplacementError)) throw e;
      return fail(e.message);
    }
    return { items: sdkSort(items), results: [], exitCode: 0 };
  };
}

export const applyReplacements = replacementsFunction(applyToTargetFields);

// A step's `selectors` and `exclude` as kpt applies them: the function sees
// only the selected resources (once per matching selector, as kpt does), and
// its output is merged back by a temporary resource id.
import type { Document } from 'yaml';
import { clearAnnotation, getAnnotation, metaMap, resourceMeta, setAnnotation } from '../krm/resource.ts';
import { ANN } from '../package/annotation-keys.ts';
import type { Selector } from './kptfile.ts';

function mapMatches(actual: Record<string, string>, wanted: Record<string, string> | undefined): boolean {
  return Object.entries(wanted ?? {}).every(([k, v]) => actual[k] === v);
}

export function isMatch(doc: Document, s: Selector): boolean {
  const m = resourceMeta(doc);
  return (
    (!s.name || s.name === m.name) &&
    (!s.namespace || s.namespace === m.namespace) &&
    (!s.kind || s.kind === m.kind) &&
    (!s.apiVersion || s.apiVersion === m.apiVersion) &&
    mapMatches(metaMap(doc, 'labels'), s.labels) &&
    mapMatches(metaMap(doc, 'annotations'), s.annotations)
  );
}

const isEmpty = (s: Selector): boolean =>
  !s.apiVersion && !s.kind && !s.name && !s.namespace && !Object.keys(s.labels ?? {}).length && !Object.keys(s.annotations ?? {}).length;

export function selectInput(input: Document[], selectors: Selector[], exclusions: Selector[]): Document[] {
  let selected = input;
  if (selectors.length) {
    selected = [];
    for (const doc of input) for (const s of selectors) if (isMatch(doc, s)) selected.push(doc);
  }
  if (!exclusions.length) return selected;
  return selected.filter((doc) => !exclusions.some((e) => !isEmpty(e) && isMatch(doc, e)));
}

export function setResourceIds(input: Document[]): void {
  input.forEach((doc, i) => setAnnotation(doc, ANN.resourceId, String(i)));
}

export function deleteResourceIds(input: Document[]): void {
  for (const doc of input) clearAnnotation(doc, ANN.resourceId);
}

const idOf = (doc: Document): string => getAnnotation(doc, ANN.resourceId) ?? '';

/** fnruntime.MergeWithInput: untouched resources stay, selected ones are replaced or dropped, new ones go last. */
export function mergeWithInput(output: Document[], selected: Document[], input: Document[]): Document[] {
  const selectedIds = new Set(selected.map(idOf));
  const outputById = new Map<string, Document>();
  for (const doc of output) if (!outputById.has(idOf(doc))) outputById.set(idOf(doc), doc);
  const result: Document[] = [];
  for (const doc of input) {
    const id = idOf(doc);
    if (!selectedIds.has(id)) result.push(doc);
    else if (outputById.has(id)) result.push(outputById.get(id)!);
  }
  for (const doc of output) if (idOf(doc) === '') result.push(doc);
  return result;
}

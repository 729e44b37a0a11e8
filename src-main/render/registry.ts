// Built-in functions by image name: any registry prefix, any tag or digest.
// `gcr.io/kpt-fn/set-labels:v0.2.0`, `ghcr.io/kptdev/krm-functions-catalog/set-labels`
// and `set-labels@sha256:...` all name set-labels.
import type { BuiltinFunction } from './krm-function.ts';
import { applyReplacements } from './functions/apply-replacements.ts';
import { applyReplacementsV010 } from './functions/apply-replacements-v010.ts';
import { applySetters } from './functions/apply-setters.ts';
import { createSetters } from './functions/create-setters.ts';
import { ensureNameSubstring } from './functions/ensure-name-substring.ts';
import { genPkgContext } from './functions/gen-pkg-context.ts';
import { searchReplace } from './functions/search-replace.ts';
import { setAnnotations } from './functions/set-annotations.ts';
import { setImage } from './functions/set-image.ts';
import { setLabels } from './functions/set-labels.ts';
import { setNamespace } from './functions/set-namespace.ts';
import { starlarkFunction } from './functions/starlark.ts';
import { upsertResource } from './functions/upsert-resource.ts';

const BUILTINS = new Map<string, BuiltinFunction>([
  ['set-namespace', setNamespace],
  ['apply-replacements', applyReplacements],
  ['apply-setters', applySetters],
  ['set-labels', setLabels],
  ['set-annotations', setAnnotations],
  ['set-image', setImage],
  ['ensure-name-substring', ensureNameSubstring],
  ['search-replace', searchReplace],
  ['upsert-resource', upsertResource],
  ['create-setters', createSetters],
  ['starlark', starlarkFunction],
]);

/** kpt's own built-in that writes package-context.yaml. */
const KPT_BUILTINS = new Map<string, BuiltinFunction>([['builtins/gen-pkg-context', genPkgContext]]);

/** Releases whose behaviour differs from the catalog's current code (their kustomize version). */
const RELEASED = new Map<string, { tags: RegExp; fn: BuiltinFunction }>([['apply-replacements', { tags: /^v0\.1\.[01]$/, fn: applyReplacementsV010 }]]);

/** The tag of an image reference ('' when it has none or a digest). */
export function imageTag(image: string): string {
  if (image.includes('@')) return '';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return colon < 0 ? '' : last.slice(colon + 1);
}

/** The function name an image reference points at: last path segment, tag and digest dropped. */
export function functionName(image: string): string {
  const noDigest = image.split('@')[0]!;
  const last = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  return last.split(':')[0]!;
}

export function registerBuiltin(name: string, fn: BuiltinFunction): void {
  BUILTINS.set(name, fn);
}

export function lookupBuiltin(image: string): BuiltinFunction | undefined {
  const kpt = KPT_BUILTINS.get(image);
  if (kpt) return kpt;
  const name = functionName(image);
  const released = RELEASED.get(name);
  if (released && released.tags.test(imageTag(image))) return released.fn;
  return BUILTINS.get(name);
}

export function builtinNames(): string[] {
  return [...BUILTINS.keys()].sort();
}

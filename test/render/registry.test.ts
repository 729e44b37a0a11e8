// Built-in functions are found by image name whatever the registry, tag or
// digest; releases whose behaviour differs get their own implementation.
import { describe, expect, it } from 'vitest';
import { applyReplacements } from '../../src-main/render/functions/apply-replacements.ts';
import { applyReplacementsV010 } from '../../src-main/render/functions/apply-replacements-v010.ts';
import { setLabels } from '../../src-main/render/functions/set-labels.ts';
import { builtinNames, functionName, imageTag, lookupBuiltin } from '../../src-main/render/registry.ts';

describe('built-in function registry', () => {
  it('matches an image by its last path segment, with any registry, tag or digest', () => {
    for (const image of [
      'gcr.io/kpt-fn/set-labels:v0.2.0',
      'ghcr.io/kptdev/krm-functions-catalog/set-labels',
      'ghcr.io/kptdev/krm-functions-catalog/set-labels:unstable',
      'set-labels@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      'localhost:5000/mirror/set-labels:latest',
    ]) {
      expect(lookupBuiltin(image), image).toBe(setLabels);
    }
    expect(functionName('localhost:5000/mirror/set-labels:latest')).toBe('set-labels');
    expect(imageTag('localhost:5000/mirror/set-labels:latest')).toBe('latest');
    expect(imageTag('set-labels@sha256:abc')).toBe('');
  });

  it('knows no other images', () => {
    expect(lookupBuiltin('docker.io/nephio/nfdeploy-fn:latest')).toBeUndefined();
    expect(lookupBuiltin('gcr.io/kpt-fn/set-labels-extra:v1')).toBeUndefined();
  });

  it('runs apply-replacements v0.1.0 and v0.1.1 with their kustomize behaviour', () => {
    expect(lookupBuiltin('ghcr.io/kptdev/krm-functions-catalog/apply-replacements:v0.1.1')).toBe(applyReplacementsV010);
    expect(lookupBuiltin('gcr.io/kpt-fn/apply-replacements:v0.1.0')).toBe(applyReplacementsV010);
    expect(lookupBuiltin('gcr.io/kpt-fn/apply-replacements:v0.1.2')).toBe(applyReplacements);
    expect(lookupBuiltin('gcr.io/kpt-fn/apply-replacements:unstable')).toBe(applyReplacements);
  });

  it("has the catalog functions of issue 17 and kpt's package-context builtin", () => {
    expect(builtinNames()).toEqual([
      'apply-replacements',
      'apply-setters',
      'create-setters',
      'ensure-name-substring',
      'search-replace',
      'set-annotations',
      'set-image',
      'set-labels',
      'set-namespace',
      'starlark',
      'upsert-resource',
    ]);
    expect(lookupBuiltin('builtins/gen-pkg-context')).toBeDefined();
  });
});

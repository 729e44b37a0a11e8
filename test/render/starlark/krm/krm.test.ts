import { describe, expect, it } from 'vitest';
import { Document, parseDocument } from 'yaml';
import { readRunConfig } from '../../../../src-main/render/starlark/krm/run-config.ts';
import { copyComments, syncOrder } from '../../../../src-main/render/starlark/krm/sync-yaml.ts';

const doc = (s: string) => parseDocument(s) as Document.Parsed;

describe('syncOrder and copyComments (what kpt does to function output)', () => {
  it('puts keys the input had back in its order, new keys after, and copies comments', () => {
    const input = doc('# top\nkind: A # the kind\nmetadata:\n  name: x\n  labels: {a: b}\nlist:\n  - name: c1 # first\n    image: i\n');
    const output = doc(
      'labels: 1\nlist:\n  - image: j\n    name: c1\n  - image: k\n    name: c2\nmetadata:\n  labels: {a: b}\n  name: x\n  namespace: n\nkind: A\n',
    );
    syncOrder(input.contents, output.contents);
    copyComments(input.contents, output.contents);
    expect(output.toString()).toBe(
      '# top\nkind: A # the kind\nmetadata:\n  name: x\n  labels: { a: b }\n  namespace: n\nlist:\n  - name: c1 # first\n    image: j\n  - image: k\n    name: c2\nlabels: 1\n',
    );
  });
});

describe('readRunConfig', () => {
  const cfg = (s: string) => () => readRunConfig(doc(s));

  it('reads StarlarkRun and ConfigMap configs', () => {
    expect(readRunConfig(doc('apiVersion: fn.kpt.dev/v1alpha1\nkind: StarlarkRun\nmetadata: {name: r}\nsource: "x = 1"\n'))).toEqual({
      name: 'r',
      source: 'x = 1',
    });
    expect(readRunConfig(doc('apiVersion: v1\nkind: ConfigMap\ndata: {source: "y = 2", replicas: "3"}\n'))).toEqual({
      name: 'starlark-function-run',
      source: 'y = 2',
    });
  });

  it('explains what is wrong with a config, in the catalog function words', () => {
    expect(() => readRunConfig(undefined)).toThrow('FunctionConfig is missing. Expect `ConfigMap` or `StarlarkRun`');
    expect(cfg('apiVersion: fn.kpt.dev/v1alpha1\nkind: StarlarkRun\nsource: ""\n')).toThrow('`source` must not be empty');
    expect(cfg('apiVersion: apps/v1\nkind: Deployment\n')).toThrow(
      '`functionConfig` must be either /v1, Kind=ConfigMap or fn.kpt.dev/v1alpha1, Kind=StarlarkRun, but we got: apps/v1, Kind=Deployment',
    );
    expect(cfg('apiVersion: fn.kpt.dev/v1alpha1\nkind: StarlarkRun\nsource: [1]\n')).toThrow('`source` must be a string');
    expect(cfg('apiVersion: v1\nkind: ConfigMap\ndata: {source: "x", n: 5}\n')).toThrow('data.n must be a string');
  });
});

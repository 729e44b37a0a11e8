// kpt fn eval in process: key=value arguments become kpt's function-input
// ConfigMap (a first bare argument names its kind), --match-* narrows the
// input, and every package resource, Kptfile included, is passed.
import { describe, expect, it } from 'vitest';
import { evalFunction } from '../../src-main/render/eval-function.ts';
import type { BuiltinFunction } from '../../src-main/render/krm-function.ts';
import { formatDocument } from '../../src-main/render/kyaml-format.ts';
import { resourceMeta } from '../../src-main/render/krm/resource.ts';
import { asTextMap } from './support/catalog.ts';

const encoder = new TextEncoder();
const files = [
  { path: 'Kptfile', content: encoder.encode('apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: p\n') },
  {
    path: 'a.yaml',
    content: encoder.encode('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n'),
  },
];

describe('evalFunction', () => {
  it('builds the function-input ConfigMap from arguments as kpt does', async () => {
    let config = '';
    const seen: BuiltinFunction = ({ items, functionConfig }) => {
      config = formatDocument(functionConfig!);
      return { items, results: [] };
    };
    const out = await evalFunction(files, { image: 'example.com/seen:v1', args: ['SetThing', 'a=1', 'b=yes'], lookup: () => seen });
    expect(out.error).toBeUndefined();
    expect(config).toBe('metadata:\n  name: function-input\ndata: {a: "1", b: "yes"}\nkind: SetThing\napiVersion: v1\n');
    expect((await evalFunction(files, { image: 'example.com/seen:v1', args: ['a=1', 'novalue'], lookup: () => seen })).error).toContain(
      'write arguments as key=value',
    );
  });

  it('passes every resource, or those --match-kind selects, and applies a catalog function', async () => {
    const kinds: string[][] = [];
    const record: BuiltinFunction = ({ items }) => (kinds.push(items.map((d) => resourceMeta(d).kind)), { items, results: [] });
    await evalFunction(files, { image: 'x/record', lookup: () => record });
    await evalFunction(files, { image: 'x/record', match: { kind: 'Deployment' }, lookup: () => record });
    expect(kinds).toEqual([['Kptfile', 'ConfigMap', 'Deployment'], ['Deployment']]);
    const labelled = await evalFunction(files, { image: 'gcr.io/kpt-fn/set-labels:v0.2.0', args: ['tier=web'], match: { kind: 'Deployment' } });
    expect(asTextMap(labelled.files)['a.yaml']).toBe(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  labels:\n    tier: web\nspec:\n  selector:\n    matchLabels:\n      tier: web\n',
    );
  });
});

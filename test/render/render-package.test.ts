// kpt's pipeline semantics in renderPackage: subpackages first, a configPath
// taken from the package as the previous step left it, selectors, validators
// on copies, .krmignore, where new resources land, and the refusals.
import { describe, expect, it } from 'vitest';
import { isMap, type Document } from 'yaml';
import type { BuiltinFunction } from '../../src-main/render/krm-function.ts';
import { getField } from '../../src-main/render/krm/fields.ts';
import { resourceMeta, rootMap } from '../../src-main/render/krm/resource.ts';
import { plainScalar } from '../../src-main/render/yaml/go-node.ts';
import { parseYamlDocument } from '../../src-main/render/kyaml-format.ts';
import { formatResultList } from '../../src-main/render/pipeline/results.ts';
import { lookupBuiltin } from '../../src-main/render/registry.ts';
import { renderPackage, type RenderOptions } from '../../src-main/render/render-package.ts';
import { asTextMap } from './support/catalog.ts';

const encoder = new TextEncoder();
const pkg = (files: Record<string, string>) => Object.entries(files).map(([path, text]) => ({ path, content: encoder.encode(text) }));
const kptfile = (name: string, pipeline = '') => `apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: ${name}\n${pipeline}`;
const cm = (name: string, data = 'k: v', extra = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}data:\n  ${data}\n`;
const names = (items: Document[]) => items.map((d) => resourceMeta(d).name);

async function run(files: Record<string, string>, fns: Record<string, BuiltinFunction>, opts: RenderOptions = {}) {
  const lines: string[] = [];
  const out = await renderPackage(pkg(files), {
    packageName: 'root',
    onStep: (l) => lines.push(l),
    lookup: (image) => fns[image] ?? lookupBuiltin(image),
    ...opts,
  });
  return { ...out, text: asTextMap(out.files), lines };
}

/** A test function that records what it was given and sets data.seen on every ConfigMap. */
function recorder(log: string[][], mark: string): BuiltinFunction {
  return ({ items }) => {
    log.push(names(items));
    for (const d of items) {
      const data = getField(rootMap(d), 'data');
      if (resourceMeta(d).kind === 'ConfigMap' && isMap(data)) data.set('seen', plainScalar(mark));
    }
    return { items, results: [] };
  };
}

describe('renderPackage pipeline semantics', () => {
  it('hydrates subpackages depth first and feeds their output to the parent', async () => {
    const log: string[][] = [];
    const steps = 'pipeline:\n  mutators:\n  - image: example.com/record:v1\n';
    const out = await run(
      {
        Kptfile: kptfile('root', steps),
        'a.yaml': cm('a'),
        'sub/Kptfile': kptfile('sub', steps),
        'sub/b.yaml': cm('b'),
        'sub/deep/Kptfile': kptfile('deep', steps),
        'sub/deep/c.yaml': cm('c'),
      },
      { 'example.com/record:v1': recorder(log, 'x') },
    );
    expect(out.error).toBeUndefined();
    expect(log).toEqual([
      ['deep', 'c'],
      ['deep', 'c', 'sub', 'b'],
      ['deep', 'c', 'sub', 'b', 'root', 'a'],
    ]);
    expect(out.lines.filter((l) => l.startsWith('Package'))).toEqual(['Package "root/sub/deep": ', 'Package "root/sub": ', 'Package "root": ']);
    expect(out.text['sub/deep/c.yaml']).toContain('seen: x');
    expect(out.lines.at(-1)).toBe('Successfully executed 3 function(s) in 3 package(s).');
  });

  it('gives each configPath step the config as earlier steps left it', async () => {
    const seen: string[] = [];
    const bump: BuiltinFunction = ({ items }) => {
      for (const d of items)
        if (resourceMeta(d).name === 'cfg') (getField(rootMap(d), 'data') as { set(k: string, v: unknown): void }).set('value', plainScalar('after'));
      return { items, results: [] };
    };
    const read: BuiltinFunction = ({ items, functionConfig }) => {
      seen.push(String((functionConfig!.toJS() as { data: { value: string } }).data.value));
      return { items, results: [] };
    };
    const out = await run(
      {
        Kptfile: kptfile(
          'root',
          'pipeline:\n  mutators:\n  - image: example.com/bump:v1\n  - image: example.com/read:v1\n    configPath: cfg.yaml\n  validators:\n  - image: example.com/read:v1\n    configPath: cfg.yaml\n',
        ),
        'cfg.yaml': cm('cfg', 'value: before', '  annotations:\n    config.kubernetes.io/local-config: "true"\n'),
      },
      { 'example.com/bump:v1': bump, 'example.com/read:v1': read },
    );
    expect(out.error).toBeUndefined();
    // Mutators see the package as it is; validators read the file from disk, as kpt does.
    expect(seen).toEqual(['after', 'before']);
    expect(out.text['cfg.yaml']).toContain('value: after');
  });

  it('runs a function on the selected resources only and merges its output back', async () => {
    const log: string[][] = [];
    const out = await run(
      {
        Kptfile: kptfile(
          'root',
          'pipeline:\n  mutators:\n  - image: example.com/record:v1\n    selectors:\n    - kind: ConfigMap\n    exclude:\n    - name: skip\n',
        ),
        'a.yaml': `${cm('one')}---\n${cm('skip')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n`,
      },
      { 'example.com/record:v1': recorder(log, 'y') },
    );
    expect(log).toEqual([['one']]);
    expect(out.lines).toContain('[RUNNING] "example.com/record:v1" on 1 resource(s)');
    expect(out.text['a.yaml']).toBe(`${cm('one', 'k: v\n  seen: y')}---\n${cm('skip')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n`);
  });

  it('runs validators after mutators, on copies, and fails the render when one fails', async () => {
    const order: string[] = [];
    const mutate: BuiltinFunction = (input) => (order.push('mutate'), { items: input.items, results: [] });
    const tamper: BuiltinFunction = ({ items }) => {
      order.push('validate');
      rootMap(items[0]!)!.set('tampered', true);
      return { items, results: [{ message: 'bad config', severity: 'error', resourceRef: { apiVersion: 'v1', kind: 'ConfigMap', name: 'a' } }] };
    };
    const files = {
      Kptfile: kptfile('root', 'pipeline:\n  validators:\n  - image: example.com/tamper:v1\n  mutators:\n  - image: example.com/mutate:v1\n'),
      'a.yaml': cm('a'),
    };
    const out = await run(files, { 'example.com/mutate:v1': mutate, 'example.com/tamper:v1': tamper });
    expect(order).toEqual(['mutate', 'validate']);
    expect(out.error).toBeDefined();
    expect(out.text).toEqual(asTextMap(pkg(files)));
    expect(out.lines).toContain('    [error] v1/ConfigMap/a: bad config');
    expect(formatResultList(out.results)).toContain(
      'exitCode: 1\nitems:\n  - image: example.com/mutate:v1\n    exitCode: 0\n  - image: example.com/tamper:v1\n',
    );
  });

  it('leaves .krmignore paths and non-KRM files alone and files new resources by namespace, kind and name', async () => {
    const log: string[][] = [];
    const add: BuiltinFunction = ({ items }) => {
      log.push(names(items));
      const extra = parseYamlDocument('apiVersion: v1\nkind: Secret\nmetadata:\n  name: made\n  namespace: ns1\n')!;
      return { items: [...items.filter((d) => resourceMeta(d).name !== 'gone'), extra], results: [] };
    };
    const out = await run(
      {
        Kptfile: kptfile('root', 'pipeline:\n  mutators:\n  - image: example.com/add:v1\n'),
        '.krmignore': 'ignored/\n',
        'ignored/x.yaml': 'not: [valid',
        'README.md': '# hi\n',
        'gone.yaml': cm('gone'),
        'keep.yaml': cm('keep'),
      },
      { 'example.com/add:v1': add },
    );
    expect(out.error).toBeUndefined();
    expect(log).toEqual([['root', 'gone', 'keep']]);
    expect(Object.keys(out.text).sort()).toEqual(['.krmignore', 'Kptfile', 'README.md', 'ignored/x.yaml', 'keep.yaml', 'ns1/secret_made.yaml']);
    expect(out.text['ignored/x.yaml']).toBe('not: [valid');
  });

  it('refuses exec functions without allowExec and names functions it cannot run', async () => {
    const files = { Kptfile: kptfile('root', 'pipeline:\n  mutators:\n  - exec: ./fn.sh\n'), 'a.yaml': cm('a') };
    expect((await run(files, {})).error).toBe('must run with `--allow-exec` option to allow running function binaries');
    expect((await run(files, {}, { allowExec: true })).error).toBe(
      'exec function "./fn.sh" cannot run here: run with --allow-exec and a host that can run function binaries',
    );
    const image = { Kptfile: kptfile('root', 'pipeline:\n  mutators:\n  - image: registry.example/acme/tune:v2\n'), 'a.yaml': cm('a') };
    expect((await run(image, {})).error).toBe(
      'function "registry.example/acme/tune:v2" is not built in: run it with a container runtime (Docker or Podman) or replace it with a built-in function',
    );
  });

  it('reports a Kptfile that names no function, and a configPath that does not exist', async () => {
    const none = await run({ Kptfile: kptfile('root', 'pipeline:\n  mutators:\n  - configPath: x.yaml\n') }, {});
    expect(none.error).toContain('must specify a functon (`image` or `exec`) to execute');
    const missing = await run(
      { Kptfile: kptfile('root', 'pipeline:\n  mutators:\n  - image: gcr.io/kpt-fn/set-labels:v0.2\n    configPath: nope.yaml\n') },
      {},
    );
    expect(missing.error).toContain('functionConfig "nope.yaml" must exist in the current package');
    expect((await run({ 'a.yaml': cm('a') }, {})).error).toMatch(/No Kptfile found/);
  });
});

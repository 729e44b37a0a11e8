// kpt's upgrade strategies on small packages, with the worked examples of
// docs/porch-upgrade.md §1.4e: upstream wins scalar and list conflicts, local
// additions stay, lists with a merge key merge item by item, the Kptfile's
// pipeline merges by function, non-KRM files keep local edits.
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { upgradeFiles, type ThreePackages } from '../../src-main/service/upgrade/strategies.ts';

const file = (path: string, text: string) => ({ path, content: Buffer.from(text) });
const kptfile = (extra = '') => file('Kptfile', `apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: pkg\n${extra}`);
const read = (files: { path: string; content: Uint8Array }[], path: string) => {
  const f = files.find((x) => x.path === path);
  return f ? YAML.parseAllDocuments(Buffer.from(f.content).toString()).map((d) => d.toJS()) : undefined;
};
const text = (files: { path: string; content: Uint8Array }[], path: string) => {
  const f = files.find((x) => x.path === path);
  return f ? Buffer.from(f.content).toString() : undefined;
};

const deployment = (spec: string) => file('deploy.yaml', `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n${spec}`);

describe('resource-merge', () => {
  it('merges a Deployment field by field: upstream wins conflicts, local-only fields stay, containers merge by name', () => {
    const pkgs: ThreePackages = {
      original: [
        kptfile(),
        deployment('  replicas: 1\n  template:\n    spec:\n      containers:\n      - name: app\n        image: app:1\n        args: ["--a"]\n'),
      ],
      updated: [
        kptfile(),
        deployment(
          '  replicas: 1\n  template:\n    spec:\n      containers:\n      - name: app\n        image: app:2\n        args: ["--a", "--b"]\n      - name: side\n        image: side:1\n',
        ),
      ],
      local: [
        kptfile(),
        deployment(
          '  replicas: 3\n  template:\n    spec:\n      containers:\n      - name: app\n        image: app:1-custom\n        args: ["--x"]\n        env: [{name: X, value: "1"}]\n',
        ),
      ],
    };
    const [merged] = read(upgradeFiles('resource-merge', pkgs), 'deploy.yaml')!;
    expect(merged.spec.replicas).toBe(3);
    expect(merged.spec.template.spec.containers).toEqual([
      { name: 'app', image: 'app:2', args: ['--a', '--b'], env: [{ name: 'X', value: '1' }] },
      { name: 'side', image: 'side:1' },
    ]);
  });

  it('merges a ConfigMap added on both sides, keeps comments with their values, and adds what upstream added', () => {
    const pkgs: ThreePackages = {
      original: [kptfile()],
      updated: [
        kptfile(),
        file('setters.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: setters\ndata:\n  fruit: "pear"\n'),
        file('cm2.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm2\ndata:\n  fruit: "apple" # kpt-set: ${fruit}\n'),
      ],
      local: [kptfile(), file('setters.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: setters\ndata:\n  foo: "baz"\n')],
    };
    const out = upgradeFiles('resource-merge', pkgs);
    expect(read(out, 'setters.yaml')![0].data).toEqual({ foo: 'baz', fruit: 'pear' });
    expect(text(out, 'cm2.yaml')).toContain('# kpt-set: ${fruit}');
  });

  it('drops a resource upstream deleted only when it was not changed here; a locally deleted one stays deleted', () => {
    const cm = (name: string, v: string) => file(`${name}.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  v: "${v}"\n`);
    const pkgs: ThreePackages = {
      original: [kptfile(), cm('gone', '1'), cm('edited', '1'), cm('removed-here', '1')],
      updated: [kptfile(), cm('removed-here', '2')],
      local: [kptfile(), cm('gone', '1'), cm('edited', 'mine')],
    };
    const out = upgradeFiles('resource-merge', pkgs);
    expect(out.map((f) => f.path).sort()).toEqual(['Kptfile', 'edited.yaml']);
  });

  it('merges the Kptfile: local annotations and upstream info both kept, identical functions become one', () => {
    const pipeline = 'pipeline:\n  mutators:\n  - image: apply-setters:v0.2\n    configPath: setters.yaml\n';
    const pkgs: ThreePackages = {
      original: [kptfile('info:\n  description: old\n')],
      updated: [kptfile(`info:\n  description: new\n${pipeline}`)],
      local: [
        file(
          'Kptfile',
          `apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: mine\n  annotations:\n    kpt.dev/annotation: "true"\ninfo:\n  description: old\n${pipeline}`,
        ),
      ],
    };
    const [k] = read(upgradeFiles('resource-merge', pkgs), 'Kptfile')!;
    expect(k.metadata).toEqual({ name: 'mine', annotations: { 'kpt.dev/annotation': 'true' } });
    expect(k.info.description).toBe('new');
    expect(k.pipeline.mutators).toEqual([{ image: 'apply-setters:v0.2', configPath: 'setters.yaml' }]);
  });

  it('keeps local edits to other files, follows upstream for the rest, and brings back a file deleted here', () => {
    const pkgs: ThreePackages = {
      original: [kptfile(), file('README.md', 'orig'), file('notes.txt', 'orig'), file('old.txt', 'x')],
      updated: [kptfile(), file('README.md', 'upstream'), file('notes.txt', 'upstream'), file('new.txt', 'n')],
      local: [kptfile(), file('README.md', 'orig'), file('old.txt', 'x'), file('mine.txt', 'm')],
    };
    const out = upgradeFiles('resource-merge', pkgs);
    expect(Object.fromEntries(out.filter((f) => f.path !== 'Kptfile').map((f) => [f.path, Buffer.from(f.content).toString()]))).toEqual({
      'README.md': 'upstream',
      'mine.txt': 'm',
      'new.txt': 'n',
      'notes.txt': 'upstream',
    });
    const edited = { ...pkgs, local: [kptfile(), file('README.md', 'local edit')] };
    expect(text(upgradeFiles('resource-merge', edited), 'README.md')).toBe('local edit');
  });
});

describe('the other strategies', () => {
  const pkgs: ThreePackages = {
    original: [kptfile(), file('a.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n'), file('b.txt', 'b')],
    updated: [kptfile(), file('a.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n'), file('c.txt', 'c')],
    local: [kptfile(), file('a.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n'), file('b.txt', 'b'), file('mine.txt', 'm')],
  };

  it("fast-forward refuses a locally modified package with kpt's message, and otherwise takes upstream", () => {
    expect(() => upgradeFiles('fast-forward', pkgs)).toThrow('local package files have been modified: [mine.txt].\n  use a different update --strategy.');
    const clean = { ...pkgs, local: pkgs.original };
    expect(
      upgradeFiles('fast-forward', clean)
        .map((f) => f.path)
        .sort(),
    ).toEqual(['Kptfile', 'a.yaml', 'c.txt']);
  });

  it('force-delete-replace takes upstream files and drops local additions; copy-merge keeps them', () => {
    expect(
      upgradeFiles('force-delete-replace', pkgs)
        .map((f) => f.path)
        .sort(),
    ).toEqual(['Kptfile', 'a.yaml', 'c.txt']);
    expect(
      upgradeFiles('copy-merge', pkgs)
        .map((f) => f.path)
        .sort(),
    ).toEqual(['Kptfile', 'a.yaml', 'c.txt', 'mine.txt']);
  });
});

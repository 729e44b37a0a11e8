// The five Nephio blueprints rendered in process: their catalog steps run
// built in (a package context flows through apply-replacements, set-namespace
// and apply-setters), and steps naming other images stop the render with a
// message that says what to run them with.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PackageFile } from '../../src-main/render/package/file-tree.ts';
import type { ExternalRunner } from '../../src-main/render/pipeline/external-call.ts';
import { lookupBuiltin } from '../../src-main/render/registry.ts';
import { renderPackage } from '../../src-main/render/render-package.ts';
import { asTextMap, CATALOG_DIR, readPackage } from './support/catalog.ts';

const encoder = new TextEncoder();

function blueprint(name: string, edits: Record<string, [string, string][]> = {}): PackageFile[] {
  return readPackage(path.join(CATALOG_DIR, 'blueprints', name)).map((f) => {
    const changes = edits[f.path];
    if (!changes) return f;
    let text = new TextDecoder().decode(f.content);
    for (const [from, to] of changes) {
      expect(text, `${f.path} contains ${from}`).toContain(from);
      text = text.replace(from, to);
    }
    return { path: f.path, content: encoder.encode(text) };
  });
}

async function render(files: PackageFile[], runExternal?: ExternalRunner) {
  const stderr: string[] = [];
  const out = await renderPackage(files, { onStep: (l) => stderr.push(l), packageName: 'pkg', runExternal });
  return { ...out, text: asTextMap(out.files), stderr };
}

describe('Nephio blueprints', () => {
  it('ric: the package name becomes the namespace of every resource and of the NF config', async () => {
    const out = await render(blueprint('ric', { 'package-context.yaml': [['name: example', 'name: ric-edge1']] }));
    expect(out.error).toBeUndefined();
    expect(out.text['namespace.yaml']).toContain('  name: ric-edge1\n');
    expect(out.text['ricdeployment.yaml']).toContain('  namespace: ric-edge1\n');
    expect(out.text['config_ric_nf.yaml']).toMatch(/configRefs:\n[\s\S]*?namespace: ric-edge1\n/);
    expect(out.results.items.map((i) => [i.image, i.exitCode])).toEqual([
      ['ghcr.io/kptdev/krm-functions-catalog/apply-replacements:v0.1.1', 0],
      ['ghcr.io/kptdev/krm-functions-catalog/apply-replacements:v0.1.1', 0],
      ['ghcr.io/kptdev/krm-functions-catalog/set-namespace:v0.4.1', 0],
    ]);
    const again = await render(out.files);
    expect(again.text).toEqual(out.text);
  });

  it('nephio-workload-cluster: the cluster name reaches list items selected by kind and by image', async () => {
    const out = await render(blueprint('nephio-workload-cluster', { 'package-context.yaml': [['name: example', 'name: edge-2']] }));
    expect(out.error).toBeUndefined();
    const changed = Object.entries(out.text)
      .filter(([p, t]) => asTextMap(blueprint('nephio-workload-cluster'))[p] !== t)
      .map(([p]) => p);
    expect(changed.length).toBeGreaterThan(3);
    expect(Object.values(out.text).join('\n')).toContain('nephio.org/cluster-name: edge-2');
    expect(out.stderr.at(-1)).toBe('Successfully executed 1 function(s) in 1 package(s).');
  });

  it('nephio-workload-cluster-gke: apply-setters reads the setters apply-replacements just wrote', async () => {
    const out = await render(
      blueprint('nephio-workload-cluster-gke', {
        'package-context.yaml': [['name: example', 'name: edge-7']],
        'gcp-context.yaml': [['project-id: example', 'project-id: proj-9']],
      }),
    );
    expect(out.error).toBeUndefined();
    expect(out.text['setters.yaml']).toContain('  name: edge-7\n  project-id: proj-9\n');
    expect(out.text['repo-porch.yaml']).toContain(
      'repo: https://source.developers.google.com/p/proj-9/r/edge-7 # kpt-set: https://source.developers.google.com/p/${project-id}/r/${name}',
    );
    expect(out.text['repo-porch.yaml']).toContain('name: edge-7-auth # kpt-set: ${name}-auth');
  });

  it('rootsync: its starlark step runs when starlark is built in, or names the function and what to do', async () => {
    const out = await render(blueprint('rootsync'));
    if (lookupBuiltin('ghcr.io/kptdev/krm-functions-catalog/starlark:v0.4.3')) {
      expect(out.error).toBeUndefined();
      return;
    }
    expect(out.error).toBe(
      'function "ghcr.io/kptdev/krm-functions-catalog/starlark:v0.4.3" is not built in: run it with a container runtime (Docker or Podman) or replace it with a built-in function',
    );
    expect(out.files).toEqual(blueprint('rootsync'));
  });

  it('free5gc-amf-bp: built-in steps run, then the first Nephio specializer stops the render', async () => {
    const out = await render(blueprint('free5gc-amf-bp'));
    expect(out.error).toMatch(/^function "docker\.io\/nephio\/nfdeploy-fn:latest" is not built in: run it with a container runtime/);
    expect(out.stderr).toContain('[FAIL] "docker.io/nephio/nfdeploy-fn:latest" in 0s');
    expect(out.results.exitCode).toBe(1);
    expect(out.results.items.map((i) => i.exitCode)).toEqual([0, 0, 0, 1]);
    expect(asTextMap(out.files)).toEqual(asTextMap(blueprint('free5gc-amf-bp')));
  });

  it('free5gc-amf-bp: with a runtime for the specializers, the built-in namespace change is written', async () => {
    const seen: string[] = [];
    const out = await render(blueprint('free5gc-amf-bp'), async (fn, list) => {
      seen.push(fn.image ?? '');
      return { stdout: list, stderr: '', exitCode: 0 };
    });
    expect(out.error).toBeUndefined();
    expect(seen).toEqual([
      'docker.io/nephio/nfdeploy-fn:latest',
      'docker.io/nephio/interface-fn:latest',
      'docker.io/nephio/dnn-fn:latest',
      'docker.io/nephio/nad-fn:latest',
      'docker.io/nephio/dnn-fn:latest',
      'docker.io/nephio/interface-fn:latest',
      'docker.io/nephio/nfdeploy-fn:latest',
    ]);
    expect(out.text['amfdeployment.yaml']).toContain('  namespace: free5gc-cp\n');
  });
});

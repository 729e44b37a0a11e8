// The starlark function against the catalog's own cases
// (../shared/krm-functions/cases/starlark): input package in, resources
// compared with expected/ as parsed YAML (key order included, except where
// kpt's `format` step reorders), or the error results case.yaml expects.
// Byte-exact output is the serializer's business, not this test's.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Document, parse, parseAllDocuments } from 'yaml';
import { starlarkFunction } from '../../src-main/render/functions/starlark.ts';
import { FunctionError, type FnOutput } from '../../src-main/render/krm-function.ts';

const CASES = path.resolve(__dirname, '../../../shared/krm-functions/cases/starlark');
const PATH = 'internal.config.kubernetes.io/path';
const INDEX = 'internal.config.kubernetes.io/index';

interface CaseYaml {
  case: string;
  invocation: {
    mode: 'render' | 'eval' | 'pipe';
    args?: Record<string, string>;
    argsFromFiles?: Record<string, string>;
    fnConfig?: string;
    pipeline?: { mutators?: { configPath?: string }[]; validators?: { configPath?: string }[] };
    pipe?: string[];
  };
  expect: { exitCode: number; results?: string; stdErrContains?: string };
}

function ignored(dir: string): string[] {
  const file = path.join(dir, '.krmignore');
  return fs.existsSync(file)
    ? fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
    : [];
}

/** kpt's package reader, minimally: Kptfile, *.yaml, *.yml, split into documents, annotated with path and index. */
function readPackage(dir: string): Document.Parsed[] {
  const skip = ignored(dir);
  const docs: Document.Parsed[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      if (skip.includes(entry.name) || skip.includes(relPath)) continue;
      if (entry.isDirectory()) walk(relPath);
      else if (entry.name === 'Kptfile' || /\.ya?ml$/.test(entry.name)) {
        parseAllDocuments(fs.readFileSync(path.join(dir, relPath), 'utf8')).forEach((doc, index) => {
          if (doc.contents === null) return;
          doc.setIn(['metadata', 'annotations', PATH], relPath);
          doc.setIn(['metadata', 'annotations', INDEX], String(index));
          docs.push(doc as Document.Parsed);
        });
      }
    }
  };
  walk('');
  return docs;
}

function fnConfigFor(c: CaseYaml, inputDir: string, items: Document.Parsed[]): Document.Parsed {
  const inv = c.invocation;
  if (inv.mode === 'eval' && inv.args) {
    const data: Record<string, string> = { ...inv.args };
    for (const [k, file] of Object.entries(inv.argsFromFiles ?? {})) data[k] = fs.readFileSync(path.join(inputDir, file), 'utf8');
    return new Document({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'function-input' }, data }) as Document.Parsed;
  }
  const configPath =
    inv.fnConfig ?? (inv.pipe ? 'fn-config.yaml' : undefined) ?? [...(inv.pipeline?.mutators ?? []), ...(inv.pipeline?.validators ?? [])][0]?.configPath;
  const fc = items.find((d) => d.getIn(['metadata', 'annotations', PATH]) === configPath);
  if (!fc) throw new Error(`case ${c.case}: no function config ${configPath}`);
  return fc;
}

/** A document as plain data without kpt's path/index annotations (and `drop`), keys in order. */
function plain(doc: Document, drop: string[] = []): unknown {
  const js = doc.toJS() as { metadata?: { annotations?: Record<string, string> } };
  const annotations = js.metadata?.annotations;
  if (annotations) {
    for (const k of [PATH, INDEX, ...drop]) delete annotations[k];
    if (Object.keys(annotations).length === 0) delete js.metadata!.annotations;
  }
  return js;
}

/** Sorts keys recursively: for comparisons where kpt's format step decides the order. */
function sortKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortKeys);
  if (x && typeof x === 'object')
    return Object.fromEntries(
      Object.entries(x)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  return x;
}

function byFile(docs: Document[]): Map<string, Document[]> {
  const out = new Map<string, Document[]>();
  for (const d of docs) {
    const p = String(d.getIn(['metadata', 'annotations', PATH]));
    out.set(p, [...(out.get(p) ?? []), d]);
  }
  for (const list of out.values())
    list.sort((a, b) => Number(a.getIn(['metadata', 'annotations', INDEX])) - Number(b.getIn(['metadata', 'annotations', INDEX])));
  return out;
}

async function runCase(c: CaseYaml, dir: string): Promise<{ output?: FnOutput; error?: FunctionError }> {
  const items = readPackage(path.join(dir, 'input'));
  const functionConfig = fnConfigFor(c, path.join(dir, 'input'), items);
  try {
    return { output: await starlarkFunction({ items, functionConfig }) };
  } catch (e) {
    if (e instanceof FunctionError) return { error: e };
    throw e;
  }
}

const caseDirs = fs.readdirSync(CASES).filter((d) => fs.existsSync(path.join(CASES, d, 'case.yaml')));

describe('starlark function on the catalog cases', () => {
  it('finds the catalog cases', () => {
    expect(caseDirs.length).toBeGreaterThanOrEqual(9);
  });

  for (const name of caseDirs) {
    it(name, async () => {
      const dir = path.join(CASES, name);
      const c = parse(fs.readFileSync(path.join(dir, 'case.yaml'), 'utf8')) as CaseYaml;
      const { output, error } = await runCase(c, dir);

      if (c.expect.exitCode !== 0) {
        expect(error, 'the function should fail').toBeInstanceOf(FunctionError);
        const expected = (parse(c.expect.results!) as { items: { results: unknown[]; stderr: string }[] }).items[0]!;
        expect(error!.results).toEqual(expected.results);
        expect(error!.stderr).toBe(expected.stderr);
        return;
      }
      expect(error?.message).toBeUndefined();
      if (c.expect.stdErrContains) expect(output!.stderr).toContain(c.expect.stdErrContains);

      // kpt fn source/sink add the id annotation in the pipe case; kpt's format step orders fields there.
      const pipe = c.invocation.mode === 'pipe';
      const drop = pipe ? ['internal.config.kubernetes.io/id'] : [];
      const norm = (x: unknown) => (pipe ? sortKeys(x) : x);
      const expectedDocs = byFile(readPackage(path.join(dir, 'expected')));
      const actualDocs = byFile(output!.items);
      expect([...actualDocs.keys()].sort()).toEqual([...expectedDocs.keys()].sort());
      for (const [file, docs] of expectedDocs) {
        const actual = actualDocs.get(file)!.map((d) => norm(plain(d)));
        expect(actual, file).toEqual(docs.map((d) => norm(plain(d, drop))));
        expect(JSON.stringify(actual), `${file}: key order`).toBe(JSON.stringify(docs.map((d) => norm(plain(d, drop)))));
      }

      // The upstream runner runs every case twice: the second run must change nothing.
      const again = await starlarkFunction({ items: output!.items, functionConfig: fnConfigFor(c, path.join(dir, 'input'), output!.items) });
      expect(again.items.map((d) => plain(d))).toEqual(output!.items.map((d) => plain(d)));
    });
  }
});

function config(source: string, params = ''): Document.Parsed {
  const d = new Document(parse(`apiVersion: fn.kpt.dev/v1alpha1\nkind: StarlarkRun\nmetadata:\n  name: my-script\n${params}`));
  d.set('source', source);
  return d as Document.Parsed;
}

function resources(text: string): Document.Parsed[] {
  return parseAllDocuments(text).map((d, i) => {
    d.setIn(['metadata', 'annotations', PATH], 'app.yaml');
    d.setIn(['metadata', 'annotations', INDEX], String(i));
    return d as Document.Parsed;
  });
}

async function failureOf(p: unknown): Promise<FunctionError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof FunctionError) return e;
    throw e;
  }
  throw new Error('the function did not fail');
}

describe('starlark function behaviour', () => {
  it('keeps comments and field order of the input, and writes new fields in Go order', async () => {
    const items = resources('# the app\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm # its name\ndata:\n  zed: "1"\n  alpha: "2"\n');
    const out = await starlarkFunction({
      items,
      functionConfig: config('for r in ctx.resource_list["items"]:\n  r["data"]["mid"] = "3"\n  r["metadata"]["labels"] = {"b": "x", "a": "y"}\n'),
    });
    const text = out.items[0]!.toString();
    expect(text).toContain('# the app\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm # its name\n');
    expect(text).toContain('  labels:\n    a: y\n    b: x\n');
    expect(text).toContain('data:\n  zed: "1"\n  alpha: "2"\n  mid: "3"\n');
  });

  it('passes StarlarkRun params and the functionConfig to the script; print goes to stderr', async () => {
    const out = await starlarkFunction({
      items: resources('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n'),
      functionConfig: config(
        'p = ctx.resource_list["functionConfig"]["params"]\nprint(p["greeting"], len(ctx.resource_list["items"]))\nprint(ctx.open_api["definitions"]["io.k8s.api.core.v1.ConfigMap"]["x-kubernetes-group-version-kind"][0]["version"])',
        'params:\n  greeting: hi\n',
      ),
    });
    expect(out.results).toEqual([]);
    expect(out.stderr).toBe('hi 1\nv1\n');
  });

  it('reports fail() as the catalog does, with the traceback for the log', async () => {
    const e = await failureOf(starlarkFunction({ items: [], functionConfig: config('print("checking")\ndef check():\n  fail("not allowed")\ncheck()') }));
    expect(e.results).toEqual([{ message: 'fail: not allowed', severity: 'error' }]);
    expect(e.stderr).toBe('checking\nfailed to evaluate function: error: function failure');
    expect(e.message).toBe('Traceback (most recent call last):\n  my-script:4:6: in <toplevel>\n  my-script:3:7: in check\nError in fail: fail: not allowed');
  });

  it('reports syntax errors and bad configs as error results', async () => {
    const syntax = await failureOf(starlarkFunction({ items: [], functionConfig: config('x = = 1') }));
    expect(syntax.results).toEqual([{ message: "my-script:1:5: got '=', want primary expression", severity: 'error' }]);
    const noConfig = await failureOf(starlarkFunction({ items: [] }));
    expect(noConfig.results).toEqual([{ message: 'FunctionConfig is missing. Expect `ConfigMap` or `StarlarkRun`', severity: 'error' }]);
  });

  it('rejects items the script turned into something that is not a resource', async () => {
    const e = await failureOf(starlarkFunction({ items: [], functionConfig: config('ctx.resource_list["items"] = "oops"') }));
    expect(e.results.at(-1)?.message).toBe('ctx.resource_list["items"] must be a list of resources, got string');
    const e2 = await failureOf(starlarkFunction({ items: [], functionConfig: config('ctx.resource_list["items"].append(set([1]))') }));
    expect(e2.results.at(-1)?.message).toBe('ctx.resource_list["items"][0] must be a dict (a resource), got set');
  });

  it('returns resources the script creates', async () => {
    const out = await starlarkFunction({
      items: [],
      functionConfig: config('ctx.resource_list["items"].append({"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "new"}})'),
    });
    expect(out.items.map((d) => d.toString())).toEqual(['apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: new\n']);
  });

  it('stops a hostile script by the deadline the runner gives', async () => {
    const start = Date.now();
    const e = await failureOf(starlarkFunction({ items: [], functionConfig: config('while True:\n  pass'), deadline: Date.now() + 200 }));
    expect(Date.now() - start).toBeLessThan(1000);
    expect(e.results.at(-1)?.message).toMatch(/^Starlark computation cancelled: timeout \(time limit (1\d\d|200) ms\)$/);
  });

  it("runs the nephio rootsync blueprint's script", async () => {
    const dir = path.resolve(__dirname, '../../../shared/krm-functions/blueprints/rootsync');
    const items = readPackage(dir);
    const functionConfig = items.find((d) => d.getIn(['metadata', 'annotations', PATH]) === 'set-values.yaml')!;
    const out = await starlarkFunction({ items, functionConfig });
    const rootsync = out.items.find((d) => d.get('kind') === 'RootSync')!.toJS() as {
      metadata: { name: string };
      spec: { git: { repo: string; secretRef: { name: string } } };
    };
    expect(rootsync.metadata.name).toBe('example-rootsync');
    expect(rootsync.spec.git.repo).toBe('http://172.18.0.200:3000/nephio/example-rootsync.git');
    expect(rootsync.spec.git.secretRef.name).toBe('example-rootsync-access-token-configsync');
  });
});

// `kpt fn eval` in process: one function over every resource of the package
// and its subpackages (Kptfile and local config included), configured by a
// file or by `key=value` arguments, with kpt's --match-* / --exclude-*.
import type { Document } from 'yaml';
import type { BuiltinFunction } from './krm-function.ts';
import { getAnnotation } from './krm/resource.ts';
import { ANN } from './package/annotation-keys.ts';
import { FileTree, normalizePath, type PackageFile } from './package/file-tree.ts';
import { buildOutputFiles } from './package/output-files.ts';
import { readFileResources, readPackageResources } from './package/read-resources.ts';
import type { ExternalRunner } from './pipeline/external-call.ts';
import { configMapFromArgs, validateConfigFile } from './pipeline/fn-config.ts';
import type { Selector } from './pipeline/kptfile.ts';
import { newResultList, type FunctionResultList } from './pipeline/results.ts';
import { runStep, StepFailure } from './pipeline/run-step.ts';
import { deleteResourceIds, mergeWithInput, selectInput, setResourceIds } from './pipeline/selectors.ts';
import { lookupBuiltin } from './registry.ts';

export interface EvalOptions {
  image?: string;
  exec?: string;
  /** --fn-config: a path inside the package, or the config text itself. */
  fnConfig?: string | { path: string; text: string };
  /** Arguments after `--`: `key=value`, the first may name the config kind. */
  args?: string[];
  /** --match-api-version, --match-kind, --match-name, --match-namespace, --match-labels, --match-annotations. */
  match?: Selector;
  /** The --exclude-* counterparts. */
  exclude?: Selector;
  runExternal?: ExternalRunner;
  onStep?: (line: string) => void;
  lookup?: (image: string) => BuiltinFunction | undefined;
  timeoutMs?: number;
}

export interface EvalResult {
  files: PackageFile[];
  results: FunctionResultList;
  error?: string;
}

const isEmpty = (s: Selector | undefined): boolean =>
  !s || (!s.apiVersion && !s.kind && !s.name && !s.namespace && !Object.keys(s.labels ?? {}).length && !Object.keys(s.annotations ?? {}).length);

function functionConfig(tree: FileTree, opts: EvalOptions): Document | undefined {
  if (opts.fnConfig !== undefined && opts.args?.length) throw new StepFailure('function arguments can only be specified without function config file', false);
  if (opts.fnConfig !== undefined) {
    const { path, text } = typeof opts.fnConfig === 'string' ? { path: opts.fnConfig, text: tree.text(normalizePath(opts.fnConfig)) } : opts.fnConfig;
    validateConfigFile(path, text);
    // kpt reads --fn-config with a plain ByteReader: index and seqindent annotations, no path.
    return readFileResources(undefined, text ?? '', {})[0];
  }
  return configMapFromArgs(opts.args ?? []);
}

export async function evalFunction(files: PackageFile[], opts: EvalOptions): Promise<EvalResult> {
  const results = newResultList();
  const print = opts.onStep ?? (() => {});
  if (!opts.image && !opts.exec) return { files, results, error: 'must specify --image or --exec' };
  const tree = new FileTree(files);
  try {
    const fnConfig = functionConfig(tree, opts);
    const resources: Document[] = readPackageResources(tree, '', { includeSubpackages: true });
    const inputFiles = new Set(resources.map((d) => getAnnotation(d, ANN.path) ?? ''));
    const filtered = !isEmpty(opts.match) || !isEmpty(opts.exclude);
    if (filtered) setResourceIds(resources);
    const selected = filtered ? selectInput(resources, isEmpty(opts.match) ? [] : [opts.match!], isEmpty(opts.exclude) ? [] : [opts.exclude!]) : resources;
    const env = {
      lookup: opts.lookup ?? lookupBuiltin,
      runExternal: opts.runExternal,
      print,
      results,
      deadline: opts.timeoutMs ? Date.now() + opts.timeoutMs : undefined,
    };
    let output = await runStep({ image: opts.image, exec: opts.exec, functionConfig: fnConfig, displayResourceCount: filtered }, selected, env);
    if (filtered) {
      output = mergeWithInput(output, selected, resources);
      deleteResourceIds(output);
    }
    return { files: buildOutputFiles(tree, files, output, inputFiles), results };
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    if (!(e instanceof StepFailure && e.printed)) print(`Error: ${e.message}`);
    return { files, results, error: e.message };
  }
}

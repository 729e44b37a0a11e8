// `kpt fn render` in process: subpackages first (depth first), then each
// package's mutators and validators over its resources and its subpackages'
// output, and every file written back as kpt writes it.
import type { Document } from 'yaml';
import type { BuiltinFunction } from './krm-function.ts';
import { getAnnotation } from './krm/resource.ts';
import { ANN } from './package/annotation-keys.ts';
import { FileTree, joinPath, type PackageFile } from './package/file-tree.ts';
import { readPackageResources } from './package/read-resources.ts';
import { buildOutputFiles } from './package/output-files.ts';
import { KptfileError } from './pipeline/kptfile.ts';
import { newResultList, type FunctionResultList } from './pipeline/results.ts';
import { runPipeline, type PipelineEnv } from './pipeline/run-pipeline.ts';
import { StepFailure } from './pipeline/run-step.ts';
import type { ExternalRunner } from './pipeline/external-call.ts';
import { lookupBuiltin } from './registry.ts';
import { addAttribution, adjustRelPaths, directSubpackages } from './package/package-tree.ts';

export interface RenderOptions {
  /** Runs functions that are not built in (a container runtime, an exec host); without it they fail. */
  runExternal?: ExternalRunner;
  /** kpt's --allow-exec: pipelines with `exec` functions are refused without it. */
  allowExec?: boolean;
  /** Receives each line kpt would print on stderr. */
  onStep?: (line: string) => void;
  /** Name kpt shows for the root package (its directory name); defaults to the Kptfile's name. */
  packageName?: string;
  /** Overrides the built-in lookup (tests). */
  lookup?: (image: string) => BuiltinFunction | undefined;
  timeoutMs?: number;
}

export interface RenderResult {
  files: PackageFile[];
  results: FunctionResultList;
  error?: string;
}

interface Hydrated {
  resources: Document[];
}

export async function renderPackage(files: PackageFile[], opts: RenderOptions = {}): Promise<RenderResult> {
  const tree = new FileTree(files);
  const results = newResultList();
  const print = opts.onStep ?? (() => {});
  const rootKptfile = tree.text('Kptfile');
  if (rootKptfile === undefined)
    return { files, results, error: 'No Kptfile found at the package root: render needs a kpt package (a directory with a Kptfile)' };
  const env: PipelineEnv = {
    tree,
    print,
    allowExec: !!opts.allowExec,
    step: {
      lookup: opts.lookup ?? lookupBuiltin,
      runExternal: opts.runExternal,
      print,
      results,
      deadline: opts.timeoutMs ? Date.now() + opts.timeoutMs : undefined,
    },
    executed: 0,
  };
  const rootName = opts.packageName ?? kptfileName(rootKptfile) ?? 'package';
  const inputFiles = new Set<string>();
  let packages = 0;
  const hydrate = async (dir: string): Promise<Hydrated> => {
    packages++;
    const input: Document[] = [];
    for (const sub of directSubpackages(tree, dir)) input.push(...(await hydrate(sub)).resources);
    const local = readPackageResources(tree, dir, { includeSubpackages: false, packagePath: packagePathOf(dir) });
    for (const doc of local) inputFiles.add(joinPath(dir, getAnnotation(doc, ANN.path) ?? ''));
    input.push(...local);
    const display = dir ? `${rootName}/${dir}` : rootName;
    return { resources: await runPipeline(dir, display, packagePathOf(dir), input, env) };
  };
  try {
    const { resources } = await hydrate('');
    adjustRelPaths(resources);
    addAttribution(resources);
    const out = buildOutputFiles(tree, files, resources, inputFiles);
    print(`Successfully executed ${env.executed} function(s) in ${packages} package(s).`);
    return { files: out, results };
  } catch (e) {
    if (e instanceof StepFailure || e instanceof KptfileError || e instanceof Error) {
      if (!(e instanceof StepFailure && e.printed)) print(`Error: ${e.message}`);
      return { files, results, error: e.message };
    }
    throw e;
  }
}

/** The value render puts in internal.config.kubernetes.io/package-path: the package directory, rooted. */
export function packagePathOf(dir: string): string {
  return `/${dir}`;
}

function kptfileName(text: string): string | undefined {
  return /^metadata:\s*\n(?:\s+.*\n)*?\s+name:\s*['"]?([^'"\s#]+)/m.exec(text)?.[1];
}

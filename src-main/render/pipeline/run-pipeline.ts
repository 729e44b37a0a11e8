// One package's pipeline as kpt's render runs it: mutators in order (a
// configPath re-read from the in-memory package before each step, selectors
// applied), then validators on copies, each result recorded.
import type { Document } from 'yaml';
import { getAnnotation } from '../krm/resource.ts';
import { ANN } from '../package/annotation-keys.ts';
import { joinPath, type FileTree } from '../package/file-tree.ts';
import { parseYamlStream } from '../kyaml-format.ts';
import { configMapFromData, validateConfigFile } from './fn-config.ts';
import { KptfileError, readPipeline, type FunctionStep, type Pipeline } from './kptfile.ts';
import { checkKrm, runStep, StepFailure, type StepEnv } from './run-step.ts';
import { deleteResourceIds, mergeWithInput, selectInput, setResourceIds } from './selectors.ts';

export interface PipelineEnv {
  tree: FileTree;
  print: (line: string) => void;
  allowExec: boolean;
  step: StepEnv;
  executed: number;
}

/** Reads and validates a package's Kptfile pipeline, including that each configPath file exists. */
export function loadPipeline(tree: FileTree, dir: string): Pipeline {
  const text = tree.text(joinPath(dir, 'Kptfile'));
  if (text === undefined) throw new KptfileError(`No Kptfile found in ${JSON.stringify(dir || '.')}`);
  const pipeline = readPipeline(text);
  const all: [FunctionStep, string][] = [
    ...pipeline.mutators.map((f, i): [FunctionStep, string] => [f, `mutators[${i}]`]),
    ...pipeline.validators.map((f, i): [FunctionStep, string] => [f, `validators[${i}]`]),
  ];
  for (const [f, at] of all) {
    if (f.configPath === undefined) continue;
    try {
      validateConfigFile(f.configPath, tree.text(joinPath(dir, f.configPath)));
    } catch (e) {
      throw new KptfileError(
        `invalid pipeline: function ${JSON.stringify(f.image ?? f.exec)}: Kptfile is invalid:\nField: \`pipeline.${at}.configPath\`\nValue: ${JSON.stringify(f.configPath)}\nReason: ${(e as Error).message}\n`,
      );
    }
  }
  return pipeline;
}

function configFromDisk(tree: FileTree, dir: string, f: FunctionStep): Document | undefined {
  if (f.configPath !== undefined) return parseYamlStream(tree.text(joinPath(dir, f.configPath)) ?? '')[0];
  if (f.configMap && Object.keys(f.configMap).length) return configMapFromData(f.configMap);
  return undefined;
}

export async function runPipeline(dir: string, display: string, pkgPath: string, input: Document[], env: PipelineEnv): Promise<Document[]> {
  env.print(`Package ${JSON.stringify(display)}: `);
  const pipeline = loadPipeline(env.tree, dir);
  if (!pipeline.mutators.length && !pipeline.validators.length) {
    const err = checkKrm(input);
    if (err) throw new StepFailure(`input resource list must contain only KRM resources: ${err}`, false);
    return input;
  }
  if (!env.allowExec && [...pipeline.mutators, ...pipeline.validators].some((f) => f.exec)) {
    throw new StepFailure('must run with `--allow-exec` option to allow running function binaries', false);
  }
  let resources = input;
  for (const f of pipeline.mutators) {
    let fnConfig = configFromDisk(env.tree, dir, f);
    if (f.configPath !== undefined) {
      // An earlier step may have changed the config: kpt takes it from the package as it is now.
      for (const r of resources) {
        if (getAnnotation(r, ANN.packagePath) === pkgPath && (getAnnotation(r, ANN.path) ?? getAnnotation(r, ANN.legacyPath)) === f.configPath) fnConfig = r;
      }
    }
    const filtered = f.selectors.length > 0 || f.exclude.length > 0;
    if (filtered) setResourceIds(resources);
    const selected = selectInput(resources, f.selectors, f.exclude);
    const spec = { image: f.image, exec: f.exec, functionConfig: fnConfig, displayResourceCount: filtered, packagePath: pkgPath };
    const output = await runStep(spec, selected, env.step);
    env.executed++;
    if (filtered) {
      resources = mergeWithInput(output, selected, resources);
      deleteResourceIds(resources);
    } else {
      resources = output;
    }
  }
  for (const f of pipeline.validators) {
    const filtered = f.selectors.length > 0 || f.exclude.length > 0;
    const selected = selectInput(resources, f.selectors, f.exclude).map((d) => d.clone());
    const spec = { image: f.image, exec: f.exec, functionConfig: configFromDisk(env.tree, dir, f), displayResourceCount: filtered, packagePath: pkgPath };
    await runStep(spec, selected, env.step);
    env.executed++;
  }
  env.print('');
  return resources;
}

// The kpt function SDK's runner wrapper (fn.WithContext / runnerProcessor):
// config from a ConfigMap's data or from the function's own kind, results
// appended, and a failed run reported as the SDK's AsMain reports it.
import type { Document } from 'yaml';
import type { FnOutput, FnResultItem } from '../krm-function.ts';
import { sdkSort } from '../krm/sdk-object.ts';
import { configView, type ConfigView } from './config.ts';

export const SDK_FAILURE_STDERR = 'failed to evaluate function: error: function failure';

export interface RunnerSpec<C> {
  /** The function's config kind in fn.kpt.dev (SetLabels, SetImage...). */
  kind: string;
  /** Config from a ConfigMap's data (the runner's first string-map field). */
  fromData: (data: Record<string, string>) => C;
  /** Config from the function's own kind; throws with the SDK's conversion error. */
  fromKind: (view: ConfigView) => C;
  run: (config: C | undefined, fc: Document | undefined, items: Document.Parsed[], results: FnResultItem[]) => boolean;
}

/** fn.EmptyFunctionConfig: the `function-input` ConfigMap kpt builds from an empty configMap. */
function emptyConfig(view: ConfigView | undefined): boolean {
  if (!view) return true;
  return (
    view.kind === 'ConfigMap' &&
    view.name === 'function-input' &&
    Object.keys(view.stringMap('data')).length === 0 &&
    view.root?.items.some((p) => (p.key as { value?: unknown })?.value === 'data') === true
  );
}

function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

export function runSdkRunner<C>(spec: RunnerSpec<C>, items: Document.Parsed[], fc: Document | undefined): FnOutput {
  const results: FnResultItem[] = [];
  const view = configView(fc);
  let config: C | undefined;
  const fail = (): FnOutput => ({ items: sdkSort(items), results, exitCode: 1, stderr: SDK_FAILURE_STDERR });
  if (!view || emptyConfig(view)) {
    results.push({ message: '`FunctionConfig` is not given', severity: 'info' });
  } else {
    const group = groupOf(view.apiVersion);
    try {
      if (group === '' && view.kind === 'ConfigMap') config = spec.fromData(view.stringMap('data'));
      else if (group === 'fn.kpt.dev' && view.kind === spec.kind) config = spec.fromKind(view);
      else throw new Error(`unknown FunctionConfig \`${group ? `${view.kind}.${group}` : view.kind}\`, expect \`${spec.kind}.fn.kpt.dev\` or \`ConfigMap.v1\``);
    } catch (e) {
      results.push({ message: (e as Error).message, severity: 'error' });
      return fail();
    }
  }
  const runResults: FnResultItem[] = [];
  const pass = spec.run(config, fc, items, runResults);
  results.push(...runResults);
  return pass ? { items: sdkSort(items), results, exitCode: 0 } : fail();
}

/** The Go JSON decoder's name for a YAML value's type, as its errors print it. */
export function jsonTypeName(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return 'string';
}

/** Decodes a map[string]string field the way encoding/json reports a mismatch. */
export function stringMapField(view: ConfigView, field: string, goType: string, goField: string): Record<string, string> | undefined {
  const v = view.js()[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw new Error(
      `unable to convert object to *${goType} with error: json: cannot unmarshal ${jsonTypeName(v)} into Go struct field ${goField} of type map[string]string`,
    );
  }
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (typeof x !== 'string') {
      throw new Error(
        `unable to convert object to *${goType} with error: json: cannot unmarshal ${jsonTypeName(x)} into Go struct field ${goField} of type string`,
      );
    }
    out[k] = x;
  }
  return out;
}

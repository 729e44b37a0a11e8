// The starlark function's config: a StarlarkRun (fn.kpt.dev, `source` and
// `params`) or a ConfigMap (`data.source`, the rest of data as params), read
// with the checks and messages of the catalog's function (config.go).
import type { Document } from 'yaml';

export const DEFAULT_PROGRAM_NAME = 'starlark-function-run';

export interface StarlarkRun {
  /** The program's name: shown in tracebacks as the file name. */
  name: string;
  source: string;
}

/** A functionConfig the function cannot use; the message is the catalog's. */
export class RunConfigError extends Error {}

function gvkString(apiVersion: string, kind: string): string {
  const slash = apiVersion.indexOf('/');
  const [group, version] = slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
  return `${group}/${version}, Kind=${kind}`;
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function readRunConfig(fc: Document.Parsed | undefined): StarlarkRun {
  const obj: unknown = fc?.toJS();
  if (!obj || typeof obj !== 'object' || Object.keys(obj).length === 0) {
    throw new RunConfigError('FunctionConfig is missing. Expect `ConfigMap` or `StarlarkRun`');
  }
  const o = obj as Record<string, unknown>;
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  const kind = typeof o.kind === 'string' ? o.kind : '';
  const meta = (o.metadata ?? {}) as Record<string, unknown>;
  const name = typeof meta.name === 'string' && meta.name !== '' ? meta.name : DEFAULT_PROGRAM_NAME;
  let source: unknown;
  if (groupOf(apiVersion) === '' && kind === 'ConfigMap') {
    const data = (o.data ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(data)) {
      if (typeof v !== 'string') throw new RunConfigError(`functionConfig ConfigMap data.${k} must be a string, got ${v === null ? 'null' : typeof v}`);
    }
    source = data.source;
  } else if (groupOf(apiVersion) === 'fn.kpt.dev' && kind === 'StarlarkRun') {
    source = o.source;
    if (source !== undefined && source !== null && typeof source !== 'string') {
      throw new RunConfigError('functionConfig StarlarkRun `source` must be a string (use a YAML block scalar: `source: |`)');
    }
    if (o.params !== undefined && o.params !== null && (typeof o.params !== 'object' || Array.isArray(o.params))) {
      throw new RunConfigError('functionConfig StarlarkRun `params` must be a mapping');
    }
  } else {
    throw new RunConfigError(
      `\`functionConfig\` must be either ${gvkString('v1', 'ConfigMap')} or ${gvkString('fn.kpt.dev/v1alpha1', 'StarlarkRun')}, but we got: ${gvkString(apiVersion, kind)}`,
    );
  }
  if (typeof source !== 'string' || source === '') throw new RunConfigError('`source` must not be empty');
  return { name, source };
}

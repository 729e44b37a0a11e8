// The shape every built-in KRM function has: kpt's ResourceList in, items and
// results out, with the items as `yaml` documents so comments, key order and
// quoting survive as kpt's kyaml keeps them.
import type { Document } from 'yaml';

/** One entry of a function's `results`, as kpt's framework.Result writes it. */
export interface FnResultItem {
  message: string;
  severity?: 'error' | 'warning' | 'info';
  resourceRef?: { apiVersion?: string; kind?: string; name?: string; namespace?: string };
  field?: { path: string; currentValue?: unknown; proposedValue?: unknown };
  file?: { path?: string; index?: number };
  tags?: Record<string, string>;
}

export interface FnInput {
  /** The ResourceList's items, each carrying kpt's path and index annotations. */
  items: Document.Parsed[];
  /** The function's config (a ConfigMap built from key=value args, the configPath resource, or inline). */
  functionConfig?: Document.Parsed;
  /** Stop by this time (Date.now() ms): a built-in that loops (starlark) checks it. */
  deadline?: number;
}

export interface FnOutput {
  items: Document.Parsed[];
  results: FnResultItem[];
  /** What the function wrote to stderr (a starlark print()); kpt shows it and keeps it in the results. */
  stderr?: string;
  /** Set by a function whose error results do not fail it (set-namespace reports a missing config and exits 0). */
  exitCode?: number;
}

/**
 * A function that fails outright (bad config, a starlark `fail()`): kpt shows
 * `message` on stderr and the function's exit code is 1.
 */
export class FunctionError extends Error {
  constructor(
    message: string,
    readonly results: FnResultItem[] = [],
    /** The function's stderr when it fails, if it differs from `message`. */
    readonly stderr?: string,
  ) {
    super(message);
    this.name = 'FunctionError';
  }
}

/** A built-in function. It fails when it throws FunctionError or reports a result of severity "error" (unless it sets exitCode). */
export type BuiltinFunction = (input: FnInput) => FnOutput | Promise<FnOutput>;

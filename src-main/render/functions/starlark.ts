// The catalog's `starlark` function (gcr.io/kpt-fn/starlark) in process: runs
// the functionConfig's script with kpt's dialect (set, recursion, top-level
// loops), `ctx.resource_list`, `ctx.open_api`, `load()` of the modules that
// need no files or network, and the sandbox's step and time limits.
import { DEFAULT_LIMITS, EvalError, execFile, loadModule, StarDict, StarlarkSyntaxError, StarStruct, type Value } from '../starlark/index.ts';
import { openApiDocument } from '../starlark/krm/open-api.ts';
import { documentToValue, itemsToDocuments, makeResourceList, Origins } from '../starlark/krm/resource-list.ts';
import { readRunConfig, RunConfigError } from '../starlark/krm/run-config.ts';
import { FunctionError, type BuiltinFunction, type FnOutput } from '../krm-function.ts';

/** What the kpt SDK's AsMain writes to stderr when the function reports failure. */
const SDK_FAILURE = 'failed to evaluate function: error: function failure';

/**
 * The function's failure as the catalog reports it: one error result, the
 * script's print output and the SDK's line on stderr. `detail` (a traceback)
 * becomes the error's message, for callers that log more than kpt shows.
 */
function failure(message: string, detail: string, printed: string): FunctionError {
  return new FunctionError(detail, [{ message, severity: 'error' }], printed + SDK_FAILURE);
}

export const starlarkFunction: BuiltinFunction = async (input) => {
  let run;
  try {
    run = readRunConfig(input.functionConfig);
  } catch (e) {
    if (e instanceof RunConfigError) throw failure(e.message, e.message, '');
    throw e;
  }

  const origins = new Origins();
  const values = input.items.map((doc) => {
    const v = documentToValue(doc);
    origins.add(v, doc);
    return v;
  });
  const rl = makeResourceList(values, input.functionConfig ? documentToValue(input.functionConfig) : undefined);
  const ctx = new StarStruct([
    ['resource_list', rl],
    ['open_api', () => openApiDocument() as Value],
    // The host's environment is not the script's business in a sandbox.
    ['environment', new StarDict()],
  ]);

  // print() goes to stderr, as go.starlark.net's default does in kpt's function.
  let printed = '';
  const budget = Math.min(DEFAULT_LIMITS.timeLimitMs, (input.deadline ?? Infinity) - Date.now());
  try {
    await execFile(run.source, {
      name: run.name,
      predeclared: { ctx },
      load: loadModule,
      print: (message) => {
        printed += message + '\n';
      },
      timeLimitMs: Math.max(0, Math.floor(budget)),
    });
  } catch (e) {
    if (e instanceof EvalError) throw failure(e.msg, e.backtrace(), printed);
    if (e instanceof StarlarkSyntaxError) throw failure(e.message, e.message, printed);
    throw e;
  }

  let items;
  try {
    items = itemsToDocuments(rl, origins);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw failure(message, message, printed);
  }
  const output: FnOutput = { items, results: [] };
  if (printed !== '') output.stderr = printed;
  return output;
};

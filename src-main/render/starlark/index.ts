// Porchlight's Starlark: a sandboxed interpreter of the dialect kpt's starlark
// function runs (go.starlark.net with set, recursion and top-level statements).
export { execFile, execFileSync, type ExecOptions, type ExecResult } from './exec.ts';
export { DEFAULT_LIMITS, Thread, type ThreadOptions } from './thread.ts';
export { EvalError, LimitError, StarError, StarlarkSyntaxError, formatPos, type CallFrame, type LimitKind, type Pos } from './errors.ts';
export { Builtin, StarList, StarModule, StarObject, StarRange, StarStruct, StarTuple, typeName, truth, type Value } from './values.ts';
export { StarDict, StarSet } from './hash-table.ts';
export { StarFunction } from './function.ts';
export { UNIVERSE, structBuiltin } from './builtins.ts';
export { repr, str } from './repr.ts';
export { callSync } from './drive.ts';
export { loadModule, AVAILABLE_MODULES } from './modules/index.ts';
export type { Dialect } from './resolve.ts';

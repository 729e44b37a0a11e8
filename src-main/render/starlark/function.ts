// Functions defined in Starlark (def and lambda) and how a call's arguments
// bind to their parameters, with go.starlark.net's error messages.
import type { FunctionDef } from './ast.ts';
import { starError } from './errors.ts';
import { StarDict } from './hash-table.ts';
import { EMPTY_TUPLE, freeze, StarObject, StarTuple, type Value } from './values.ts';

/** A variable shared between a function and the closures that capture it. */
export class Cell {
  constructor(public v: Value | undefined) {}
}

/** The module a function was defined in: its globals by slot. */
export interface ModuleEnv {
  file: string;
  globalNames: string[];
  globals: (Value | undefined)[];
  predeclared: Map<string, Value>;
}

export class StarFunction extends StarObject {
  readonly type = 'function';
  constructor(
    readonly def: FunctionDef,
    readonly module: ModuleEnv,
    /** Default values, by parameter index (undefined where the parameter is mandatory). */
    readonly defaults: (Value | undefined)[],
    readonly freevars: Cell[],
  ) {
    super();
  }
  get name(): string {
    return this.def.name;
  }
  override freeze(): void {
    if (this.frozen) return;
    this.frozen = true;
    for (const d of this.defaults) if (d !== undefined) freeze(d);
    for (const c of this.freevars) if (c.v !== undefined) freeze(c.v);
  }
}

/** Binds a call's arguments to a new array of locals (cells not yet made). */
export function bindArgs(fn: StarFunction, args: Value[], kwargs: [string, Value][]): (Value | undefined)[] {
  const def = fn.def;
  const locals: (Value | undefined)[] = new Array(def.numLocals);
  const params = def.params;
  const starAt = params.findIndex((p) => p.kind === 'star');
  const positional = (starAt >= 0 ? params.slice(0, starAt) : params).filter((p) => p.kind === 'required' || p.kind === 'optional');
  const varargs = starAt >= 0 && params[starAt]!.name !== undefined ? params[starAt]! : undefined;
  const kwargsParam = params.find((p) => p.kind === 'starstar');

  if (params.length === 0 && (args.length > 0 || kwargs.length > 0)) {
    throw starError(`function ${fn.name} accepts no arguments (${args.length + kwargs.length} given)`);
  }
  let n = args.length;
  if (n > positional.length) {
    if (!varargs) {
      const atMost = positional.some((p) => p.kind === 'optional') ? 'at most ' : '';
      throw starError(
        `function ${fn.name} accepts ${atMost}${positional.length} positional argument${positional.length === 1 ? '' : 's'} (${args.length} given)`,
      );
    }
    n = positional.length;
  }
  for (let i = 0; i < n; i++) locals[positional[i]!.slot!] = args[i];
  if (varargs) locals[varargs.slot!] = n < args.length ? new StarTuple(args.slice(n)) : EMPTY_TUPLE;

  const kwdict = kwargsParam ? new StarDict() : undefined;
  if (kwargsParam) locals[kwargsParam.slot!] = kwdict!;
  for (const [k, v] of kwargs) {
    const p = params.find((q) => q.name === k && (q.kind === 'required' || q.kind === 'optional'));
    if (p) {
      if (locals[p.slot!] !== undefined) throw starError(`function ${fn.name} got multiple values for parameter ${k}`);
      locals[p.slot!] = v;
      continue;
    }
    if (!kwdict) throw starError(`function ${fn.name} got an unexpected keyword argument ${k}`);
    if (kwdict.has(k)) throw starError(`function ${fn.name} got multiple values for parameter ${k}`);
    kwdict.set(k, v);
  }

  const missing: string[] = [];
  params.forEach((p, i) => {
    if ((p.kind !== 'required' && p.kind !== 'optional') || locals[p.slot!] !== undefined) return;
    const d = fn.defaults[i];
    if (d === undefined) missing.push(p.name!);
    else locals[p.slot!] = d;
  });
  if (missing.length > 0) {
    throw starError(`function ${fn.name} missing ${missing.length} argument${missing.length > 1 ? 's' : ''} (${missing.join(', ')})`);
  }
  return locals;
}

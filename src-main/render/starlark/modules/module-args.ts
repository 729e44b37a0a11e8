// Small helpers for module built-ins: positional unpacking with
// go.starlark.net's UnpackPositionalArgs messages, and number coercion.
import { starError } from '../errors.ts';
import { Builtin, StarModule, typeName, type BuiltinFn, type Value } from '../values.ts';

export function positionalArgs(fn: string, args: Value[], kwargs: [string, Value][], min: number, max = min): Value[] {
  if (kwargs.length > 0) throw starError(`${fn}: unexpected keyword arguments`);
  if (args.length < min) throw starError(`${fn}: got ${args.length} arguments, want ${min === max ? '' : 'at least '}${min}`);
  if (args.length > max) throw starError(`${fn}: got ${args.length} arguments, want ${min === max ? '' : 'at most '}${max}`);
  return args;
}

export function stringArg(fn: string, i: number, v: Value | undefined): string {
  if (typeof v !== 'string') throw starError(`${fn}: for parameter ${i + 1}: got ${typeName(v ?? null)}, want string`);
  return v;
}

export function floatArg(fn: string, i: number, v: Value | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw starError(`${fn}: for parameter ${i + 1}: got ${typeName(v ?? null)}, want float or int`);
}

/** A module value whose members are built-ins named `<prefix>.<name>` in errors. */
export function makeModule(name: string, fns: Record<string, BuiltinFn>, constants: Record<string, Value> = {}): StarModule {
  const members: Record<string, Value> = { ...constants };
  for (const [k, fn] of Object.entries(fns)) members[k] = new Builtin(`${name}.${k}`, fn);
  return new StarModule(name, members);
}

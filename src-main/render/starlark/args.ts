// Argument unpacking for built-ins, with go.starlark.net's UnpackArgs messages.
import { starError } from './errors.ts';
import { typeName, type Value } from './values.ts';

/**
 * Binds args and kwargs to `params` (names; a trailing "?" marks optional).
 * Absent optional parameters come back undefined.
 */
export function unpackArgs(fn: string, args: Value[], kwargs: [string, Value][], params: string[]): (Value | undefined)[] {
  const names = params.map((p) => p.replace(/\?$/, ''));
  const out: (Value | undefined)[] = new Array(params.length).fill(undefined);
  if (args.length > params.length) {
    throw starError(`${fn}: got ${args.length} arguments, want at most ${params.length}`);
  }
  args.forEach((a, i) => (out[i] = a));
  for (const [k, v] of kwargs) {
    const i = names.indexOf(k);
    if (i < 0) throw starError(`${fn}: unexpected keyword argument ${k}`);
    if (out[i] !== undefined) throw starError(`${fn}: got multiple values for keyword argument ${k}`);
    out[i] = v;
  }
  params.forEach((p, i) => {
    if (!p.endsWith('?') && out[i] === undefined) throw starError(`${fn}: missing argument for ${names[i]}`);
  });
  return out;
}

/** Positional-only unpacking: exactly `min`..`max` arguments and no keywords. */
export function positional(fn: string, args: Value[], kwargs: [string, Value][], min: number, max = min): Value[] {
  if (kwargs.length > 0) throw starError(`${fn} does not accept keyword arguments`);
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min === 1 ? 'exactly 1 argument' : `${min} arguments`}` : args.length < min ? `at least ${min}` : `at most ${max}`;
    throw starError(`${fn}: got ${args.length} arguments, want ${want}`);
  }
  return args;
}

export function wantString(fn: string, what: string, v: Value | undefined): string {
  if (typeof v !== 'string') throw starError(`${fn}: for parameter ${what}: got ${typeName(v ?? null)}, want string`);
  return v;
}

export function wantInt(fn: string, what: string, v: Value | undefined): bigint {
  if (typeof v !== 'bigint') throw starError(`${fn}: for parameter ${what}: got ${typeName(v ?? null)}, want int`);
  return v;
}

/** An optional int argument as a JS number (None or absent gives `dflt`). */
export function optIndex(fn: string, what: string, v: Value | undefined, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  const n = wantInt(fn, what, v);
  if (n > 2n ** 53n) return Number.MAX_SAFE_INTEGER;
  if (n < -(2n ** 53n)) return Number.MIN_SAFE_INTEGER;
  return Number(n);
}

export function noArgs(fn: string, args: Value[], kwargs: [string, Value][]): void {
  if (args.length > 0 || kwargs.length > 0) throw starError(`${fn}: got ${args.length + kwargs.length} arguments, want 0`);
}

// Built-ins that construct or convert values: int, float, str, bool, list,
// tuple, dict, set, range, chr, ord, abs.
import { positional, unpackArgs, wantInt } from './args.ts';
import { starError } from './errors.ts';
import { newSet, StarDict } from './hash-table.ts';
import { updateDict } from './methods-dict.ts';
import { formatFloat, str } from './repr.ts';
import { len as lenOf, toArray } from './sequence.ts';
import { byteLength } from './utf8.ts';
import { StarList, StarRange, StarTuple, truth, typeName, type BuiltinFn } from './values.ts';

/** Longest string int() parses: BigInt parsing is quadratic, and a script must not stall. */
const MAX_INT_DIGITS = 40_000;

function parseInt(s: string, base: number): bigint | undefined {
  let neg = false;
  let t = s;
  if (t.startsWith('+') || t.startsWith('-')) {
    neg = t[0] === '-';
    t = t.slice(1);
  }
  const prefix = t.length > 2 && t[0] === '0' ? ({ o: 8, x: 16, b: 2 } as Record<string, number>)[t[1]!.toLowerCase()] : undefined;
  if (prefix !== undefined && (base === 0 || base === prefix)) {
    base = prefix;
    t = t.slice(2);
  } else if (base === 0 && t.length > 1 && t[0] === '0') {
    return /^0+$/.test(t) ? 0n : undefined;
  }
  if (base === 0) base = 10;
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
  if (t === '' || ![...t.toLowerCase()].every((c) => digits.includes(c))) return undefined;
  let v = 0n;
  if (base === 10) v = BigInt(t);
  else if (base === 16 || base === 8 || base === 2) v = BigInt(`0${base === 16 ? 'x' : base === 8 ? 'o' : 'b'}${t}`);
  else for (const c of t.toLowerCase()) v = v * BigInt(base) + BigInt(digits.indexOf(c));
  return neg ? -v : v;
}

export function floatToInt(f: number): bigint {
  if (!Number.isFinite(f)) throw starError(`cannot convert float ${formatFloat(f, 'g')} to integer`);
  return BigInt(Math.trunc(f));
}

const int: BuiltinFn = (_t, args, kwargs) => {
  const [x = 0n, baseV] = unpackArgs('int', args, kwargs, ['x?', 'base?']);
  if (typeof x === 'string') {
    let base = 10;
    if (baseV !== undefined) {
      if (typeof baseV !== 'bigint') throw starError(`int: for base, got ${typeName(baseV)}, want int`);
      base = Number(baseV);
      if (base !== 0 && (base < 2 || base > 36)) throw starError('int: base must be an integer >= 2 && <= 36');
    }
    if (x.length > MAX_INT_DIGITS) throw starError(`int: string of ${x.length} characters is too long to convert (limit ${MAX_INT_DIGITS})`);
    const v = parseInt(x, base);
    if (v === undefined) throw starError(`int: invalid literal with base ${base}: ${x}`);
    return v;
  }
  if (baseV !== undefined) throw starError("int: can't convert non-string with explicit base");
  if (typeof x === 'boolean') return x ? 1n : 0n;
  if (typeof x === 'bigint') return x;
  if (typeof x === 'number') {
    try {
      return floatToInt(x);
    } catch (e) {
      throw starError(`int: ${(e as Error).message}`);
    }
  }
  throw starError(`int: got ${typeName(x)}, want int`);
};

const float: BuiltinFn = (_t, args, kwargs) => {
  if (kwargs.length > 0) throw starError('float does not accept keyword arguments');
  if (args.length === 0) return 0;
  if (args.length !== 1) throw starError(`float got ${args.length} arguments, wants 1`);
  const x = args[0]!;
  if (typeof x === 'boolean') return x ? 1 : 0;
  if (typeof x === 'number') return x;
  if (typeof x === 'bigint') {
    const f = Number(x);
    if (!Number.isFinite(f)) throw starError('int too large to convert to float');
    return f;
  }
  if (typeof x === 'string') {
    if (x === '') throw starError('float: empty string');
    const lower = x.toLowerCase();
    if (['inf', '+inf', 'infinity', '+infinity'].includes(lower)) return Infinity;
    if (['-inf', '-infinity'].includes(lower)) return -Infinity;
    if (['nan', '+nan', '-nan'].includes(lower)) return NaN;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(x)) throw starError(`invalid float literal: ${x}`);
    const f = Number(x);
    if (!Number.isFinite(f)) throw starError('floating-point number too large');
    return f;
  }
  throw starError(`float got ${typeName(x)}, want number or string`);
};

const range: BuiltinFn = (_t, args, kwargs) => {
  if (kwargs.length > 0) throw starError('range does not accept keyword arguments');
  if (args.length < 1 || args.length > 3) throw starError(`range: got ${args.length} arguments, want 1-3`);
  const ints = args.map((a, i) => wantInt('range', `${['start', 'stop', 'step'][args.length === 1 ? 1 : i]}`, a));
  const [start, stop, step] = args.length === 1 ? [0n, ints[0]!, 1n] : [ints[0]!, ints[1]!, ints[2] ?? 1n];
  if (step === 0n) throw starError('range: step argument must not be zero');
  return new StarRange(start, stop, step);
};

const abs: BuiltinFn = (_t, args, kwargs) => {
  const [x] = positional('abs', args, kwargs, 1);
  if (typeof x === 'number') return Math.abs(x);
  if (typeof x === 'bigint') return x < 0n ? -x : x;
  throw starError(`got ${typeName(x!)}, want int or float`);
};

const chr: BuiltinFn = (_t, args, kwargs) => {
  const [x] = positional('chr', args, kwargs, 1);
  if (typeof x !== 'bigint') throw starError(`chr: got ${typeName(x!)}, want int`);
  if (x < 0n) throw starError(`chr: Unicode code point ${x} out of range (<0)`);
  if (x > 0x10ffffn) throw starError(`chr: Unicode code point U+${x.toString(16).toUpperCase()} out of range (>0x10FFFF)`);
  return String.fromCodePoint(Number(x));
};

const ord: BuiltinFn = (_t, args, kwargs) => {
  const [x] = positional('ord', args, kwargs, 1);
  if (typeof x !== 'string') throw starError(`ord: got ${typeName(x!)}, want string or bytes`);
  const cps = [...x];
  if (cps.length !== 1) throw starError(`ord: string encodes ${cps.length} Unicode code points, want 1`);
  return BigInt(cps[0]!.codePointAt(0)!);
};

export const convertBuiltins: Record<string, BuiltinFn> = {
  abs,
  bool: (_t, args, kwargs) => truth(positional('bool', args, kwargs, 0, 1)[0] ?? false),
  chr,
  dict: (t, args, kwargs) => {
    const d = new StarDict();
    updateDict(t, d, args, kwargs, 'dict');
    return d;
  },
  float,
  int,
  list: (t, args, kwargs) => {
    const [x] = positional('list', args, kwargs, 0, 1);
    return new StarList(x === undefined ? [] : toArray(t, x, 'list'));
  },
  ord,
  range,
  set: (t, args, kwargs) => {
    const [x] = positional('set', args, kwargs, 0, 1);
    return newSet(x === undefined ? [] : toArray(t, x, 'set'));
  },
  str: (_t, args, kwargs) => {
    if (kwargs.length > 0) throw starError('str does not accept keyword arguments');
    if (args.length !== 1) throw starError(`str: got ${args.length} arguments, want exactly 1`);
    return str(args[0]!);
  },
  tuple: (t, args, kwargs) => {
    const [x] = positional('tuple', args, kwargs, 0, 1);
    if (x instanceof StarTuple) return x;
    return new StarTuple(x === undefined ? [] : toArray(t, x, 'tuple'));
  },
  len: (_t, args, kwargs) => {
    const [x] = positional('len', args, kwargs, 1);
    if (typeof x === 'string') return BigInt(byteLength(x));
    const n = lenOf(x!);
    if (n === undefined) throw starError(`len: value of type ${typeName(x!)} has no len`);
    return BigInt(n);
  },
};

// Unary and binary operators with Starlark's semantics: floored // and %,
// true division always float, no implicit string conversions.
import { compare, equals } from './compare.ts';
import { starError } from './errors.ts';
import { percentFormat } from './format.ts';
import { newSet, StarDict, StarSet } from './hash-table.ts';
import type { Thread } from './thread.ts';
import { StarList, StarRange, StarTuple, truth, typeName, type Value } from './values.ts';

/** Ints beyond this many bits are refused: a single multiplication must stay fast. */
const MAX_INT_BITS = 100_000;
const SMALL = 1n << 64n;
const NEG_SMALL = -SMALL;

function checkInt(r: bigint): bigint {
  // Comparing with a huge bound costs time on every operation; only big results are measured.
  if (r < SMALL && r > NEG_SMALL) return r;
  if ((r < 0n ? -r : r).toString(16).length * 4 > MAX_INT_BITS) throw starError(`int too large (more than ${MAX_INT_BITS} bits)`);
  return r;
}

function toFloat(v: bigint | number): number {
  return typeof v === 'number' ? v : Number(v);
}

export function unary(op: string, x: Value): Value {
  switch (op) {
    case 'not':
      return !truth(x);
    case '-':
      if (typeof x === 'bigint') return -x;
      if (typeof x === 'number') return -x;
      break;
    case '+':
      if (typeof x === 'bigint' || typeof x === 'number') return x;
      break;
    case '~':
      if (typeof x === 'bigint') return ~x;
      break;
  }
  throw starError(`unknown unary op: ${op} ${typeName(x)}`);
}

export function binary(thread: Thread, op: string, x: Value, y: Value): Value {
  const tx = typeof x;
  const ty = typeof y;
  const ints = tx === 'bigint' && ty === 'bigint';
  const nums = (tx === 'bigint' || tx === 'number') && (ty === 'bigint' || ty === 'number');
  switch (op) {
    case '+':
      if (ints) return checkInt((x as bigint) + (y as bigint));
      if (nums) return toFloat(x as number) + toFloat(y as number);
      if (tx === 'string' && ty === 'string') {
        thread.checkSize((x as string).length + (y as string).length, 'string');
        return (x as string) + (y as string);
      }
      if (x instanceof StarList && y instanceof StarList) {
        thread.checkSize(x.elems.length + y.elems.length, 'list');
        return new StarList([...x.elems, ...y.elems]);
      }
      if (x instanceof StarTuple && y instanceof StarTuple) return new StarTuple([...x.elems, ...y.elems]);
      break;
    case '-':
      if (ints) return checkInt((x as bigint) - (y as bigint));
      if (nums) return toFloat(x as number) - toFloat(y as number);
      if (x instanceof StarSet && y instanceof StarSet) return newSet(x.elems().filter((e) => !y.has(e)));
      break;
    case '*':
      if (ints) return checkInt((x as bigint) * (y as bigint));
      if (nums) return toFloat(x as number) * toFloat(y as number);
      if (tx === 'bigint') return repeat(thread, y, x as bigint, op, x);
      if (ty === 'bigint') return repeat(thread, x, y as bigint, op, y);
      break;
    case '/':
      if (nums) {
        const d = toFloat(y as number);
        if (d === 0) throw starError('floating-point division by zero');
        return toFloat(x as number) / d;
      }
      break;
    case '//':
      if (ints) {
        const b = y as bigint;
        if (b === 0n) throw starError('floored division by zero');
        return floorDiv(x as bigint, b);
      }
      if (nums) {
        const d = toFloat(y as number);
        if (d === 0) throw starError('floored division by zero');
        return Math.floor(toFloat(x as number) / d);
      }
      break;
    case '%':
      if (ints) {
        const b = y as bigint;
        if (b === 0n) throw starError('integer modulo by zero');
        const a = x as bigint;
        return a - floorDiv(a, b) * b;
      }
      if (nums) {
        const a = toFloat(x as number);
        const b = toFloat(y as number);
        if (b === 0) throw starError('floating-point modulo by zero');
        const r = a % b;
        return r !== 0 && r < 0 !== b < 0 ? r + b : r;
      }
      if (tx === 'string') return percentFormat(x as string, y);
      break;
    case '&':
      if (ints) return (x as bigint) & (y as bigint);
      if (x instanceof StarSet && y instanceof StarSet) return newSet(x.elems().filter((e) => y.has(e)));
      break;
    case '|':
      if (ints) return (x as bigint) | (y as bigint);
      if (x instanceof StarSet && y instanceof StarSet) return newSet([...x.elems(), ...y.elems()]);
      if (x instanceof StarDict && y instanceof StarDict) {
        const d = new StarDict();
        for (const [k, v] of x.items()) d.set(k, v);
        for (const [k, v] of y.items()) d.set(k, v);
        return d;
      }
      break;
    case '^':
      if (ints) return (x as bigint) ^ (y as bigint);
      if (x instanceof StarSet && y instanceof StarSet) {
        return newSet([...x.elems().filter((e) => !y.has(e)), ...y.elems().filter((e) => !x.has(e))]);
      }
      break;
    case '<<':
    case '>>':
      if (ints) {
        const n = y as bigint;
        if (n < 0n) throw starError(`negative shift count: ${n}`);
        if (op === '>>') return (x as bigint) >> n;
        if (n >= 512n) throw starError(`shift count too large: ${n}`);
        return checkInt((x as bigint) << n);
      }
      break;
    case 'in':
      return contains(y, x);
    case 'not in':
      return !contains(y, x);
    case '==':
      return equals(x, y);
    case '!=':
      return !equals(x, y);
    case '<':
      return compare(op, x, y) < 0;
    case '<=':
      return compare(op, x, y) <= 0;
    case '>':
      return compare(op, x, y) > 0;
    case '>=':
      return compare(op, x, y) >= 0;
  }
  throw starError(`unknown binary op: ${typeName(x)} ${op} ${typeName(y)}`);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function repeat(thread: Thread, seq: Value, n: bigint, op: string, nv: Value): Value {
  const count = n < 0n ? 0 : n;
  if (typeof seq === 'string') {
    thread.checkSize(seq.length * Number(count), 'string');
    return seq === '' ? '' : seq.repeat(Number(count));
  }
  if (seq instanceof StarList || seq instanceof StarTuple) {
    thread.checkSize(seq.elems.length * Number(count), seq.type);
    // An empty sequence times a huge count is empty: do not loop over the count.
    if (seq.elems.length === 0) return seq instanceof StarList ? new StarList([]) : seq;
    const out: Value[] = [];
    for (let i = 0n; i < count; i++) out.push(...seq.elems);
    return seq instanceof StarList ? new StarList(out) : new StarTuple(out);
  }
  throw starError(`unknown binary op: ${typeName(seq)} ${op} ${typeName(nv)}`);
}

/** `x in y`: membership by equality, by key for dicts, substring for strings. */
export function contains(container: Value, x: Value): boolean {
  if (typeof container === 'string') {
    if (typeof x !== 'string') throw starError(`'in <string>' requires string as left operand, not ${typeName(x)}`);
    return container.includes(x);
  }
  if (container instanceof StarList || container instanceof StarTuple) return container.elems.some((e) => equals(e, x));
  if (container instanceof StarDict) return container.has(x);
  if (container instanceof StarSet) return container.has(x);
  if (container instanceof StarRange) {
    if (typeof x !== 'bigint') {
      if (typeof x === 'number' && Number.isInteger(x)) return contains(container, BigInt(x));
      if (typeof x === 'number') return false;
      throw starError(`'in <range>' requires integer as left operand, not ${typeName(x)}`);
    }
    const { start, stop, step } = container;
    if (step > 0n ? x < start || x >= stop : x > start || x <= stop) return false;
    return (x - start) % step === 0n;
  }
  throw starError(`unknown binary op: ${typeName(x)} in ${typeName(container)}`);
}

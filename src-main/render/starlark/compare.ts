// Equality and ordering. int and float compare by value (1 == 1.0), other
// types only with their own kind; cycles end with an error, not a hang.
import { starError } from './errors.ts';
import { StarDict, StarSet } from './hash-table.ts';
import { StarList, StarRange, StarStruct, StarTuple, typeName, type Value } from './values.ts';

const MAX_DEPTH = 100;

/** Compares an int with a float exactly (no rounding of big ints). */
export function cmpIntFloat(i: bigint, f: number): number {
  if (Number.isNaN(f)) return NaN;
  if (!Number.isFinite(f)) return f > 0 ? -1 : 1;
  const t = Math.trunc(f);
  const bt = BigInt(t);
  if (i !== bt) return i < bt ? -1 : 1;
  const frac = f - t;
  return frac > 0 ? -1 : frac < 0 ? 1 : 0;
}

export function equals(x: Value, y: Value, depth = 0): boolean {
  if (x === y) return true;
  const tx = typeof x;
  const ty = typeof y;
  if (tx === 'bigint' && ty === 'number') return cmpIntFloat(x as bigint, y as number) === 0;
  if (tx === 'number' && ty === 'bigint') return cmpIntFloat(y as bigint, x as number) === 0;
  if (tx !== 'object' || ty !== 'object' || x === null || y === null) return false;
  if (depth > MAX_DEPTH) throw starError('comparison exceeded maximum recursion depth');
  if (x instanceof StarList && y instanceof StarList) return seqEquals(x.elems, y.elems, depth);
  if (x instanceof StarTuple && y instanceof StarTuple) return seqEquals(x.elems, y.elems, depth);
  if (x instanceof StarDict && y instanceof StarDict) {
    if (x.size !== y.size) return false;
    for (const [k, v] of x.items()) {
      const w = y.get(k);
      if (w === undefined || !equals(v, w, depth + 1)) return false;
    }
    return true;
  }
  if (x instanceof StarSet && y instanceof StarSet) {
    return x.size === y.size && x.elems().every((e) => y.has(e));
  }
  if (x instanceof StarStruct && y instanceof StarStruct) {
    const names = x.attrNames();
    const other = y.attrNames();
    return (
      x.type === y.type && names.length === other.length && names.every((n, i) => n === other[i] && equals(x.attr(n) ?? null, y.attr(n) ?? null, depth + 1))
    );
  }
  if (x instanceof StarRange && y instanceof StarRange) {
    if (x.length !== y.length) return false;
    return x.length === 0n || (x.start === y.start && (x.length === 1n || x.step === y.step));
  }
  return false;
}

function seqEquals(a: readonly Value[], b: readonly Value[], depth: number): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!equals(a[i]!, b[i]!, depth + 1)) return false;
  return true;
}

/** Three-way comparison for <, <=, >, >=; `op` names the operator in errors. NaN yields NaN. */
export function compare(op: string, x: Value, y: Value, depth = 0): number {
  const tx = typeof x;
  const ty = typeof y;
  if (tx === 'bigint' && ty === 'bigint') return (x as bigint) < (y as bigint) ? -1 : (x as bigint) > (y as bigint) ? 1 : 0;
  if (tx === 'number' && ty === 'number') {
    const a = x as number;
    const b = y as number;
    return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
  }
  if (tx === 'bigint' && ty === 'number') return cmpIntFloat(x as bigint, y as number);
  if (tx === 'number' && ty === 'bigint') return -cmpIntFloat(y as bigint, x as number);
  if (tx === 'string' && ty === 'string') return (x as string) < (y as string) ? -1 : (x as string) > (y as string) ? 1 : 0;
  if (tx === 'boolean' && ty === 'boolean') return Number(x) - Number(y);
  if (depth > MAX_DEPTH) throw starError('comparison exceeded maximum recursion depth');
  if ((x instanceof StarList && y instanceof StarList) || (x instanceof StarTuple && y instanceof StarTuple)) {
    const a = x.elems;
    const b = y.elems;
    for (let i = 0; i < a.length && i < b.length; i++) {
      if (!equals(a[i]!, b[i]!, depth + 1)) return compare(op, a[i]!, b[i]!, depth + 1);
    }
    return a.length - b.length;
  }
  throw starError(`${typeName(x)} ${op} ${typeName(y)} not implemented`);
}

/** The total order used by sorted(), min() and max(): NaN after every other float. */
export function sortCompare(x: Value, y: Value): number {
  const c = compare('<', x, y);
  if (!Number.isNaN(c)) return c;
  const xn = typeof x === 'number' && Number.isNaN(x);
  const yn = typeof y === 'number' && Number.isNaN(y);
  return xn && yn ? 0 : xn ? 1 : -1;
}

// Indexing, slicing, len and iteration over the built-in sequence and
// mapping types, with go.starlark.net's error messages.
import { starError } from './errors.ts';
import { StarDict, StarSet } from './hash-table.ts';
import { repr } from './repr.ts';
import type { Thread } from './thread.ts';
import { byteLength, byteSlice, bytesAt, isAscii } from './utf8.ts';
import { MutableObject, StarList, StarObject, StarRange, StarTuple, typeName, type Value } from './values.ts';

/** An iterable, indexable view such as `"abc".elems()` (type "string.elems"). */
export class IterableView extends StarObject {
  constructor(
    readonly type: string,
    readonly items: Value[],
    private readonly label: string,
  ) {
    super();
    this.frozen = true;
  }
  repr(): string {
    return this.label;
  }
}

export function len(x: Value): number | undefined {
  if (typeof x === 'string') return byteLength(x);
  if (x instanceof StarList || x instanceof StarTuple) return x.elems.length;
  if (x instanceof StarDict || x instanceof StarSet) return x.size;
  if (x instanceof StarRange) return Number(x.length);
  if (x instanceof IterableView) return x.items.length;
  return undefined;
}

/** An iteration over `x`; `done()` must be called after, so the container accepts changes again. */
export interface Iteration {
  items: Iterable<Value>;
  done(): void;
}

const NOOP = () => {};

export function iterate(x: Value): Iteration | undefined {
  if (x instanceof StarList || x instanceof StarDict || x instanceof StarSet) {
    const locked: MutableObject = x;
    if (!locked.frozen) locked.itercount++;
    const items = x instanceof StarList ? x.elems : x instanceof StarDict ? x.iterKeys() : x.iter();
    return {
      items,
      done: () => {
        if (!locked.frozen) locked.itercount--;
      },
    };
  }
  if (x instanceof StarTuple) return { items: x.elems, done: NOOP };
  if (x instanceof IterableView) return { items: x.items, done: NOOP };
  if (x instanceof StarRange) return { items: rangeItems(x), done: NOOP };
  return undefined;
}

function* rangeItems(r: StarRange): IterableIterator<Value> {
  for (let i = 0n; i < r.length; i++) yield r.start + i * r.step;
}

/** All elements of an iterable, counting a step per element; throws when not iterable. */
export function toArray(thread: Thread, x: Value, who?: string): Value[] {
  if (x instanceof StarList || x instanceof StarTuple) {
    thread.tick(x.elems.length);
    return [...x.elems];
  }
  const it = iterate(x);
  if (!it) throw starError(who ? `${who}: got ${typeName(x)}, want iterable` : `${typeName(x)} value is not iterable`);
  const out: Value[] = [];
  try {
    for (const v of it.items) {
      thread.tick();
      out.push(v);
    }
  } finally {
    it.done();
  }
  return out;
}

export function asInt(v: Value, what: string): number {
  if (typeof v !== 'bigint') throw starError(`${what}: got ${typeName(v)}, want int`);
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw starError(`${what}: ${v} out of range`);
  return Number(v);
}

function checkIndex(x: Value, i: number, n: number): number {
  const j = i < 0 ? i + n : i;
  if (j < 0 || j >= n) {
    throw starError(n === 0 ? `index ${i} out of range: empty ${typeName(x)}` : `${typeName(x)} index ${i} out of range [${-n}:${n - 1}]`);
  }
  return j;
}

export function getIndex(x: Value, y: Value): Value {
  if (x instanceof StarDict) {
    const v = x.get(y);
    if (v === undefined) throw starError(`key ${repr(y)} not in dict`);
    return v;
  }
  if (x instanceof StarList || x instanceof StarTuple || x instanceof IterableView) {
    const elems = x instanceof IterableView ? x.items : x.elems;
    return elems[checkIndex(x, asInt(y, `${x.type} index`), elems.length)]!;
  }
  if (typeof x === 'string') {
    const n = byteLength(x);
    const i = checkIndex(x, asInt(y, 'string index'), n);
    return isAscii(x) ? x[i]! : byteSlice(x, i, i + 1);
  }
  if (x instanceof StarRange) {
    const i = checkIndex(x, asInt(y, 'range index'), Number(x.length));
    return x.at(BigInt(i));
  }
  throw starError(`unhandled index operation ${typeName(x)}[${typeName(y)}]`);
}

export function setIndex(x: Value, y: Value, v: Value): void {
  if (x instanceof StarDict) {
    x.set(y, v);
    return;
  }
  if (x instanceof StarList) {
    const i = checkIndex(x, asInt(y, 'list index'), x.elems.length);
    x.checkMutable('assign to element of');
    x.elems[i] = v;
    return;
  }
  throw starError(`${typeName(x)} value does not support item assignment`);
}

/** Python slice indices for a sequence of length n. */
export function sliceIndices(n: number, lo: Value, hi: Value, stepV: Value): number[] {
  const step = stepV === null ? 1 : asInt(stepV, 'invalid slice step');
  if (step === 0) throw starError('zero is not a valid slice step');
  const clamp = (v: Value, dflt: number, what: string): number => {
    if (v === null) return dflt;
    let i = asInt(v, what);
    if (i < 0) i += n;
    return step > 0 ? Math.min(Math.max(i, 0), n) : Math.min(Math.max(i, -1), n - 1);
  };
  const start = clamp(lo, step > 0 ? 0 : n - 1, 'invalid start index');
  const end = clamp(hi, step > 0 ? n : -1, 'invalid end index');
  const out: number[] = [];
  if (step > 0) for (let i = start; i < end; i += step) out.push(i);
  else for (let i = start; i > end; i += step) out.push(i);
  return out;
}

export function slice(x: Value, lo: Value, hi: Value, step: Value): Value {
  if (typeof x === 'string') {
    if (step === null && isAscii(x)) {
      const idx = sliceIndices(x.length, lo, hi, null);
      return idx.length === 0 ? '' : x.slice(idx[0], idx[idx.length - 1]! + 1);
    }
    return bytesAt(x, sliceIndices(byteLength(x), lo, hi, step));
  }
  if (x instanceof StarList || x instanceof StarTuple) {
    const picked = sliceIndices(x.elems.length, lo, hi, step).map((i) => x.elems[i]!);
    return x instanceof StarList ? new StarList(picked) : new StarTuple(picked);
  }
  if (x instanceof StarRange) {
    const idx = sliceIndices(Number(x.length), lo, hi, step);
    const s = step === null ? 1n : (step as bigint);
    const start = idx.length > 0 ? x.at(BigInt(idx[0]!)) : x.start;
    return new StarRange(start, start + BigInt(idx.length) * x.step * s, x.step * s);
  }
  throw starError(`invalid slice operand ${typeName(x)}`);
}

// Built-ins over iterables: sorted, reversed, enumerate, zip, min, max, any, all.
import { positional, unpackArgs } from './args.ts';
import { sortCompare } from './compare.ts';
import { callSync } from './drive.ts';
import { StarError, starError } from './errors.ts';
import { toArray } from './sequence.ts';
import type { Thread } from './thread.ts';
import { StarList, StarTuple, truth, typeName, type BuiltinFn, type Value } from './values.ts';

/** Sort comparisons can fail (int < string); the error is named after the built-in. */
function named<T>(fn: string, body: () => T): T {
  try {
    return body();
  } catch (e) {
    if (e instanceof StarError) throw starError(`${fn}: ${e.message}`);
    throw e;
  }
}

function keysOf(thread: Thread, items: Value[], key: Value | undefined): Value[] {
  if (key === undefined || key === null) return items;
  return items.map((x) => callSync(thread, key, [x]));
}

const sorted: BuiltinFn = (t, args, kwargs) => {
  const [iterable, key, reverse] = unpackArgs('sorted', args, kwargs, ['iterable', 'key?', 'reverse?']);
  if (args.length > 1) throw starError(`sorted: got ${args.length} arguments, want at most 1`);
  const items = toArray(t, iterable!, 'sorted');
  const keys = keysOf(t, items, key);
  t.tick(items.length * Math.ceil(Math.log2(items.length + 1)));
  const order = items.map((_, i) => i);
  const rev = reverse !== undefined && truth(reverse);
  named('sorted', () => order.sort((a, b) => (rev ? -1 : 1) * sortCompare(keys[a]!, keys[b]!) || a - b));
  return new StarList(order.map((i) => items[i]!));
};

function minmax(name: 'min' | 'max'): BuiltinFn {
  return (t, args, kwargs) => {
    if (args.length === 0) throw starError(`${name} requires at least one positional argument`);
    const [key] = unpackArgs(name, [], kwargs, ['key?']);
    const items = args.length === 1 ? toArray(t, args[0]!, name) : args;
    if (items.length === 0) throw starError(`${name}: argument is an empty sequence`);
    const keys = keysOf(t, items, key);
    let best = 0;
    named(name, () => {
      for (let i = 1; i < items.length; i++) {
        const c = sortCompare(keys[i]!, keys[best]!);
        if (name === 'max' ? c > 0 : c < 0) best = i;
      }
    });
    return items[best]!;
  };
}

export const iterBuiltins: Record<string, BuiltinFn> = {
  all: (t, args, kwargs) => toArray(t, positional('all', args, kwargs, 1)[0]!, 'all').every(truth),
  any: (t, args, kwargs) => toArray(t, positional('any', args, kwargs, 1)[0]!, 'any').some(truth),
  enumerate: (t, args, kwargs) => {
    const [iterable, startV] = unpackArgs('enumerate', args, kwargs, ['iterable', 'start?']);
    const start = startV === undefined ? 0n : startV;
    if (typeof start !== 'bigint') throw starError(`enumerate: for parameter start: got ${typeName(start)}, want int`);
    return new StarList(toArray(t, iterable!, 'enumerate').map((x, i) => new StarTuple([start + BigInt(i), x])));
  },
  max: minmax('max'),
  min: minmax('min'),
  reversed: (t, args, kwargs) => new StarList(toArray(t, positional('reversed', args, kwargs, 1)[0]!, 'reversed').reverse()),
  sorted,
  zip: (t, args, kwargs) => {
    if (kwargs.length > 0) throw starError('zip does not accept keyword arguments');
    const seqs = args.map((a, i) => {
      try {
        return toArray(t, a);
      } catch (e) {
        if (e instanceof StarError) throw starError(`zip: argument #${i + 1} is not iterable: ${typeName(a)}`);
        throw e;
      }
    });
    const n = seqs.length === 0 ? 0 : Math.min(...seqs.map((s) => s.length));
    return new StarList(Array.from({ length: n }, (_, i) => new StarTuple(seqs.map((s) => s[i]!))));
  },
};

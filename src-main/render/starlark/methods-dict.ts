// dict and set methods, and the update logic dict() shares.
import { unpackArgs } from './args.ts';
import { starError } from './errors.ts';
import { newSet, StarDict, StarSet } from './hash-table.ts';
import { method } from './methods-list.ts';
import { repr } from './repr.ts';
import { iterate, len, toArray } from './sequence.ts';
import type { Thread } from './thread.ts';
import { Builtin, StarList, StarTuple, typeName, type Value } from './values.ts';

/** dict.update / dict(): a mapping or an iterable of pairs, then keyword arguments. */
export function updateDict(thread: Thread, d: StarDict, args: Value[], kwargs: [string, Value][], fn: string): void {
  if (args.length > 1) throw starError(`${fn}: got ${args.length} arguments, want at most 1`);
  const src = args[0];
  if (src instanceof StarDict) {
    for (const [k, v] of src.items()) d.set(k, v);
  } else if (src !== undefined) {
    if (!iterate(src)) throw starError(`${fn}: got ${typeName(src)}, want iterable`);
    toArray(thread, src).forEach((pair, i) => {
      if (!iterate(pair)) throw starError(`${fn}: dictionary update sequence element #${i} is not iterable (${typeName(pair)})`);
      const n = len(pair);
      if (n === undefined) throw starError(`${fn}: dictionary update sequence element #${i} has unknown length (${typeName(pair)})`);
      if (n !== 2) throw starError(`${fn}: dictionary update sequence element #${i} has length ${n}, want 2`);
      const [k, v] = toArray(thread, pair);
      d.set(k!, v!);
    });
  }
  for (const [k, v] of kwargs) d.set(k, v);
}

const dict = (self: Builtin) => self.recv as StarDict;

export const dictMethods: Record<string, Builtin> = {
  clear: method('clear', (_t, args, kwargs, self) => {
    unpackArgs('clear', args, kwargs, []);
    dict(self).clear();
    return null;
  }),
  get: method('get', (_t, args, kwargs, self) => {
    const [k, dflt] = unpackArgs('get', args, kwargs, ['key', 'default?']);
    return dict(self).get(k!) ?? dflt ?? null;
  }),
  items: method('items', (t, args, kwargs, self) => {
    unpackArgs('items', args, kwargs, []);
    const items = dict(self).items();
    t.tick(items.length);
    return new StarList(items.map((kv) => new StarTuple(kv)));
  }),
  keys: method('keys', (t, args, kwargs, self) => {
    unpackArgs('keys', args, kwargs, []);
    const keys = dict(self).keys();
    t.tick(keys.length);
    return new StarList(keys);
  }),
  pop: method('pop', (_t, args, kwargs, self) => {
    const [k, dflt] = unpackArgs('pop', args, kwargs, ['key', 'default?']);
    const d = dict(self);
    if (d.has(k!)) return d.delete(k!)!;
    if (dflt !== undefined) return dflt;
    throw starError(`pop: missing key ${repr(k!)}`);
  }),
  popitem: method('popitem', (_t, args, kwargs, self) => {
    unpackArgs('popitem', args, kwargs, []);
    const d = dict(self);
    const first = d.items()[0];
    if (!first) throw starError('popitem: empty dict');
    d.delete(first[0]);
    return new StarTuple(first);
  }),
  setdefault: method('setdefault', (_t, args, kwargs, self) => {
    const [k, dflt] = unpackArgs('setdefault', args, kwargs, ['key', 'default?']);
    const d = dict(self);
    const v = d.get(k!);
    if (v !== undefined) return v;
    d.set(k!, dflt ?? null);
    return dflt ?? null;
  }),
  update: method('update', (t, args, kwargs, self) => {
    updateDict(t, dict(self), args, kwargs, 'update');
    return null;
  }),
  values: method('values', (t, args, kwargs, self) => {
    unpackArgs('values', args, kwargs, []);
    const values = dict(self).values();
    t.tick(values.length);
    return new StarList(values);
  }),
};

const set = (self: Builtin) => self.recv as StarSet;

function others(t: Thread, name: string, args: Value[], kwargs: [string, Value][]): Value[][] {
  if (kwargs.length > 0) throw starError(`${name}: does not accept keyword arguments`);
  return args.map((a, i) => {
    if (!iterate(a)) throw starError(`${name}: argument #${i + 1} is not iterable: ${typeName(a)}`);
    return toArray(t, a);
  });
}

export const setMethods: Record<string, Builtin> = {
  add: method('add', (_t, args, kwargs, self) => {
    const [x] = unpackArgs('add', args, kwargs, ['elem']);
    set(self).add(x!);
    return null;
  }),
  clear: method('clear', (_t, args, kwargs, self) => {
    unpackArgs('clear', args, kwargs, []);
    set(self).clear();
    return null;
  }),
  difference: method('difference', (t, args, kwargs, self) => {
    const rest = others(t, 'difference', args, kwargs).map((o) => newSet(o));
    return newSet(
      set(self)
        .elems()
        .filter((e) => rest.every((o) => !o.has(e))),
    );
  }),
  discard: method('discard', (_t, args, kwargs, self) => {
    const [x] = unpackArgs('discard', args, kwargs, ['x']);
    if (set(self).has(x!)) set(self).delete(x!);
    return null;
  }),
  intersection: method('intersection', (t, args, kwargs, self) => {
    const rest = others(t, 'intersection', args, kwargs).map((o) => newSet(o));
    return newSet(
      set(self)
        .elems()
        .filter((e) => rest.every((o) => o.has(e))),
    );
  }),
  issubset: method('issubset', (t, args, kwargs, self) => {
    const [x] = unpackArgs('issubset', args, kwargs, ['x']);
    const other = newSet(toArray(t, x!, 'issubset'));
    return set(self)
      .elems()
      .every((e) => other.has(e));
  }),
  issuperset: method('issuperset', (t, args, kwargs, self) => {
    const [x] = unpackArgs('issuperset', args, kwargs, ['x']);
    const s = set(self);
    return toArray(t, x!, 'issuperset').every((e) => s.has(e));
  }),
  pop: method('pop', (_t, args, kwargs, self) => {
    unpackArgs('pop', args, kwargs, []);
    const s = set(self);
    const first = s.elems()[0];
    if (first === undefined) throw starError('pop: empty set');
    s.delete(first);
    return first;
  }),
  remove: method('remove', (_t, args, kwargs, self) => {
    const [x] = unpackArgs('remove', args, kwargs, ['x']);
    const s = set(self);
    if (!s.has(x!)) throw starError(`remove: missing key ${repr(x!)}`);
    s.delete(x!);
    return null;
  }),
  symmetric_difference: method('symmetric_difference', (t, args, kwargs, self) => {
    const [x] = unpackArgs('symmetric_difference', args, kwargs, ['x']);
    const s = set(self);
    const other = newSet(toArray(t, x!, 'symmetric_difference'));
    return newSet([...s.elems().filter((e) => !other.has(e)), ...other.elems().filter((e) => !s.has(e))]);
  }),
  union: method('union', (t, args, kwargs, self) => newSet([...set(self).elems(), ...others(t, 'union', args, kwargs).flat()])),
  update: method('update', (t, args, kwargs, self) => {
    const s = set(self);
    for (const e of others(t, 'update', args, kwargs).flat()) s.add(e);
    return null;
  }),
};

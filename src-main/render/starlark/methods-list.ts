// list methods. Errors are prefixed with the method name, as go.starlark.net does.
import { optIndex, unpackArgs } from './args.ts';
import { equals } from './compare.ts';
import { StarError, starError } from './errors.ts';
import { toArray } from './sequence.ts';
import { Builtin, StarList, type BuiltinFn, type Value } from './values.ts';

/** Wraps a method so that its errors read "name: message". */
export function method(name: string, fn: BuiltinFn): Builtin {
  return new Builtin(name, (t, args, kwargs, self) => {
    try {
      return fn(t, args, kwargs, self);
    } catch (e) {
      if (e instanceof StarError && !e.message.startsWith(`${name}:`)) throw starError(`${name}: ${e.message}`);
      throw e;
    }
  });
}

const recv = (self: Builtin) => self.recv as StarList;

function outOfRange(i: number, n: number): string {
  return n === 0 ? `index ${i} out of range: empty list` : `index ${i} out of range [${-n}:${n - 1}]`;
}

export const listMethods: Record<string, Builtin> = {
  append: method('append', (t, args, kwargs, self) => {
    const [x] = unpackArgs('append', args, kwargs, ['x']);
    const l = recv(self);
    l.checkMutable('append to');
    t.checkSize(l.elems.length + 1, 'list');
    l.elems.push(x!);
    return null;
  }),
  clear: method('clear', (_t, args, kwargs, self) => {
    unpackArgs('clear', args, kwargs, []);
    const l = recv(self);
    l.checkMutable('clear');
    l.elems.length = 0;
    return null;
  }),
  extend: method('extend', (t, args, kwargs, self) => {
    const [x] = unpackArgs('extend', args, kwargs, ['iterable']);
    const l = recv(self);
    l.checkMutable('extend');
    const items = toArray(t, x!, 'extend');
    t.checkSize(l.elems.length + items.length, 'list');
    l.elems.push(...items);
    return null;
  }),
  index: method('index', (t, args, kwargs, self) => {
    const [x, start, end] = unpackArgs('index', args, kwargs, ['x', 'start?', 'end?']);
    const elems = recv(self).elems;
    const n = elems.length;
    const norm = (v: Value | undefined, d: number) => {
      let i = optIndex('index', 'start/end', v, d);
      if (i < 0) i += n;
      return Math.min(Math.max(i, 0), n);
    };
    for (let i = norm(start, 0), e = norm(end, n); i < e; i++) {
      t.tick();
      if (equals(elems[i]!, x!)) return BigInt(i);
    }
    throw starError('index: value not in list');
  }),
  insert: method('insert', (_t, args, kwargs, self) => {
    const [iv, x] = unpackArgs('insert', args, kwargs, ['index', 'x']);
    const l = recv(self);
    l.checkMutable('insert into');
    const n = l.elems.length;
    let i = optIndex('insert', 'index', iv, 0);
    if (i < 0) i += n;
    l.elems.splice(Math.min(Math.max(i, 0), n), 0, x!);
    return null;
  }),
  pop: method('pop', (_t, args, kwargs, self) => {
    const [iv] = unpackArgs('pop', args, kwargs, ['i?']);
    const l = recv(self);
    const n = l.elems.length;
    const orig = optIndex('pop', 'i', iv, -1);
    const i = orig < 0 ? orig + n : orig;
    if (i < 0 || i >= n) throw starError(`pop: ${outOfRange(orig, n)}`);
    l.checkMutable('pop from');
    return l.elems.splice(i, 1)[0]!;
  }),
  remove: method('remove', (_t, args, kwargs, self) => {
    const [x] = unpackArgs('remove', args, kwargs, ['x']);
    const l = recv(self);
    l.checkMutable('remove from');
    const i = l.elems.findIndex((e) => equals(e, x!));
    if (i < 0) throw starError('remove: element not found');
    l.elems.splice(i, 1);
    return null;
  }),
};

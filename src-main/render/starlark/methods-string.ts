// The string methods of the Starlark spec. Offsets (find, index, start/end)
// are UTF-8 byte offsets, as in go.starlark.net.
import { optIndex, unpackArgs, wantString } from './args.ts';
import { starError } from './errors.ts';
import { strFormat } from './format.ts';
import { IterableView, toArray } from './sequence.ts';
import { byteLength, elemOrds, elems, fromByteOffset, isAscii, toByteOffset } from './utf8.ts';
import { Builtin, StarList, StarTuple, typeName, type BuiltinFn, type Value } from './values.ts';

const recv = (self: Builtin) => self.recv as string;

/** Resolves optional start/end (byte offsets, Python slice rules) to UTF-16 indices of s. */
function bounds(fn: string, s: string, start: Value | undefined, end: Value | undefined): [number, number] {
  const n = byteLength(s);
  const norm = (v: Value | undefined, dflt: number) => {
    let i = optIndex(fn, 'start/end', v, dflt);
    if (i < 0) i += n;
    return Math.min(Math.max(i, 0), n);
  };
  const a = norm(start, 0);
  const b = norm(end, n);
  return isAscii(s) ? [a, b] : [fromByteOffset(s, a), fromByteOffset(s, b)];
}

function finder(name: string, last: boolean, strict: boolean): BuiltinFn {
  return (_t, args, kwargs, self) => {
    const s = recv(self);
    const [subV, start, end] = unpackArgs(name, args, kwargs, ['sub', 'start?', 'end?']);
    const sub = wantString(name, 'sub', subV);
    const [a, b] = bounds(name, s, start, end);
    const region = s.slice(a, b);
    const i = last ? region.lastIndexOf(sub) : region.indexOf(sub);
    if (i < 0) {
      if (strict) throw starError(`${name}: substring not found`);
      return -1n;
    }
    return BigInt(toByteOffset(s, a + i));
  };
}

function affix(name: string, atStart: boolean): BuiltinFn {
  return (_t, args, kwargs, self) => {
    const s = recv(self);
    const [x, start, end] = unpackArgs(name, args, kwargs, ['prefix', 'start?', 'end?']);
    const [a, b] = bounds(name, s, start, end);
    const region = s.slice(a, b);
    const candidates = x instanceof StarTuple ? x.elems : [x];
    return candidates.some((c, i) => {
      if (typeof c !== 'string') {
        throw starError(
          x instanceof StarTuple
            ? `${name}: want string, got ${typeName(c!)}, for element ${i}`
            : `${name}: got ${typeName(c!)}, want string or tuple of string`,
        );
      }
      return atStart ? region.startsWith(c) : region.endsWith(c);
    });
  };
}

function strip(name: string, left: boolean, right: boolean): BuiltinFn {
  return (_t, args, kwargs, self) => {
    let s = recv(self);
    const [charsV] = unpackArgs(name, args, kwargs, ['cutset?']);
    const chars = charsV === undefined || charsV === null ? undefined : [...wantString(name, 'cutset', charsV)];
    const strip1 = (c: string) => (chars ? chars.includes(c) : /\s/u.test(c));
    const cps = [...s];
    let a = 0;
    let b = cps.length;
    if (left) while (a < b && strip1(cps[a]!)) a++;
    if (right) while (b > a && strip1(cps[b - 1]!)) b--;
    s = cps.slice(a, b).join('');
    return s;
  };
}

function split(name: string, fromRight: boolean): BuiltinFn {
  return (_t, args, kwargs, self) => {
    const s = recv(self);
    const [sepV, maxV] = unpackArgs(name, args, kwargs, ['sep?', 'maxsplit?']);
    const max = optIndex(name, 'maxsplit', maxV, -1);
    let parts: string[];
    if (sepV === undefined || sepV === null) {
      const words = s.split(/\s+/u).filter((w) => w !== '');
      if (max < 0 || words.length <= max + 1) parts = words;
      else if (fromRight) {
        const trimmed = s.replace(/\s+$/u, '');
        const tail: string[] = [];
        let rest = trimmed;
        for (let k = 0; k < max; k++) {
          const m = /\s+(\S+)$/u.exec(rest);
          if (!m) break;
          tail.unshift(m[1]!);
          rest = rest.slice(0, m.index);
        }
        parts = [rest.replace(/^\s+/u, ''), ...tail];
      } else {
        const head: string[] = [];
        let rest = s.replace(/^\s+/u, '');
        for (let k = 0; k < max; k++) {
          const m = /^(\S+)\s+/u.exec(rest);
          if (!m) break;
          head.push(m[1]!);
          rest = rest.slice(m[0].length);
        }
        parts = [...head, rest];
      }
    } else {
      const sep = typeof sepV === 'string' ? sepV : '';
      if (typeof sepV !== 'string') throw starError(`${name}: got ${typeName(sepV)} for separator, want string`);
      if (sep === '') throw starError(`${name}: empty separator`);
      const all = s.split(sep);
      if (max < 0 || all.length <= max + 1) parts = all;
      else if (fromRight) parts = [all.slice(0, all.length - max).join(sep), ...all.slice(all.length - max)];
      else parts = [...all.slice(0, max), all.slice(max).join(sep)];
    }
    return new StarList(parts);
  };
}

function partition(name: string, last: boolean): BuiltinFn {
  return (_t, args, kwargs, self) => {
    const s = recv(self);
    const [sepV] = unpackArgs(name, args, kwargs, ['sep']);
    const sep = wantString(name, 'sep', sepV);
    if (sep === '') throw starError(`${name}: empty separator`);
    const i = last ? s.lastIndexOf(sep) : s.indexOf(sep);
    if (i < 0) return new StarTuple(last ? ['', '', s] : [s, '', '']);
    return new StarTuple([s.slice(0, i), sep, s.slice(i + sep.length)]);
  };
}

const isCased = (c: string) => c.toLowerCase() !== c.toUpperCase();
const isUpper = (c: string) => isCased(c) && c === c.toUpperCase();
const isLower = (c: string) => isCased(c) && c === c.toLowerCase();

function predicate(name: string, test: (s: string) => boolean): BuiltinFn {
  return (_t, args, kwargs, self) => {
    unpackArgs(name, args, kwargs, []);
    return test(recv(self));
  };
}

function simple(name: string, f: (s: string) => Value): BuiltinFn {
  return (_t, args, kwargs, self) => {
    unpackArgs(name, args, kwargs, []);
    return f(recv(self));
  };
}

function title(s: string): string {
  let out = '';
  let prevCased = false;
  for (const c of s) {
    out += prevCased ? c.toLowerCase() : c.toUpperCase();
    prevCased = isCased(c);
  }
  return out;
}

function isTitle(s: string): boolean {
  let cased = false;
  let prevCased = false;
  for (const c of s) {
    if (isUpper(c)) {
      if (prevCased) return false;
      cased = true;
      prevCased = true;
    } else if (isLower(c)) {
      if (!prevCased) return false;
      prevCased = true;
    } else {
      prevCased = false;
    }
  }
  return cased;
}

const methods: Record<string, BuiltinFn> = {
  capitalize: simple('capitalize', (s) => {
    const [first = '', ...rest] = [...s];
    return first.toUpperCase() + rest.join('').toLowerCase();
  }),
  codepoint_ords: simple(
    'codepoint_ords',
    (s) =>
      new IterableView(
        'string.codepoints',
        [...s].map((c) => BigInt(c.codePointAt(0)!)),
        `"${s}".codepoint_ords()`,
      ),
  ),
  codepoints: simple('codepoints', (s) => new IterableView('string.codepoints', [...s], `"${s}".codepoints()`)),
  count: (_t, args, kwargs, self) => {
    const s = recv(self);
    const [subV, start, end] = unpackArgs('count', args, kwargs, ['sub', 'start?', 'end?']);
    const sub = wantString('count', 'sub', subV);
    const [a, b] = bounds('count', s, start, end);
    const region = s.slice(a, b);
    if (sub === '') return BigInt(byteLength(region) + 1);
    return BigInt(region.split(sub).length - 1);
  },
  elem_ords: simple('elem_ords', (s) => new IterableView('string.elems', elemOrds(s), `"${s}".elem_ords()`)),
  elems: simple('elems', (s) => new IterableView('string.elems', elems(s), `"${s}".elems()`)),
  endswith: affix('endswith', false),
  find: finder('find', false, false),
  format: (_t, args, kwargs, self) => strFormat(recv(self), args, kwargs),
  index: finder('index', false, true),
  isalnum: predicate('isalnum', (s) => s !== '' && /^[\p{L}\p{N}]+$/u.test(s)),
  isalpha: predicate('isalpha', (s) => s !== '' && /^\p{L}+$/u.test(s)),
  isdigit: predicate('isdigit', (s) => s !== '' && /^\p{Nd}+$/u.test(s)),
  islower: predicate('islower', (s) => [...s].some(isCased) && [...s].every((c) => !isCased(c) || isLower(c))),
  isspace: predicate('isspace', (s) => s !== '' && /^\s+$/u.test(s)),
  istitle: predicate('istitle', isTitle),
  isupper: predicate('isupper', (s) => [...s].some(isCased) && [...s].every((c) => !isCased(c) || isUpper(c))),
  join: (t, args, kwargs, self) => {
    const [iterable] = unpackArgs('join', args, kwargs, ['iterable']);
    const parts = toArray(t, iterable!, 'join');
    const bad = parts.find((p) => typeof p !== 'string');
    if (bad !== undefined) throw starError(`join: in list, want string, got ${typeName(bad)}`);
    const out = (parts as string[]).join(recv(self));
    t.checkSize(out.length, 'string');
    return out;
  },
  lower: simple('lower', (s) => s.toLowerCase()),
  lstrip: strip('lstrip', true, false),
  partition: partition('partition', false),
  removeprefix: (_t, args, kwargs, self) => {
    const s = recv(self);
    const p = wantString('removeprefix', 'prefix', unpackArgs('removeprefix', args, kwargs, ['prefix'])[0]);
    return s.startsWith(p) ? s.slice(p.length) : s;
  },
  removesuffix: (_t, args, kwargs, self) => {
    const s = recv(self);
    const p = wantString('removesuffix', 'suffix', unpackArgs('removesuffix', args, kwargs, ['suffix'])[0]);
    return p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s;
  },
  replace: (t, args, kwargs, self) => {
    const s = recv(self);
    const [oldV, newV, countV] = unpackArgs('replace', args, kwargs, ['old', 'new', 'count?']);
    const old = wantString('replace', 'old', oldV);
    const rep = wantString('replace', 'new', newV);
    const count = optIndex('replace', 'count', countV, -1);
    let out: string;
    if (old === '') out = replaceEmpty(s, rep, count < 0 ? Infinity : count);
    else {
      const pieces = s.split(old);
      const n = pieces.length - 1;
      const k = count < 0 || count > n ? n : count;
      out = pieces.slice(0, k + 1).join(rep) + (k < n ? old + pieces.slice(k + 1).join(old) : '');
    }
    t.checkSize(out.length, 'string');
    return out;
  },
  rfind: finder('rfind', true, false),
  rindex: finder('rindex', true, true),
  rpartition: partition('rpartition', true),
  rsplit: split('rsplit', true),
  rstrip: strip('rstrip', false, true),
  split: split('split', false),
  splitlines: (_t, args, kwargs, self) => {
    const s = recv(self);
    const [keep] = unpackArgs('splitlines', args, kwargs, ['keepends?']);
    const lines: string[] = [];
    const re = /[^\n]*\n|[^\n]+$/g;
    for (const m of s.matchAll(re)) lines.push(keep === true ? m[0] : m[0].replace(/\n$/, ''));
    return new StarList(lines);
  },
  startswith: affix('startswith', true),
  strip: strip('strip', true, true),
  title: simple('title', title),
  upper: simple('upper', (s) => s.toUpperCase()),
};

/** Python's "ab".replace("", "-") == "-a-b-", limited to k insertions. */
function replaceEmpty(s: string, rep: string, k: number): string {
  const chars = [...s];
  let out = '';
  for (let i = 0; i <= chars.length; i++) {
    if (i < k) out += rep;
    out += chars[i] ?? '';
  }
  return out;
}

export const stringMethods: Record<string, Builtin> = Object.fromEntries(Object.entries(methods).map(([name, fn]) => [name, new Builtin(name, fn)]));

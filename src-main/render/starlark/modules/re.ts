// re.star (starlib): compile, search, match, split, findall and sub with Go's
// RE2 syntax and results. search returns [start, end] byte offsets or None;
// match returns a list of (match, groups...) tuples; split and findall return
// tuples; sub expands $1 / ${name} in the replacement and replaces all.
import { unpackArgs } from '../args.ts';
import { StarError, starError } from '../errors.ts';
import { Regex } from '../regex/regex-vm.ts';
import type { Thread } from '../thread.ts';
import { toByteOffset } from '../utf8.ts';
import { Builtin, StarList, StarObject, StarTuple, type BuiltinFn, type HasAttrs, type Value } from '../values.ts';
import { makeModule, stringArg } from './module-args.ts';

const MAX_CACHE = 64;
const cache = new Map<string, Regex>();

function compile(pattern: string): Regex {
  let re = cache.get(pattern);
  if (!re) {
    re = new Regex(pattern);
    if (cache.size >= MAX_CACHE) cache.delete(cache.keys().next().value!);
    cache.set(pattern, re);
  }
  return re;
}

interface Subject {
  cps: number[];
  text: (a: number, b: number) => string;
  byteOffset: (cpIndex: number) => number;
}

function subject(s: string): Subject {
  const chars = [...s];
  return {
    cps: chars.map((c) => c.codePointAt(0)!),
    text: (a, b) => (a < 0 ? '' : chars.slice(a, b).join('')),
    byteOffset: (cp) => toByteOffset(s, chars.slice(0, cp).join('').length),
  };
}

const ticker = (t: Thread) => (n: number) => t.tick(n);

function search(t: Thread, re: Regex, s: string): Value {
  const sub = subject(s);
  const m = re.exec(sub.cps, 0, ticker(t));
  return m ? new StarList([BigInt(sub.byteOffset(m[0]!)), BigInt(sub.byteOffset(m[1]!))]) : null;
}

function match(t: Thread, re: Regex, s: string): Value {
  const sub = subject(s);
  return new StarList(
    re.findAll(sub.cps, -1, ticker(t)).map((m) => new StarTuple(Array.from({ length: re.groups + 1 }, (_, g) => sub.text(m[2 * g]!, m[2 * g + 1]!)))),
  );
}

function split(t: Thread, re: Regex, s: string, maxsplit: number): Value {
  const n = maxsplit === 0 ? -1 : maxsplit;
  const sub = subject(s);
  if (re.source.length > 0 && s.length === 0) return new StarTuple(['']);
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of re.findAll(sub.cps, n, ticker(t))) {
    if (n > 0 && out.length === n - 1) break;
    end = m[0]!;
    if (m[1] !== 0) out.push(sub.text(beg, end));
    beg = m[1]!;
  }
  if (end !== sub.cps.length) out.push(sub.text(beg, sub.cps.length));
  return new StarTuple(out);
}

function findall(t: Thread, re: Regex, s: string): Value {
  const sub = subject(s);
  return new StarTuple(re.findAll(sub.cps, -1, ticker(t)).map((m) => sub.text(m[0]!, m[1]!)));
}

/** Go's Regexp.Expand: $1, ${1}, $name, ${name}; $$ is a dollar sign. */
function expand(re: Regex, repl: string, m: number[], sub: Subject): string {
  return repl.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (_all, d: string, braced?: string, bare?: string) => {
    if (d === '$') return '$';
    const name = braced ?? bare!;
    const g = /^[0-9]+$/.test(name) ? Number(name) : re.names.indexOf(name);
    return g >= 0 && g <= re.groups ? sub.text(m[2 * g]!, m[2 * g + 1]!) : '';
  });
}

function replaceAll(t: Thread, re: Regex, repl: string, s: string): Value {
  const sub = subject(s);
  let out = '';
  let last = 0;
  for (const m of re.findAll(sub.cps, -1, ticker(t))) {
    out += sub.text(last, m[0]!) + expand(re, repl, m, sub);
    last = m[1]!;
  }
  out += sub.text(last, sub.cps.length);
  t.checkSize(out.length, 'string');
  return out;
}

function intArg(v: Value | undefined): number {
  return typeof v === 'bigint' ? Number(v) : 0;
}

type Op = (t: Thread, re: Regex, args: (Value | undefined)[]) => Value;

const OPS: Record<string, { params: string[]; run: Op }> = {
  search: { params: ['string', 'flags?'], run: (t, re, [s]) => search(t, re, stringArg('re.search', 0, s)) },
  match: { params: ['string', 'flags?'], run: (t, re, [s]) => match(t, re, stringArg('re.match', 0, s)) },
  split: { params: ['string', 'maxsplit?', 'flags?'], run: (t, re, [s, max]) => split(t, re, stringArg('re.split', 0, s), intArg(max)) },
  findall: { params: ['string', 'flags?'], run: (t, re, [s]) => findall(t, re, stringArg('re.findall', 0, s)) },
  sub: { params: ['repl', 'string', 'count?', 'flags?'], run: (t, re, [r, s]) => replaceAll(t, re, stringArg('re.sub', 0, r), stringArg('re.sub', 1, s)) },
};

/** A compiled pattern (type "regexp") with the module's functions as methods. */
class RegexValue extends StarObject implements HasAttrs {
  readonly type = 'regexp';
  constructor(readonly re: Regex) {
    super();
    this.frozen = true;
  }
  attr(name: string): Value | undefined {
    const op = OPS[name];
    if (!op) return undefined;
    return new Builtin(name, (t, args, kwargs) => op.run(t, this.re, unpackArgs(name, args, kwargs, op.params)));
  }
  attrNames(): string[] {
    return Object.keys(OPS).sort();
  }
  repr(): string {
    return this.re.source;
  }
  override truth(): boolean {
    return this.re.source !== '';
  }
}

function withPattern(name: string): BuiltinFn {
  const op = OPS[name]!;
  return (t, args, kwargs) => {
    const [pattern, ...rest] = unpackArgs(`re.${name}`, args, kwargs, ['pattern', ...op.params]);
    try {
      return op.run(t, compile(stringArg(`re.${name}`, 0, pattern)), rest);
    } catch (e) {
      if (e instanceof StarError && !e.message.startsWith('re.')) throw starError(`re.${name}: ${e.message}`);
      throw e;
    }
  };
}

export const reModule = makeModule('re', {
  compile: (_t, args, kwargs) => {
    const [pattern] = unpackArgs('re.compile', args, kwargs, ['pattern', 'flags?']);
    try {
      return new RegexValue(compile(stringArg('re.compile', 0, pattern)));
    } catch (e) {
      if (e instanceof StarError) throw starError(`re.compile: ${e.message}`);
      throw e;
    }
  },
  search: withPattern('search'),
  match: withPattern('match'),
  split: withPattern('split'),
  findall: withPattern('findall'),
  sub: withPattern('sub'),
});

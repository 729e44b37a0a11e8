// Parser for Go's RE2 regular expression syntax (what starlib's re module
// compiles). The engine built on it runs in linear time, so a pattern cannot
// stall the sandbox the way a backtracking JS RegExp can.
import { starError } from '../errors.ts';

export type CharTest = (c: number) => boolean;
export type AssertKind = 'bol' | 'eol' | 'bot' | 'eot' | 'wordb' | 'nwordb';

export type Re =
  | { t: 'char'; test: CharTest }
  | { t: 'cat'; xs: Re[] }
  | { t: 'alt'; xs: Re[] }
  | { t: 'rep'; x: Re; min: number; max: number; greedy: boolean }
  | { t: 'group'; x: Re; index: number | null }
  | { t: 'assert'; kind: AssertKind }
  | { t: 'empty' };

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

export interface ParsedRegex {
  re: Re;
  groups: number;
  names: (string | undefined)[];
}

const MAX_REPEAT = 1000;
const isWord = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
const isDigit = (c: number) => c >= 48 && c <= 57;

const POSIX: Record<string, CharTest> = {
  alnum: (c) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  alpha: (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  ascii: (c) => c <= 0x7f,
  blank: (c) => c === 32 || c === 9,
  cntrl: (c) => c < 32 || c === 127,
  digit: isDigit,
  graph: (c) => c > 32 && c < 127,
  lower: (c) => c >= 97 && c <= 122,
  print: (c) => c >= 32 && c < 127,
  punct: (c) => (c > 32 && c < 127 && !isWord(c)) || c === 95,
  space: isSpace,
  upper: (c) => c >= 65 && c <= 90,
  word: isWord,
  xdigit: (c) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
};

function fold(test: CharTest): CharTest {
  return (c) => {
    if (test(c)) return true;
    const s = String.fromCodePoint(c);
    const lo = s.toLowerCase().codePointAt(0)!;
    const up = s.toUpperCase().codePointAt(0)!;
    return (lo !== c && test(lo)) || (up !== c && test(up));
  };
}

/** Go's \p{L} (category) or \p{Greek} (script), tested with JS Unicode property escapes. */
function unicodeClass(name: string, negate: boolean, fail: (m: string) => never): CharTest {
  let re: RegExp | undefined;
  for (const prop of [name, `Script=${name}`]) {
    try {
      re = new RegExp(`^\\p{${prop}}$`, 'u');
      break;
    } catch {
      // not this kind of property name
    }
  }
  if (!re) return fail(`invalid character class range: \\p{${name}}`);
  const test = re;
  return (c) => test.test(String.fromCodePoint(c)) !== negate;
}

export function parseRegex(pattern: string): ParsedRegex {
  const src = [...pattern];
  let i = 0;
  let groups = 0;
  const names: (string | undefined)[] = [undefined];
  const fail = (msg: string): never => {
    throw starError(`error parsing regexp: ${msg}: \`${pattern}\``);
  };

  const escape = (inClass: boolean, flags: Flags): CharTest | AssertKind => {
    const c = src[i++];
    if (c === undefined) return fail('trailing backslash at end of expression');
    switch (c) {
      case 'd':
        return isDigit;
      case 'D':
        return (x) => !isDigit(x);
      case 's':
        return isSpace;
      case 'S':
        return (x) => !isSpace(x);
      case 'w':
        return isWord;
      case 'W':
        return (x) => !isWord(x);
      case 'n':
        return (x) => x === 10;
      case 't':
        return (x) => x === 9;
      case 'r':
        return (x) => x === 13;
      case 'f':
        return (x) => x === 12;
      case 'v':
        return (x) => x === 11;
      case 'a':
        return (x) => x === 7;
      case 'p':
      case 'P': {
        let name = src[i++] ?? '';
        if (name === '{') {
          name = '';
          while (i < src.length && src[i] !== '}') name += src[i++];
          if (src[i++] !== '}') fail('invalid character class range');
        }
        return unicodeClass(name, c === 'P', fail);
      }
      case 'x': {
        let hex = '';
        if (src[i] === '{') {
          i++;
          while (i < src.length && src[i] !== '}') hex += src[i++];
          i++;
        } else hex = (src[i++] ?? '') + (src[i++] ?? '');
        if (!/^[0-9a-fA-F]+$/.test(hex)) fail('invalid escape sequence: `\\x`');
        const code = parseInt(hex, 16);
        return (x) => x === code;
      }
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7': {
        let oct = c;
        while (oct.length < 3 && /[0-7]/.test(src[i] ?? '')) oct += src[i++];
        if (oct !== '0' && c !== '0' && oct.length === 1) fail(`invalid escape sequence: \`\\${c}\``);
        const code = parseInt(oct, 8);
        return (x) => x === code;
      }
      case 'b':
        if (!inClass) return 'wordb';
        break;
      case 'B':
        if (!inClass) return 'nwordb';
        break;
      case 'A':
        if (!inClass) return 'bot';
        break;
      case 'z':
        if (!inClass) return 'eot';
        break;
      default:
        if (/[\p{P}\p{S}]/u.test(c)) {
          const code = c.codePointAt(0)!;
          return flags.i ? fold((x) => x === code) : (x) => x === code;
        }
    }
    return fail(`invalid escape sequence: \`\\${c}\``);
  };

  const parseClass = (flags: Flags): CharTest => {
    const negate = src[i] === '^';
    if (negate) i++;
    const tests: CharTest[] = [];
    let first = true;
    while (i < src.length && (src[i] !== ']' || first)) {
      first = false;
      if (src[i] === '[' && src[i + 1] === ':') {
        const rest = src.slice(i + 2).join('');
        const close = rest.indexOf(':]');
        const name = close < 0 ? rest : rest.slice(0, close);
        const neg = name.startsWith('^');
        const test = POSIX[neg ? name.slice(1) : name];
        if (!test || close < 0) return fail(`invalid character class range: \`[:${name}:]\``);
        tests.push(neg ? (x) => !test(x) : test);
        i += [...name].length + 4;
        continue;
      }
      let lo: number;
      if (src[i] === '\\') {
        i++;
        const e = escape(true, flags);
        if (typeof e === 'string') return fail('invalid escape in class');
        const probe = [...Array(128).keys()].filter((x) => (e as CharTest)(x));
        if (probe.length !== 1 || src[i] !== '-' || src[i + 1] === ']') {
          tests.push(e as CharTest);
          continue;
        }
        lo = probe[0]!;
      } else {
        lo = src[i++]!.codePointAt(0)!;
      }
      if (src[i] === '-' && src[i + 1] !== ']' && i + 1 < src.length) {
        i++;
        let hi: number;
        if (src[i] === '\\') {
          i++;
          const e = escape(true, flags);
          const probe = typeof e === 'string' ? [] : [...Array(128).keys()].filter((x) => (e as CharTest)(x));
          if (probe.length !== 1) return fail('invalid character class range');
          hi = probe[0]!;
        } else hi = src[i++]!.codePointAt(0)!;
        if (hi < lo) fail(`invalid character class range: \`${String.fromCodePoint(lo)}-${String.fromCodePoint(hi)}\``);
        tests.push((x) => x >= lo && x <= hi);
      } else {
        tests.push((x) => x === lo);
      }
    }
    if (src[i] !== ']') fail('missing closing ]');
    i++;
    const any: CharTest = (x) => tests.some((t) => t(x));
    const folded = flags.i ? fold(any) : any;
    return negate ? (x) => !folded(x) : folded;
  };

  const parseAlt = (flags: Flags, depth: number): Re => {
    if (depth > 200) fail('expression nests too deeply');
    const alts: Re[] = [parseCat(flags, depth)];
    while (src[i] === '|') {
      i++;
      alts.push(parseCat(flags, depth));
    }
    return alts.length === 1 ? alts[0]! : { t: 'alt', xs: alts };
  };

  const parseCat = (flags: Flags, depth: number): Re => {
    const xs: Re[] = [];
    while (i < src.length && src[i] !== '|' && src[i] !== ')') {
      const c = src[i]!;
      if (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(src.slice(i).join('')))) {
        const last = xs.pop();
        if (!last || last.t === 'assert') fail(`missing argument to repetition operator: \`${c}\``);
        if (last!.t === 'rep') fail(`invalid nested repetition operator: \`${c}\``);
        xs.push(parseRepeat(last!, flags));
        continue;
      }
      xs.push(parseAtom(flags, depth));
    }
    return xs.length === 1 ? xs[0]! : xs.length === 0 ? { t: 'empty' } : { t: 'cat', xs };
  };

  const parseRepeat = (x: Re, flags: Flags): Re => {
    const c = src[i++]!;
    let min = 0;
    let max = Infinity;
    if (c === '+') min = 1;
    else if (c === '?') max = 1;
    else if (c === '{') {
      const m = /^(\d+)(,(\d*))?\}/.exec(src.slice(i).join(''))!;
      i += m[0].length;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (min > MAX_REPEAT || (max !== Infinity && (max > MAX_REPEAT || max < min))) fail(`invalid repeat count: \`{${m[0]}\``);
    }
    let greedy = true;
    if (src[i] === '?') {
      greedy = false;
      i++;
    }
    if (flags.U) greedy = !greedy;
    return { t: 'rep', x, min, max, greedy };
  };

  const parseAtom = (flags: Flags, depth: number): Re => {
    const c = src[i++]!;
    switch (c) {
      case '(':
        return parseGroup(flags, depth);
      case '[':
        return { t: 'char', test: parseClass(flags) };
      case '.':
        return { t: 'char', test: flags.s ? () => true : (x) => x !== 10 };
      case '^':
        return { t: 'assert', kind: flags.m ? 'bol' : 'bot' };
      case '$':
        return { t: 'assert', kind: flags.m ? 'eol' : 'eot' };
      case '\\': {
        if (src[i] === 'Q') {
          i++;
          const lit: Re[] = [];
          while (i < src.length && !(src[i] === '\\' && src[i + 1] === 'E')) {
            const code = src[i++]!.codePointAt(0)!;
            lit.push({ t: 'char', test: flags.i ? fold((x) => x === code) : (x) => x === code });
          }
          if (i < src.length) i += 2;
          return { t: 'cat', xs: lit };
        }
        const e = escape(false, flags);
        return typeof e === 'string' ? { t: 'assert', kind: e } : { t: 'char', test: e };
      }
      default: {
        const code = c.codePointAt(0)!;
        return { t: 'char', test: flags.i ? fold((x) => x === code) : (x) => x === code };
      }
    }
  };

  const parseGroup = (flags: Flags, depth: number): Re => {
    let index: number | null = null;
    let inner = flags;
    if (src[i] === '?') {
      const rest = src.slice(i).join('');
      const named = /^\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
      const flagged = /^\?([imsU]*)(?:-([imsU]*))?(:|\))/.exec(rest);
      if (named) {
        i += named[0].length;
        index = ++groups;
        names[index] = named[1];
      } else if (flagged) {
        i += flagged[0].length;
        const next = { ...flags };
        for (const f of flagged[1]!) next[f as keyof Flags] = true;
        for (const f of flagged[2] ?? '') next[f as keyof Flags] = false;
        if (flagged[3] === ')') {
          Object.assign(flags, next);
          return { t: 'empty' };
        }
        inner = next;
      } else {
        return fail(`invalid or unsupported Perl syntax: \`(${rest.slice(0, 2)}\``);
      }
    } else {
      index = ++groups;
      names[index] = undefined;
    }
    const x = parseAlt({ ...inner }, depth + 1);
    if (src[i] !== ')') fail('missing closing )');
    i++;
    return { t: 'group', x, index };
  };

  const re = parseAlt({ i: false, m: false, s: false, U: false }, 0);
  if (i < src.length) fail('unexpected )');
  return { re, groups, names };
}

// String interpolation: `"%s" % x` and `"{}".format(x)`, with only the
// conversions Starlark has (no widths, flags or format specs).
import { starError } from './errors.ts';
import { StarDict } from './hash-table.ts';
import { formatFloat, repr, str } from './repr.ts';
import { StarTuple, typeName, type Value } from './values.ts';

function toIntForFormat(v: Value, conv: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw starError(`%${conv} format requires integer: cannot convert ${formatFloat(v, 'g')} to int`);
    return BigInt(Math.trunc(v));
  }
  throw starError(`%${conv} format requires integer: got ${typeName(v)}, want int or float`);
}

export function percentFormat(format: string, x: Value): string {
  const args = x instanceof StarTuple ? x.elems : [x];
  let out = '';
  let index = 0;
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    if (format[i] === '%') {
      out += '%';
      i++;
      continue;
    }
    let arg: Value;
    if (format[i] === '(') {
      const close = format.indexOf(')', i);
      if (close < 0) throw starError('incomplete format key');
      const key = format.slice(i + 1, close);
      if (!(x instanceof StarDict)) throw starError('format requires a mapping');
      const v = x.get(key);
      if (v === undefined) throw starError(`key not found: ${key}`);
      arg = v;
      i = close + 1;
    } else {
      if (index >= args.length) throw starError('not enough arguments for format string');
      arg = args[index]!;
    }
    const c = format[i];
    if (c === undefined) throw starError('incomplete format');
    switch (c) {
      case 's':
        out += str(arg);
        break;
      case 'r':
        out += repr(arg);
        break;
      case 'd':
      case 'i':
        out += toIntForFormat(arg, c).toString();
        break;
      case 'o':
        out += toIntForFormat(arg, c).toString(8);
        break;
      case 'x':
        out += toIntForFormat(arg, c).toString(16);
        break;
      case 'X':
        out += toIntForFormat(arg, c).toString(16).toUpperCase();
        break;
      case 'e':
      case 'f':
      case 'g':
      case 'E':
      case 'F':
      case 'G':
        if (typeof arg !== 'number' && typeof arg !== 'bigint') throw starError(`%${c} format requires float, not ${typeName(arg)}`);
        out += formatFloat(Number(arg), c);
        break;
      case 'c':
        if (typeof arg === 'bigint') {
          if (arg < 0n || arg > 0x10ffffn) throw starError(`%c format requires a valid Unicode code point, got ${arg}`);
          out += String.fromCodePoint(Number(arg));
        } else if (typeof arg === 'string') {
          if ([...arg].length !== 1) throw starError('%c format requires a single-character string');
          out += arg;
        } else {
          throw starError(`%c format requires int or single-character string, not ${typeName(arg)}`);
        }
        break;
      default:
        throw starError(`unknown conversion %${c}`);
    }
    i++;
    index++;
  }
  if (index < args.length && !(x instanceof StarDict)) throw starError('too many arguments for format string');
  return out;
}

export function strFormat(format: string, args: Value[], kwargs: [string, Value][]): string {
  let out = '';
  let auto = false;
  let manual = false;
  let index = 0;
  let rest = format;
  for (;;) {
    const open = rest.indexOf('{');
    let literal = open >= 0 ? rest.slice(0, open) : rest;
    for (;;) {
      const j = literal.indexOf('}');
      if (j < 0) {
        out += literal;
        break;
      }
      if (literal[j + 1] !== '}') throw starError("format: single '}' in format");
      out += literal.slice(0, j + 1);
      literal = literal.slice(j + 2);
    }
    if (open < 0) break;
    if (rest[open + 1] === '{') {
      out += '{';
      rest = rest.slice(open + 2);
      continue;
    }
    rest = rest.slice(open + 1);
    const close = rest.indexOf('}');
    if (close < 0) throw starError("format: unmatched '{' in format");
    let field = rest.slice(0, close);
    rest = rest.slice(close + 1);
    let conv = 's';
    let spec = '';
    const bang = field.indexOf('!');
    if (bang >= 0) {
      const after = field.slice(bang + 1);
      field = field.slice(0, bang);
      const colon = after.indexOf(':');
      conv = colon >= 0 ? after.slice(0, colon) : after;
      spec = colon >= 0 ? after.slice(colon + 1) : '';
    } else {
      const colon = field.indexOf(':');
      if (colon >= 0) {
        spec = field.slice(colon + 1);
        field = field.slice(0, colon);
      }
    }
    let arg: Value | undefined;
    if (field === '') {
      if (manual) throw starError('format: cannot switch from manual field specification to automatic field numbering');
      auto = true;
      if (index >= args.length) throw starError('format: tuple index out of range');
      arg = args[index++];
    } else if (/^[0-9]+$/.test(field)) {
      if (auto) throw starError('format: cannot switch from automatic field numbering to manual field specification');
      manual = true;
      arg = args[Number(field)];
      if (arg === undefined) throw starError('format: tuple index out of range');
    } else {
      arg = kwargs.find(([k]) => k === field)?.[1];
      if (arg === undefined) {
        if (field.includes('.')) throw starError(`format: attribute syntax x.y is not supported in replacement fields: ${field}`);
        if (field.includes('[')) throw starError(`format: element syntax a[i] is not supported in replacement fields: ${field}`);
        if (field.includes('{')) throw starError('format: nested replacement fields not supported');
        throw starError(`format: keyword ${field} not found`);
      }
    }
    if (spec !== '') throw starError(`format spec features not supported in replacement fields: ${spec}`);
    if (conv === 's') out += str(arg!);
    else if (conv === 'r') out += repr(arg!);
    else throw starError(`format: unknown conversion ${JSON.stringify(conv)}`);
  }
  return out;
}

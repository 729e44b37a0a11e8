// encoding/json.star: go.starlark.net's json module (encode, decode, indent,
// encode_indent). Objects encode with sorted keys; numbers decode to int
// unless they have a fraction or exponent.
import { unpackArgs } from '../args.ts';
import { starError } from '../errors.ts';
import { StarDict } from '../hash-table.ts';
import { formatFloat } from '../repr.ts';
import { iterate } from '../sequence.ts';
import { hasAttrs, StarList, typeName, type Value } from '../values.ts';
import { makeModule, positionalArgs, stringArg } from './module-args.ts';

function quote(s: string): string {
  if (/^[\x20-\x7e]*$/.test(s)) return '"' + s.replace(/["\\]/g, (c) => '\\' + c) + '"';
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

export function jsonEncode(x: Value): string {
  const out: string[] = [];
  const path = new Set<object>();
  const emit = (v: Value): void => {
    if (v === null) return void out.push('null');
    if (typeof v === 'boolean') return void out.push(v ? 'true' : 'false');
    if (typeof v === 'bigint') return void out.push(v.toString());
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw starError(`cannot encode non-finite float ${formatFloat(v, 'g')}`);
      return void out.push(formatFloat(v, 'g'));
    }
    if (typeof v === 'string') return void out.push(quote(v));
    if (path.has(v)) throw starError('cycle in JSON structure');
    path.add(v);
    try {
      if (v instanceof StarDict) {
        const items = v.items();
        for (const [k] of items) if (typeof k !== 'string') throw starError(`dict has ${typeName(k)} key, want string`);
        items.sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1));
        out.push('{');
        items.forEach(([k, val], i) => {
          if (i > 0) out.push(',');
          out.push(quote(k as string), ':');
          try {
            emit(val);
          } catch (e) {
            throw starError(`in dict key ${quote(k as string)}: ${(e as Error).message}`);
          }
        });
        return void out.push('}');
      }
      const it = iterate(v);
      if (it) {
        out.push('[');
        let i = 0;
        try {
          for (const e of it.items) {
            if (i > 0) out.push(',');
            try {
              emit(e);
            } catch (err) {
              throw starError(`at ${v.type} index ${i}: ${(err as Error).message}`);
            }
            i++;
          }
        } finally {
          it.done();
        }
        return void out.push(']');
      }
      if (hasAttrs(v)) {
        out.push('{');
        [...v.attrNames()].sort().forEach((name, i) => {
          if (i > 0) out.push(',');
          out.push(quote(name), ':');
          emit(v.attr(name) ?? null);
        });
        return void out.push('}');
      }
      throw starError(`cannot encode ${v.type} as JSON`);
    } finally {
      path.delete(v);
    }
  };
  emit(x);
  return out.join('');
}

/** A JSON parser that keeps key order and tells ints from floats. */
export function jsonDecode(s: string): Value {
  let i = 0;
  const fail = (msg: string): never => {
    throw starError(`at offset ${i}, ${msg}`);
  };
  const ws = () => {
    while (i < s.length && ' \t\n\r'.includes(s[i]!)) i++;
  };
  const next = (): string => {
    ws();
    if (i >= s.length) fail('unexpected end of file');
    return s[i]!;
  };
  const parse = (): Value => {
    const c = next();
    if (c === '"') {
      const m = /^"(?:[^"\\\x00-\x1f]|\\.)*"/.exec(s.slice(i));
      if (!m) fail('unclosed string literal');
      i += m![0].length;
      try {
        return JSON.parse(m![0]) as string;
      } catch (e) {
        return fail((e as Error).message);
      }
    }
    for (const [word, v] of [
      ['null', null],
      ['true', true],
      ['false', false],
    ] as const) {
      if (s.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    if (c === '[') {
      i++;
      const elems: Value[] = [];
      if (next() !== ']') {
        for (;;) {
          elems.push(parse());
          const d = next();
          if (d === ']') break;
          if (d !== ',') fail(`got ${JSON.stringify(d)}, want ',' or ']'`);
          i++;
        }
      }
      i++;
      return new StarList(elems);
    }
    if (c === '{') {
      i++;
      const dict = new StarDict();
      if (next() !== '}') {
        for (;;) {
          const key = parse();
          if (typeof key !== 'string') fail(`got ${typeName(key)} for object key, want string`);
          if (next() !== ':') fail(`after object key, got ${JSON.stringify(s[i])}, want ':' `);
          i++;
          dict.set(key, parse());
          const d = next();
          if (d === '}') break;
          if (d !== ',') fail(`in object, got ${JSON.stringify(d)}, want ',' or '}'`);
          i++;
        }
      }
      i++;
      return dict;
    }
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(s.slice(i));
    if (!m || m[0] === '-') return fail(`unexpected character ${JSON.stringify(c)}`);
    i += m[0].length;
    return m[2] || m[3] ? Number(m[0]) : BigInt(m[0]);
  };
  const v = parse();
  ws();
  if (i < s.length) fail(`unexpected character ${JSON.stringify(s[i])} after value`);
  return v;
}

/** Re-indents valid JSON text without reordering it, as Go's json.Indent. */
export function jsonIndent(s: string, prefix: string, indent: string): string {
  jsonDecode(s);
  let out = '';
  let depth = 0;
  let inString = false;
  const newline = () => '\n' + prefix + indent.repeat(depth);
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += s[++i];
      else if (c === '"') inString = false;
      continue;
    }
    if (' \t\n\r'.includes(c)) continue;
    if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      let j = i + 1;
      while (' \t\n\r'.includes(s[j] ?? '')) j++;
      if (s[j] === close) {
        out += c + close;
        i = j;
      } else {
        depth++;
        out += c + newline();
      }
    } else if (c === '}' || c === ']') {
      depth--;
      out += newline() + c;
    } else if (c === ',') out += c + newline();
    else if (c === ':') out += ': ';
    else out += c;
  }
  return out;
}

export const jsonModule = makeModule('json', {
  encode: (_t, args, kwargs) => {
    try {
      return jsonEncode(positionalArgs('json.encode', args, kwargs, 1)[0]!);
    } catch (e) {
      throw starError(`json.encode: ${(e as Error).message}`);
    }
  },
  decode: (_t, args, kwargs) => {
    const [x, dflt] = unpackArgs('json.decode', args, kwargs, ['x', 'default?']);
    const s = stringArg('json.decode', 0, x);
    try {
      return jsonDecode(s);
    } catch (e) {
      if (dflt !== undefined) return dflt;
      throw starError(`json.decode: ${(e as Error).message}`);
    }
  },
  indent: (_t, args, kwargs) => {
    const [x, prefix, indent] = unpackArgs('json.indent', args, kwargs, ['str', 'prefix?', 'indent?']);
    const s = stringArg('json.indent', 0, x);
    try {
      return jsonIndent(s, prefix === undefined ? '' : stringArg('json.indent', 1, prefix), indent === undefined ? '\t' : stringArg('json.indent', 2, indent));
    } catch (e) {
      throw starError(`json.indent: ${(e as Error).message}`);
    }
  },
  encode_indent: (_t, args, kwargs) => {
    const [x, prefix, indent] = unpackArgs('json.encode_indent', args, kwargs, ['x', 'prefix?', 'indent?']);
    try {
      return jsonIndent(
        jsonEncode(x!),
        prefix === undefined ? '' : stringArg('json.encode_indent', 1, prefix),
        indent === undefined ? '\t' : stringArg('json.encode_indent', 2, indent),
      );
    } catch (e) {
      throw starError(`json.encode_indent: ${(e as Error).message}`);
    }
  },
});

// str() and repr() as go.starlark.net prints values: double-quoted strings
// with Go escapes, floats in %g with a ".0" for integral values, cycles as "...".
import { StarFunction } from './function.ts';
import { StarDict, StarSet } from './hash-table.ts';
import { Builtin, StarList, StarModule, StarObject, StarRange, StarStruct, StarTuple, typeName, type Value } from './values.ts';

export function str(v: Value): string {
  return typeof v === 'string' ? v : repr(v);
}

export function repr(v: Value): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return quote(v);
  const out: string[] = [];
  write(out, v, new Set());
  return out.join('');
}

function write(out: string[], v: Value, path: Set<object>): void {
  switch (typeof v) {
    case 'boolean':
      out.push(v ? 'True' : 'False');
      return;
    case 'bigint':
      out.push(v.toString());
      return;
    case 'number':
      out.push(formatFloat(v, 'g'));
      return;
    case 'string':
      out.push(quote(v));
      return;
  }
  if (v === null) {
    out.push('None');
    return;
  }
  if (path.has(v)) {
    out.push(v instanceof StarList ? '[...]' : v instanceof StarDict ? '{...}' : '...');
    return;
  }
  path.add(v);
  try {
    writeObject(out, v, path);
  } finally {
    path.delete(v);
  }
}

function writeObject(out: string[], v: StarObject, path: Set<object>): void {
  const seq = (open: string, elems: readonly Value[], close: string) => {
    out.push(open);
    elems.forEach((e, i) => {
      if (i > 0) out.push(', ');
      write(out, e, path);
    });
    out.push(close);
  };
  if (v instanceof StarList) return seq('[', v.elems, ']');
  if (v instanceof StarTuple) return seq('(', v.elems, v.elems.length === 1 ? ',)' : ')');
  if (v instanceof StarSet) return seq('set([', v.elems(), '])');
  if (v instanceof StarDict) {
    out.push('{');
    v.items().forEach(([k, x], i) => {
      if (i > 0) out.push(', ');
      write(out, k, path);
      out.push(': ');
      write(out, x, path);
    });
    out.push('}');
    return;
  }
  if (v instanceof StarStruct) {
    out.push(v.type === 'struct' ? 'struct(' : `${v.type}(`);
    v.attrNames().forEach((n, i) => {
      out.push(i > 0 ? ', ' : '', n, ' = ');
      write(out, v.attr(n) ?? null, path);
    });
    out.push(')');
    return;
  }
  if (v instanceof StarFunction) return void out.push(`<function ${v.name}>`);
  if (v instanceof Builtin) {
    out.push(v.recv === undefined ? `<built-in function ${v.name}>` : `<built-in method ${v.name} of ${typeName(v.recv)} value>`);
    return;
  }
  if (v instanceof StarModule) return void out.push(`<module "${v.name}">`);
  if (v instanceof StarRange) {
    out.push(`range(${v.start}, ${v.stop}${v.step !== 1n ? `, ${v.step}` : ''})`);
    return;
  }
  const custom = (v as { repr?: () => string }).repr;
  out.push(custom ? custom.call(v) : `<${v.type}>`);
}

/** A Go-syntax double-quoted string, as go.starlark.net's repr writes it. */
export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c >= 0x80 && c < 0xa0) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

/** Formats a float like Go's strconv with %g (shortest), %e or %f; %g gains ".0" when integral. */
export function formatFloat(f: number, conv: 'g' | 'G' | 'e' | 'E' | 'f' | 'F'): string {
  if (!Number.isFinite(f)) return Number.isNaN(f) ? 'nan' : f > 0 ? '+inf' : '-inf';
  const lower = conv.toLowerCase();
  let s: string;
  if (lower === 'f') s = f.toFixed(6);
  else if (lower === 'e') s = goExponent(f.toExponential(6));
  else {
    // Go's shortest %g: exponent form below 1e-4 and from 1e6 up.
    const exp = f === 0 ? 0 : Number(f.toExponential().split('e')[1]);
    s = exp < -4 || exp >= 6 ? goExponent(f.toExponential()) : Object.is(f, -0) ? '-0' : String(f);
    if (!s.includes('.') && !s.includes('e')) s += '.0';
  }
  return conv === conv.toUpperCase() ? s.toUpperCase() : s;
}

/** 1e+6 becomes Go's 1e+06: at least two exponent digits. */
function goExponent(s: string): string {
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

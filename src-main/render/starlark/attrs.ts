// `x.name`: methods of the built-in types and fields of structs and modules.
import { starError } from './errors.ts';
import { StarDict, StarSet } from './hash-table.ts';
import { dictMethods, setMethods } from './methods-dict.ts';
import { listMethods } from './methods-list.ts';
import { stringMethods } from './methods-string.ts';
import { hasAttrs, StarList, typeName, type Builtin, type Value } from './values.ts';

function methodsOf(x: Value): Record<string, Builtin> | undefined {
  if (typeof x === 'string') return stringMethods;
  if (x instanceof StarList) return listMethods;
  if (x instanceof StarDict) return dictMethods;
  if (x instanceof StarSet) return setMethods;
  return undefined;
}

/** The value of `x.name`, or undefined when x has no such field or method. */
export function findAttr(x: Value, name: string): Value | undefined {
  const methods = methodsOf(x);
  if (methods) return Object.hasOwn(methods, name) ? methods[name]!.bind(x) : undefined;
  if (hasAttrs(x)) return x.attr(name);
  return undefined;
}

export function getAttr(x: Value, name: string): Value {
  const v = findAttr(x, name);
  if (v === undefined) {
    const hint = suggest(name, attrNames(x));
    throw starError(`${typeName(x)} has no .${name} field or method${hint ? ` (did you mean .${hint}?)` : ''}`);
  }
  return v;
}

export function attrNames(x: Value): string[] {
  const methods = methodsOf(x);
  if (methods) return Object.keys(methods).sort();
  if (hasAttrs(x)) return x.attrNames();
  return [];
}

export function setField(x: Value, name: string, _v: Value): void {
  throw starError(`can't assign to .${name} field of ${typeName(x)}`);
}

/** The closest name within edit distance 2, for "did you mean" hints. */
export function suggest(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = distance(name.toLowerCase(), c.toLowerCase());
    if (c !== name && d < bestDist) {
      best = c;
      bestDist = d;
    }
  }
  const allowed = name.length < 2 ? 0 : name.length <= 3 ? 1 : 2;
  return bestDist <= allowed ? best : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

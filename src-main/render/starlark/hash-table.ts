// dict and set: insertion-ordered hash tables keyed by a canonical string, so
// that equal Starlark values (1 and 1.0, equal tuples) land on the same entry.
import { starError } from './errors.ts';
import { freeze, MutableObject, StarObject, StarStruct, StarTuple, typeName, type Value } from './values.ts';

const identities = new WeakMap<object, number>();
let nextIdentity = 1;

function identity(o: object): number {
  let id = identities.get(o);
  if (id === undefined) {
    id = nextIdentity++;
    identities.set(o, id);
  }
  return id;
}

/** A canonical string for any hashable value (used inside composite keys). */
function keyString(v: Value): string {
  switch (typeof v) {
    case 'string':
      return 's' + v;
    case 'bigint':
      return 'i' + v.toString();
    case 'number':
      return Number.isInteger(v) ? 'i' + BigInt(v).toString() : 'f' + String(v);
    case 'boolean':
      return v ? 'T' : 'F';
    default:
      if (v === null) return 'N';
      if (v instanceof StarTuple)
        return (
          't(' +
          v.elems
            .map((e) => {
              const k = keyString(e);
              return `${k.length}:${k}`;
            })
            .join('') +
          ')'
        );
      if (v instanceof MutableObject) throw starError(`unhashable type: ${v.type}`);
      if (v instanceof StarStruct) {
        return (
          'r(' +
          v
            .attrNames()
            .map((n) => {
              const k = keyString(v.attr(n) ?? null);
              return `${n.length}:${n}${k.length}:${k}`;
            })
            .join('') +
          ')'
        );
      }
      if (v instanceof StarObject) return '#' + identity(v);
      throw starError(`unhashable type: ${typeName(v)}`);
  }
}

const COMPOSITE = '\u0001';

/**
 * The Map key of a hashable value: the value itself for strings, ints and
 * bools (JS Maps compare those by value), ints for integral floats so that
 * 1 and 1.0 meet, and a marked canonical string for everything else.
 */
export function keyOf(v: Value): unknown {
  switch (typeof v) {
    case 'string':
      return v.startsWith(COMPOSITE) ? COMPOSITE + 's' + v : v;
    case 'bigint':
    case 'boolean':
      return v;
    case 'number':
      return Number.isInteger(v) ? BigInt(v) : v;
    default:
      return v === null ? null : COMPOSITE + keyString(v);
  }
}

export class StarDict extends MutableObject {
  readonly type = 'dict';
  private readonly map = new Map<unknown, [Value, Value]>();

  get size(): number {
    return this.map.size;
  }
  get(k: Value): Value | undefined {
    return this.map.get(keyOf(k))?.[1];
  }
  has(k: Value): boolean {
    return this.map.has(keyOf(k));
  }
  set(k: Value, v: Value): void {
    const key = keyOf(k);
    this.checkMutable('insert into');
    const entry = this.map.get(key);
    if (entry) entry[1] = v;
    else this.map.set(key, [k, v]);
  }
  /** Removes `k`; returns its value, or undefined when absent. */
  delete(k: Value): Value | undefined {
    const key = keyOf(k);
    this.checkMutable('delete from');
    const entry = this.map.get(key);
    if (entry) this.map.delete(key);
    return entry?.[1];
  }
  clear(): void {
    this.checkMutable('clear');
    this.map.clear();
  }
  keys(): Value[] {
    return [...this.map.values()].map((e) => e[0]);
  }
  values(): Value[] {
    return [...this.map.values()].map((e) => e[1]);
  }
  items(): [Value, Value][] {
    return [...this.map.values()].map((e) => [e[0], e[1]]);
  }
  /** Live iteration for `for k in d`; the caller holds `itercount` meanwhile. */
  *iterKeys(): IterableIterator<Value> {
    for (const e of this.map.values()) yield e[0];
  }
  override freeze(): void {
    if (this.frozen) return;
    this.frozen = true;
    for (const [k, v] of this.map.values()) {
      freeze(k);
      freeze(v);
    }
  }
  override truth(): boolean {
    return this.map.size > 0;
  }
}

export class StarSet extends MutableObject {
  readonly type = 'set';
  private readonly map = new Map<unknown, Value>();

  get size(): number {
    return this.map.size;
  }
  has(v: Value): boolean {
    return this.map.has(keyOf(v));
  }
  add(v: Value): void {
    const key = keyOf(v);
    this.checkMutable('insert into');
    if (!this.map.has(key)) this.map.set(key, v);
  }
  delete(v: Value): boolean {
    const key = keyOf(v);
    this.checkMutable('delete from');
    return this.map.delete(key);
  }
  clear(): void {
    this.checkMutable('clear');
    this.map.clear();
  }
  elems(): Value[] {
    return [...this.map.values()];
  }
  *iter(): IterableIterator<Value> {
    yield* this.map.values();
  }
  override freeze(): void {
    if (this.frozen) return;
    this.frozen = true;
    for (const v of this.map.values()) freeze(v);
  }
  override truth(): boolean {
    return this.map.size > 0;
  }
}

/** A new set of `elems`, de-duplicated in order. */
export function newSet(elems: Iterable<Value>): StarSet {
  const s = new StarSet();
  for (const e of elems) s.add(e);
  return s;
}

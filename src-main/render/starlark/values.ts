// Starlark values in JavaScript. The immutable scalars are plain JS values so
// the common case costs nothing: None is null, int is bigint (arbitrary
// precision), float is number, string is string. Everything else is a
// StarObject subclass.
import { starError } from './errors.ts';
import type { Thread } from './thread.ts';

export type Value = null | boolean | bigint | number | string | StarObject;

export abstract class StarObject {
  abstract readonly type: string;
  frozen = false;
  freeze(): void {
    this.frozen = true;
  }
  truth(): boolean {
    return true;
  }
}

/** A value with fields or methods reachable by `x.name` (struct, module, ...). */
export interface HasAttrs {
  attr(name: string): Value | undefined;
  attrNames(): string[];
}

export function hasAttrs(v: Value): v is StarObject & HasAttrs {
  return v instanceof StarObject && typeof (v as Partial<HasAttrs>).attr === 'function';
}

/** Mutable containers refuse changes while frozen or being iterated. */
export abstract class MutableObject extends StarObject {
  itercount = 0;
  checkMutable(verb: string): void {
    if (this.frozen) throw starError(`cannot ${verb} frozen ${this.type}`);
    if (this.itercount > 0) throw starError(`cannot ${verb} ${this.type} during iteration`);
  }
}

export class StarList extends MutableObject {
  readonly type = 'list';
  constructor(public elems: Value[] = []) {
    super();
  }
  override freeze(): void {
    if (this.frozen) return;
    this.frozen = true;
    for (const e of this.elems) freeze(e);
  }
  override truth(): boolean {
    return this.elems.length > 0;
  }
}

export class StarTuple extends StarObject {
  readonly type = 'tuple';
  constructor(readonly elems: readonly Value[]) {
    super();
  }
  override freeze(): void {
    if (this.frozen) return;
    this.frozen = true;
    for (const e of this.elems) freeze(e);
  }
  override truth(): boolean {
    return this.elems.length > 0;
  }
}

export const EMPTY_TUPLE = new StarTuple([]);

/** The lazy sequence `range(start, stop, step)`. */
export class StarRange extends StarObject {
  readonly type = 'range';
  readonly length: bigint;
  constructor(
    readonly start: bigint,
    readonly stop: bigint,
    readonly step: bigint,
  ) {
    super();
    const span = step > 0n ? stop - start : start - stop;
    const abs = step > 0n ? step : -step;
    this.length = span <= 0n ? 0n : (span + abs - 1n) / abs;
  }
  at(i: bigint): bigint {
    return this.start + i * this.step;
  }
  override truth(): boolean {
    return this.length > 0n;
  }
}

export type BuiltinFn = (thread: Thread, args: Value[], kwargs: [string, Value][], self: Builtin) => Value;

/** A function written in TypeScript; `recv` is set for a bound method such as `"x".upper`. */
export class Builtin extends StarObject {
  readonly type = 'builtin_function_or_method';
  constructor(
    readonly name: string,
    readonly fn: BuiltinFn,
    readonly recv: Value | undefined = undefined,
  ) {
    super();
    this.frozen = true;
  }
  bind(recv: Value): Builtin {
    return new Builtin(this.name, this.fn, recv);
  }
}

/** A struct, as starlarkstruct makes it: immutable named fields, some computed on first use. */
export class StarStruct extends StarObject implements HasAttrs {
  readonly type: string = 'struct';
  private readonly fields: Map<string, Value | (() => Value)>;
  constructor(fields: Iterable<[string, Value | (() => Value)]>) {
    super();
    this.fields = new Map([...fields].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
  }
  attr(name: string): Value | undefined {
    const v = this.fields.get(name);
    if (typeof v === 'function') {
      const computed = v();
      this.fields.set(name, computed);
      if (this.frozen) freeze(computed);
      return computed;
    }
    return v;
  }
  attrNames(): string[] {
    return [...this.fields.keys()];
  }
  override freeze(): void {
    if (this.frozen) return;
    this.frozen = true;
    for (const v of this.fields.values()) if (typeof v !== 'function') freeze(v);
  }
}

/** A loaded module such as `json` or `krmfn`: a named bag of members. */
export class StarModule extends StarObject implements HasAttrs {
  readonly type = 'module';
  constructor(
    readonly name: string,
    private readonly members: Record<string, Value>,
  ) {
    super();
    this.frozen = true;
  }
  attr(name: string): Value | undefined {
    return Object.hasOwn(this.members, name) ? this.members[name] : undefined;
  }
  attrNames(): string[] {
    return Object.keys(this.members).sort();
  }
}

export function typeName(v: Value): string {
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float';
    case 'string':
      return 'string';
    default:
      return v === null ? 'NoneType' : v.type;
  }
}

export function truth(v: Value): boolean {
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'bigint':
      return v !== 0n;
    case 'number':
      return v !== 0;
    case 'string':
      return v.length > 0;
    default:
      return v === null ? false : v.truth();
  }
}

export function freeze(v: Value): void {
  if (v instanceof StarObject) v.freeze();
}

export function isInt(v: Value): v is bigint {
  return typeof v === 'bigint';
}

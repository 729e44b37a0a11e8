// The universe: the built-in constants and functions every script sees.
import { positional, unpackArgs, wantString } from './args.ts';
import { attrNames, findAttr } from './attrs.ts';
import { convertBuiltins } from './builtins-convert.ts';
import { iterBuiltins } from './builtins-iter.ts';
import { starError } from './errors.ts';
import { repr, str } from './repr.ts';
import { Builtin, StarList, StarStruct, typeName, type BuiltinFn, type Value } from './values.ts';

/** Java's String.hashCode, which the Starlark spec prescribes for hash(). */
function javaHash(s: string): bigint {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return BigInt(h);
}

function joinArgs(args: Value[], sep: string): string {
  return args.map((v) => str(v)).join(sep);
}

const misc: Record<string, BuiltinFn> = {
  dir: (_t, args, kwargs) => new StarList(attrNames(positional('dir', args, kwargs, 1)[0]!).sort()),
  fail: (_t, args, kwargs) => {
    const [sep] = unpackArgs('fail', [], kwargs, ['sep?']);
    throw starError(`fail: ${joinArgs(args, sep === undefined ? ' ' : wantString('fail', 'sep', sep))}`);
  },
  getattr: (_t, args, kwargs) => {
    const [x, nameV, dflt] = positional('getattr', args, kwargs, 2, 3);
    const name = wantString('getattr', 'name', nameV);
    const v = findAttr(x!, name);
    if (v !== undefined) return v;
    if (dflt !== undefined) return dflt;
    throw starError(`getattr: ${typeName(x!)} has no .${name} field or method`);
  },
  hasattr: (_t, args, kwargs) => {
    const [x, nameV] = positional('hasattr', args, kwargs, 2);
    return findAttr(x!, wantString('hasattr', 'name', nameV)) !== undefined;
  },
  hash: (_t, args, kwargs) => {
    const [x] = positional('hash', args, kwargs, 1);
    if (typeof x !== 'string') throw starError(`hash: got ${typeName(x!)}, want string or bytes`);
    return javaHash(x);
  },
  print: (t, args, kwargs) => {
    const [sep] = unpackArgs('print', [], kwargs, ['sep?']);
    t.print(joinArgs(args, sep === undefined ? ' ' : wantString('print', 'sep', sep)));
    return null;
  },
  repr: (_t, args, kwargs) => repr(positional('repr', args, kwargs, 1)[0]!),
  type: (_t, args, kwargs) => {
    if (kwargs.length > 0) throw starError('type does not accept keyword arguments');
    if (args.length !== 1) throw starError(`type: got ${args.length} arguments, want exactly 1`);
    return typeName(args[0]!);
  },
};

function build(fns: Record<string, BuiltinFn>): [string, Value][] {
  return Object.entries(fns).map(([name, fn]) => [name, new Builtin(name, fn)]);
}

/** The universe of go.starlark.net (without bytes); `set` is there, as kpt's dialect allows it. */
export const UNIVERSE: ReadonlyMap<string, Value> = new Map<string, Value>([
  ['None', null],
  ['True', true],
  ['False', false],
  ...build(convertBuiltins),
  ...build(iterBuiltins),
  ...build(misc),
]);

/**
 * `struct(**kwargs)` from go.starlark.net's starlarkstruct. Not in the universe:
 * a host predeclares it (kpt's starlark function does not).
 */
export const structBuiltin = new Builtin('struct', (_t, args, kwargs) => {
  if (args.length > 0) throw starError(`struct: unexpected positional arguments`);
  return new StarStruct(kwargs);
});

// krmfn.star: the catalog starlark function's own helpers for matching a
// resource. match_gvk compares apiVersion and kind as written (catalog v0.4.x);
// an empty argument matches anything.
import { starError } from '../errors.ts';
import { StarDict } from '../hash-table.ts';
import { typeName, type BuiltinFn, type Value } from '../values.ts';
import { makeModule, positionalArgs, stringArg } from './module-args.ts';

function field(obj: Value, ...path: string[]): string {
  let v: Value | undefined = obj;
  for (const p of path) v = v instanceof StarDict ? v.get(p) : undefined;
  return typeof v === 'string' ? v : '';
}

function resource(fn: string, v: Value | undefined): StarDict {
  if (!(v instanceof StarDict)) throw starError(`${fn}: for parameter 1: got ${typeName(v ?? null)}, want a resource (dict)`);
  return v;
}

const matchGvk: BuiltinFn = (_t, args, kwargs) => {
  const [r, av, k] = positionalArgs('krmfn.match_gvk', args, kwargs, 3);
  const obj = resource('krmfn.match_gvk', r);
  const apiVersion = stringArg('krmfn.match_gvk', 1, av);
  const kind = stringArg('krmfn.match_gvk', 2, k);
  const okVersion = apiVersion === '' || field(obj, 'apiVersion') === apiVersion;
  const okKind = kind === '' || field(obj, 'kind') === kind;
  return okVersion && okKind;
};

export const krmfnModule = makeModule('krmfn', {
  match_gvk: matchGvk,
  match_name: (_t, args, kwargs) => {
    const [r, n] = positionalArgs('krmfn.match_name', args, kwargs, 2);
    return field(resource('krmfn.match_name', r), 'metadata', 'name') === stringArg('krmfn.match_name', 1, n);
  },
  match_namespace: (_t, args, kwargs) => {
    const [r, n] = positionalArgs('krmfn.match_namespace', args, kwargs, 2);
    return field(resource('krmfn.match_namespace', r), 'metadata', 'namespace') === stringArg('krmfn.match_namespace', 1, n);
  },
});

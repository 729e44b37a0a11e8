// PATCH bodies: JSON merge patch (RFC 7386: what kubectl label, annotate,
// edit and client-side apply send for Porch's kinds), JSON patch (RFC 6902),
// and for core kinds the strategic merge patch kubectl sends from its own
// scheme, which for secrets and namespaces means the same as a merge patch.
import { badRequest, kubeError } from './status.ts';

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const out: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Strategic-merge directives ($patch, $setElementOrder/..., $retainKeys) mean nothing for the door's core kinds. */
function withoutDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.map(withoutDirectives);
  if (!isObject(v)) return v;
  if (v.$patch === 'delete' || v.$patch === 'replace') throw badRequest('strategic merge $patch directives are not supported here; send a JSON merge patch');
  return Object.fromEntries(
    Object.entries(v)
      .filter(([k]) => !k.startsWith('$'))
      .map(([k, x]) => [k, withoutDirectives(x)]),
  );
}

/** RFC 6901 pointer segments. */
function pointer(path: unknown): string[] {
  if (typeof path !== 'string' || (path !== '' && !path.startsWith('/')))
    throw badRequest(`a JSON patch path must be a JSON pointer, not ${JSON.stringify(path)}`);
  return path === ''
    ? []
    : path
        .slice(1)
        .split('/')
        .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function parentOf(doc: Json, segments: string[], op: string): { parent: Record<string, Json> | Json[]; key: string } {
  let node = doc;
  for (const s of segments.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(s)];
    else if (isObject(node)) node = node[s];
    else node = undefined;
    if (node === undefined) throw kubeError(422, 'Invalid', `doc is missing path: "/${segments.join('/')}": missing value (JSON patch ${op})`);
  }
  if (!Array.isArray(node) && !isObject(node)) throw kubeError(422, 'Invalid', `doc is missing path: "/${segments.join('/')}" (JSON patch ${op})`);
  return { parent: node, key: segments.at(-1)! };
}

function read(doc: Json, segments: string[]): Json {
  let node = doc;
  for (const s of segments) node = Array.isArray(node) ? node[Number(s)] : isObject(node) ? node[s] : undefined;
  return node;
}

export function jsonPatch(target: Json, operations: Json): Json {
  if (!Array.isArray(operations)) throw badRequest('a JSON patch is an array of operations');
  let doc: Json = structuredClone(target);
  for (const raw of operations) {
    if (!isObject(raw)) throw badRequest('each JSON patch operation is an object with "op" and "path"');
    const op = String(raw.op);
    const segments = pointer(raw.path);
    const value = op === 'copy' || op === 'move' ? read(doc, pointer(raw.from)) : raw.value;
    if (op === 'test') {
      if (JSON.stringify(read(doc, segments)) !== JSON.stringify(raw.value))
        throw kubeError(422, 'Invalid', `testing value ${String(raw.path)} failed: test operation failed`);
      continue;
    }
    if (!['add', 'remove', 'replace', 'copy', 'move'].includes(op)) throw badRequest(`unexpected JSON patch operation "${op.slice(0, 40)}"`);
    if (op === 'move') doc = jsonPatch(doc, [{ op: 'remove', path: raw.from }]);
    if (!segments.length) {
      if (op !== 'remove') doc = structuredClone(value);
      continue;
    }
    const { parent, key } = parentOf(doc, segments, op);
    if (Array.isArray(parent)) {
      const i = key === '-' ? parent.length : Number(key);
      if (!Number.isInteger(i) || i < 0 || i > parent.length) throw kubeError(422, 'Invalid', `JSON patch index ${key} is out of range`);
      if (op === 'remove') parent.splice(i, 1);
      else if (op === 'replace') parent[i] = structuredClone(value);
      else parent.splice(i, 0, structuredClone(value));
    } else if (op === 'remove') {
      if (!(key in parent)) throw kubeError(422, 'Invalid', `doc is missing key: "${String(raw.path)}" (JSON patch remove)`);
      delete parent[key];
    } else {
      if (op === 'replace' && !(key in parent)) throw kubeError(422, 'Invalid', `doc is missing key: "${String(raw.path)}" (JSON patch replace)`);
      parent[key] = structuredClone(value);
    }
  }
  return doc;
}

export type PatchType = 'merge' | 'json' | 'strategic';

export function patchTypeOf(contentType: string): PatchType | 'apply' | undefined {
  const t = contentType.split(';')[0]!.trim().toLowerCase();
  if (t === 'application/merge-patch+json') return 'merge';
  if (t === 'application/json-patch+json') return 'json';
  if (t === 'application/strategic-merge-patch+json') return 'strategic';
  if (t === 'application/apply-patch+yaml' || t === 'application/apply-patch+cbor') return 'apply';
  return undefined;
}

export function applyPatch(type: PatchType, current: Json, patch: Json): Json {
  if (type === 'json') return jsonPatch(current, patch);
  if (!isObject(patch)) throw badRequest('a merge patch must be a JSON object');
  return mergePatch(current, type === 'strategic' ? withoutDirectives(patch) : patch);
}

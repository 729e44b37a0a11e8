// YAML nodes (library `yaml`) to Starlark values. Plain scalars are resolved
// from their source text by Go's rules (yaml.v3 for kyaml, yaml.v2 for
// starlib's yaml module), since those decide what a script sees: `0777` is
// 511 and `1_000` is 1000 under Go, while YAML 1.2 says 777 and a string.
import { isAlias, isMap, isPair, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq, type Document, type Node } from 'yaml';
import { starError } from './errors.ts';
import { goYamlKeyCompare } from './go-yaml-order.ts';
import { StarDict, StarSet } from './hash-table.ts';
import { StarList, StarTuple, typeName, type Value } from './values.ts';

export type ScalarResolver = (plain: string) => Value;

const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** Go's strconv.ParseInt(s, 0, 64) then ParseUint: prefixes 0x 0o 0b and a leading 0 for octal. */
function goParseInt(s: string): bigint | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const body = m[2]!;
  const v = /^0[0-7]+$/.test(body) ? BigInt('0o' + body.slice(1)) : BigInt(body);
  const signed = m[1] === '-' ? -v : v;
  if (signed > UINT64_MAX || signed < -INT64_MAX - 1n) return undefined;
  return signed;
}

/** yaml.v3's resolution of an untagged plain scalar, when decoding into interface{}. */
export function resolveYamlV3(s: string): Value {
  switch (s) {
    case '':
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
    case '.inf':
    case '.Inf':
    case '.INF':
    case '+.inf':
    case '+.Inf':
    case '+.INF':
      return Infinity;
    case '-.inf':
    case '-.Inf':
    case '-.INF':
      return -Infinity;
    case '.nan':
    case '.NaN':
    case '.NAN':
      return NaN;
  }
  const c = s[0]!;
  if (c === '.') {
    const f = FLOAT.test(s) ? Number(s) : NaN;
    return Number.isNaN(f) ? s : f;
  }
  if (!/[-+0-9]/.test(c)) return s;
  const plain = s.replace(/_/g, '');
  const i = goParseInt(plain);
  if (i !== undefined) return i;
  if (FLOAT.test(plain)) return Number(plain);
  return s;
}

/** yaml.v2 (YAML 1.1) additionally reads y/yes/on and n/no/off as booleans. */
export function resolveYamlV2(s: string): Value {
  if (/^(y|Y|yes|Yes|YES|on|On|ON)$/.test(s)) return true;
  if (/^(n|N|no|No|NO|off|Off|OFF)$/.test(s)) return false;
  return resolveYamlV3(s);
}

function scalarValue(
  node: Extract<Node, { type?: unknown }> & { value: unknown; source?: string; type?: string; tag?: string },
  resolve: ScalarResolver,
): Value {
  const tag = node.tag;
  const isStrTag = tag === 'tag:yaml.org,2002:str' || tag === '!!str';
  if (typeof node.source === 'string' && node.type === 'PLAIN' && !tag) return resolve(node.source);
  if (typeof node.source === 'string' && (node.type !== 'PLAIN' || isStrTag)) {
    if (isStrTag || !tag) return node.source;
  }
  const v = node.value;
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isInteger(v) && !/[.eE]/.test(node.source ?? '') ? BigInt(v) : v;
  if (v instanceof Date) return node.source ?? v.toISOString();
  return String(v);
}

/** Converts a YAML node to a Starlark value: mappings keep their order. */
export function nodeToValue(node: unknown, doc: Document, resolve: ScalarResolver, depth = 0): Value {
  if (depth > 1000) throw starError('YAML nested too deeply');
  if (node === null || node === undefined) return null;
  // Documents edited with setIn() may hold plain JS values rather than nodes.
  if (typeof node === 'string' || typeof node === 'boolean' || typeof node === 'bigint') return node;
  if (typeof node === 'number') return Number.isInteger(node) ? BigInt(node) : node;
  if (Array.isArray(node)) return new StarList(node.map((n) => nodeToValue(n, doc, resolve, depth + 1)));
  if (node instanceof Date) return node.toISOString();
  if (Object.getPrototypeOf(node) === Object.prototype) {
    const d = new StarDict();
    for (const [k, v] of Object.entries(node)) d.set(k, nodeToValue(v, doc, resolve, depth + 1));
    return d;
  }
  if (isAlias(node)) return nodeToValue(node.resolve(doc), doc, resolve, depth + 1);
  if (isScalar(node)) return scalarValue(node as never, resolve);
  if (isMap(node)) {
    const d = new StarDict();
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const k = nodeToValue(item.key, doc, resolve, depth + 1);
      const key = typeof k === 'string' || typeof k === 'bigint' || typeof k === 'boolean' || k === null || typeof k === 'number' ? k : String(k);
      d.set(key, nodeToValue(item.value, doc, resolve, depth + 1));
    }
    return d;
  }
  if (isSeq(node)) return new StarList(node.items.map((n) => nodeToValue(n, doc, resolve, depth + 1)));
  throw starError(`cannot convert YAML node ${String((node as { constructor?: { name?: string } }).constructor?.name)} to a Starlark value`);
}

/**
 * Converts a Starlark value to new YAML nodes, as Go's yaml.Marshal of the
 * value would lay them out: mapping keys in Go's order, no styles set.
 */
export function valueToNode(v: Value, depth = 0): Node {
  if (depth > 1000) throw starError('value nested too deeply to convert to YAML');
  if (v === null || typeof v === 'boolean' || typeof v === 'string' || typeof v === 'number') return new Scalar(v);
  if (typeof v === 'bigint') return new Scalar(v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
  if (v instanceof StarDict) {
    const map = new YAMLMap();
    const items = v.items().sort((a, b) => goYamlKeyCompare(a[0], b[0]));
    for (const [k, x] of items) {
      if (typeof k === 'object' && k !== null) throw starError(`cannot convert a dict with a ${typeName(k)} key to YAML`);
      map.items.push(new Pair(valueToNode(k, depth + 1), valueToNode(x, depth + 1)));
    }
    return map;
  }
  if (v instanceof StarList || v instanceof StarTuple) {
    const seq = new YAMLSeq();
    for (const e of v.elems) seq.items.push(valueToNode(e, depth + 1));
    return seq;
  }
  if (v instanceof StarSet) throw starError('cannot convert a set to YAML: make it a list first (list(s) or sorted(s))');
  throw starError(`cannot convert a ${typeName(v)} to YAML`);
}

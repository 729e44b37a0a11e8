// What kpt does to a function's output before writing it back (kyaml
// FunctionFilter): field order synced to the input (keys the input had keep
// their place, new keys follow), and comments copied onto fields the input
// also had.
import { isMap, isPair, isScalar, isSeq, type Pair, type YAMLMap } from 'yaml';

type Commented = { commentBefore?: string | null; comment?: string | null; spaceBefore?: boolean };

function keyText(p: Pair): string | undefined {
  const k = p.key as unknown;
  if (isScalar(k)) return String(k.value);
  return typeof k === 'string' ? k : undefined;
}

function pairsByKey(map: YAMLMap): Map<string, Pair> {
  const out = new Map<string, Pair>();
  for (const p of map.items) {
    const k = isPair(p) ? keyText(p) : undefined;
    if (k !== undefined && !out.has(k)) out.set(k, p);
  }
  return out;
}

/** Reorders `to`'s mapping keys to follow `from`, recursively; sequences pair up by index. */
export function syncOrder(from: unknown, to: unknown): void {
  if (isMap(from) && isMap(to)) {
    const fromKeys = [...pairsByKey(from).keys()];
    const toPairs = pairsByKey(to);
    const ordered: Pair[] = [];
    for (const k of fromKeys) {
      const p = toPairs.get(k);
      if (p) ordered.push(p);
    }
    const placed = new Set(ordered);
    for (const p of to.items) if (!placed.has(p)) ordered.push(p);
    to.items = ordered;
    const fromPairs = pairsByKey(from);
    for (const [k, p] of toPairs) {
      const f = fromPairs.get(k);
      if (f) syncOrder(f.value, p.value);
    }
  } else if (isSeq(from) && isSeq(to)) {
    const n = Math.min(from.items.length, to.items.length);
    for (let i = 0; i < n; i++) syncOrder(from.items[i], to.items[i]);
  }
}

function copyNodeComments(from: unknown, to: unknown): void {
  if (!from || !to || typeof from !== 'object' || typeof to !== 'object') return;
  const f = from as Commented;
  const t = to as Commented;
  if (!t.commentBefore && f.commentBefore) t.commentBefore = f.commentBefore;
  if (!t.comment && f.comment) t.comment = f.comment;
  if (t.spaceBefore === undefined && f.spaceBefore) t.spaceBefore = f.spaceBefore;
}

/** A list element's identity for matching: its `name` when it has one (containers, ports). */
function elementKey(n: unknown): string | undefined {
  if (!isMap(n)) return undefined;
  const p = pairsByKey(n).get('name');
  return p && isScalar(p.value) ? String(p.value.value) : undefined;
}

/** Copies comments from `from` onto the same fields of `to`, recursively. */
export function copyComments(from: unknown, to: unknown): void {
  copyNodeComments(from, to);
  if (isMap(from) && isMap(to)) {
    const fromPairs = pairsByKey(from);
    for (const [k, p] of pairsByKey(to)) {
      const f = fromPairs.get(k);
      if (!f) continue;
      copyNodeComments(f.key, p.key);
      copyComments(f.value, p.value);
    }
  } else if (isSeq(from) && isSeq(to)) {
    const byName = new Map<string, unknown>();
    for (const n of from.items) {
      const k = elementKey(n);
      if (k !== undefined) byName.set(k, n);
    }
    to.items.forEach((n, i) => {
      const k = elementKey(n);
      const f = k !== undefined ? byName.get(k) : from.items[i];
      if (f === undefined) return;
      if (isScalar(f) && isScalar(n) && f.value !== n.value) return;
      copyComments(f, n);
    });
  }
}

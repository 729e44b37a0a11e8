// kpt's three-way merge of one resource (kyaml merge3, docs/porch-upgrade.md
// §1.4c), on yaml nodes so comments travel with the values they belong to (a
// `# kpt-set:` comment must follow its value). O = original (old upstream),
// U = updated (new upstream), D = destination (the local package).
// Upstream wins a conflict on a scalar or a whole list; lists with a merge key
// are merged item by item.
import { isMap, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';

type N = Node | undefined;

/** Which list items are matched by which field: Kubernetes' patch merge keys, or `name` where inferred. */
export type MergeKeyOf = (path: readonly string[], lists: readonly (YAMLSeq | undefined)[]) => string | undefined;

const isNull = (n: N) => isScalar(n) && n.value === null;
const plain = (n: unknown): unknown => (n && typeof (n as { toJSON?: unknown }).toJSON === 'function' ? (n as { toJSON(): unknown }).toJSON() : n);
const text = (n: N): string => (n === undefined ? '\u0000absent' : JSON.stringify(plain(n)));
const same = (a: N, b: N) => text(a) === text(b);
const clone = (n: N): N => {
  if (n === undefined || n === null) return undefined;
  const c = n as unknown as { clone?: () => Node };
  return typeof c.clone === 'function' ? c.clone() : (new Scalar(n) as Node);
};

function keyName(p: Pair): string {
  return isScalar(p.key) ? String(p.key.value) : String(p.key);
}

/** Scalars and lists without a merge key: all or nothing, upstream winning a conflict. */
function mergeAtomic(o: N, u: N, d: N): N {
  if (isNull(u) || isNull(d)) return undefined;
  if ((o === undefined) !== (u === undefined)) return clone(u);
  if (o === undefined && u === undefined) return d;
  if ((d === undefined || same(d, o)) && !same(o, u)) return clone(u);
  if (!same(u, o)) return clone(u);
  return d;
}

function mergeMap(o: N, u: N, d: N, path: string[], keyOf: MergeKeyOf): N {
  if (isNull(u) || isNull(d)) return undefined;
  if (d === undefined && u === undefined) return undefined;
  const om = isMap(o) ? o : undefined;
  const um = isMap(u) ? u : undefined;
  const created = !isMap(d);
  const dm = isMap(d) ? d : new YAMLMap();
  const pairs = (m: YAMLMap | undefined) => new Map((m?.items ?? []).map((p) => [keyName(p as Pair), p as Pair]));
  const [op, up, dp] = [pairs(om), pairs(um), pairs(dm)];
  const keys = [...new Set([...op.keys(), ...up.keys(), ...dp.keys()])].sort();
  for (const k of keys) {
    const merged = mergeNode(op.get(k)?.value as N, up.get(k)?.value as N, dp.get(k)?.value as N, [...path, k], keyOf);
    const existing = dp.get(k);
    if (merged === undefined) {
      if (existing) dm.items.splice(dm.items.indexOf(existing), 1);
    } else if (existing) {
      existing.value = merged;
    } else {
      // A key upstream added keeps upstream's key comments.
      const key = (clone(up.get(k)?.key as N) as Scalar | undefined) ?? new Scalar(k);
      dm.items.push(new Pair(key, merged));
    }
  }
  // A map deleted locally comes back only with what upstream changed in it.
  return created && dm.items.length === 0 ? undefined : dm;
}

function mergeAssociative(o: N, u: N, d: N, path: string[], key: string, keyOf: MergeKeyOf): N {
  if (isNull(u) || isNull(d)) return undefined;
  if (u === undefined && o !== undefined) return undefined;
  const items = (s: N) => (isSeq(s) ? (s.items as Node[]) : []).filter(isMap);
  const keyValue = (m: YAMLMap) => text(m.get(key, true) as N);
  const [oi, ui, di] = [items(o), items(u), items(d)];
  const byKey = (list: YAMLMap[]) => new Map(list.map((m) => [keyValue(m), m]));
  const [ok, uk, dk] = [byKey(oi), byKey(ui), byKey(di)];
  const out = isSeq(d) ? d : new YAMLSeq();
  const result: Node[] = [];
  const order = [...new Set([...dk.keys(), ...ok.keys(), ...uk.keys()])];
  for (const k of order) {
    const [oItem, uItem, dItem] = [ok.get(k), uk.get(k), dk.get(k)];
    const merged = mergeMap(oItem, uItem, dItem, [...path, '[]'], keyOf) as YAMLMap | undefined;
    if (!merged) continue;
    const fields = merged.items.map((p) => keyName(p as Pair)).filter((f) => f !== key);
    if (fields.length === 0) continue;
    if (!merged.has(key)) merged.items.unshift(new Pair(new Scalar(key), clone((uItem ?? oItem ?? dItem)!.get(key, true) as N)));
    result.push(merged);
  }
  out.items = result;
  return out;
}

export function mergeNode(o: N, u: N, d: N, path: string[], keyOf: MergeKeyOf): N {
  const sample = u ?? d ?? o;
  if (isMap(sample) || (isMap(d) && !isNull(u)) || (isMap(u) && !isNull(d))) {
    if ((u === undefined || isMap(u)) && (d === undefined || isMap(d))) return mergeMap(o, u, d, path, keyOf);
  }
  if (isSeq(sample)) {
    const lists = [o, u, d].map((n) => (isSeq(n) ? n : undefined));
    const key = keyOf(path, lists);
    if (key) return mergeAssociative(o, u, d, path, key, keyOf);
  }
  return mergeAtomic(o, u, d);
}

/**
 * Merge keys of the lists Kubernetes merges by key (its patch strategy), for
 * built-in kinds. kyaml reads them from the OpenAPI schema; these are the ones
 * packages meet in practice. Everything else is atomic, as for a custom kind.
 */
const KUBERNETES_MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  imagePullSecrets: 'name',
  volumeMounts: 'mountPath',
  hostAliases: 'ip',
  ownerReferences: 'uid',
};

export function kubernetesMergeKeys(apiVersion: string): MergeKeyOf {
  const builtIn = !apiVersion.includes('.') || apiVersion.endsWith('.k8s.io/v1') || /^(apps|batch|policy|autoscaling)\//.test(apiVersion);
  return (path) => {
    if (!builtIn) return undefined;
    const field = path.at(-1) ?? '';
    if (field === 'ports') return path.includes('containers') || path.includes('initContainers') ? 'containerPort' : path[0] === 'spec' ? 'port' : undefined;
    return KUBERNETES_MERGE_KEYS[field];
  };
}

/** kyaml's inference for the Kptfile: a list is merged by `name` when every item of some version has one. */
export const inferNameKey: MergeKeyOf = (_path, lists) =>
  lists.some((l) => l && l.items.length > 0 && l.items.every((i) => isMap(i) && i.has('name'))) ? 'name' : undefined;

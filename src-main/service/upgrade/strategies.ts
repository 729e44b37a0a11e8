// kpt's four upgrade strategies over three packages held in memory
// (docs/porch-upgrade.md §1.3–1.7): resource-merge (the default), fast-forward,
// force-delete-replace and copy-merge. Each returns the new package's files.
import YAML, { isMap, type Document, type Node, type YAMLMap } from 'yaml';
import { failedPrecondition } from '../../../src-shared/errors.ts';
import { isKptfile, isKrmFile } from '../../../src-shared/package-files.ts';
import { joinDocs, mergeIdentity, parseDocs, type PackageFile } from '../kpt-files.ts';
import { inferNameKey, kubernetesMergeKeys, mergeNode } from './merge3.ts';

export const STRATEGIES = ['resource-merge', 'fast-forward', 'force-delete-replace', 'copy-merge'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface ThreePackages {
  original: readonly PackageFile[];
  updated: readonly PackageFile[];
  local: readonly PackageFile[];
}

const byPath = (files: readonly PackageFile[]) => new Map(files.map((f) => [f.path, f]));
const sameBytes = (a: PackageFile | undefined, b: PackageFile | undefined) =>
  !!a && !!b && Buffer.compare(Buffer.from(a.content), Buffer.from(b.content)) === 0;
const ROOT_KPTFILE = 'Kptfile';

function kptfileDoc(f: PackageFile | undefined): Document {
  return (f && parseDocs(f)[0]) || new YAML.Document({});
}

/** Functions in the pipeline get a temporary name, so the merge matches them by image (kpt does this when none has a name). */
function functionLists(doc: Document): YAMLMap[][] {
  return (['mutators', 'validators'] as const).map((k) => {
    const list = doc.getIn(['pipeline', k]) as { items?: unknown[] } | undefined;
    return (list?.items ?? []).filter(isMap) as YAMLMap[];
  });
}

function functionKey(fn: YAMLMap): string {
  const exec = fn.get('exec');
  return exec ? String(exec) : String(fn.get('image') ?? '').split(':')[0]!;
}

const SYNTHETIC = '_kpt-merge_';

/** The Kptfile, merged three ways; the local name, namespace, upstream and lock stay. */
export function mergeKptfile(pkgs: ThreePackages, keepLocalUpstream: boolean): PackageFile {
  const [o, u, l] = [pkgs.original, pkgs.updated, pkgs.local].map((files) => kptfileDoc(byPath(files).get(ROOT_KPTFILE)));
  const docs = [o!, u!, l!];
  const lists = docs.flatMap(functionLists);
  const synthesize = lists.flat().every((fn) => !fn.has('name')) && lists.every((fns) => new Set(fns.map(functionKey)).size === fns.length);
  if (synthesize) for (const fn of lists.flat()) fn.set('name', `${SYNTHETIC}${functionKey(fn)}`);
  const merged = mergeNode(o!.contents as Node, u!.contents as Node, l!.contents as Node, [], inferNameKey) as YAMLMap | undefined;
  const out = new YAML.Document();
  out.contents = (merged ?? out.createNode({})) as YAMLMap;
  for (const field of ['apiVersion', 'kind'] as const) out.set(field, l!.get(field));
  out.setIn(['metadata', 'name'], l!.getIn(['metadata', 'name']));
  if (l!.hasIn(['metadata', 'namespace'])) out.setIn(['metadata', 'namespace'], l!.getIn(['metadata', 'namespace']));
  for (const field of ['upstream', 'upstreamLock'] as const) {
    const from = keepLocalUpstream ? l! : u!.has(field) ? u! : l!;
    if (from.has(field)) out.set(field, (from.get(field, true) as unknown as { clone(): Node }).clone());
    else out.delete(field);
  }
  for (const fn of functionLists(out).flat()) if (String(fn.get('name') ?? '').startsWith(SYNTHETIC)) fn.delete('name');
  return { path: ROOT_KPTFILE, content: Buffer.from(joinDocs([out])) };
}

interface Resource {
  doc: Document;
  path: string;
  index: number;
}

function resources(files: readonly PackageFile[]): Map<string, Resource> {
  const out = new Map<string, Resource>();
  for (const f of files) {
    if (!isKrmFile(f.path) || isKptfile(f.path)) continue;
    parseDocs(f).forEach((doc, index) => {
      if (!isMap(doc.contents)) return;
      const apiVersion = String(doc.get('apiVersion') ?? '');
      const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
      const { namespace, name } = mergeIdentity(doc);
      const id = [group, String(doc.get('kind') ?? ''), namespace, name, f.path].join('|');
      if (out.has(id))
        throw failedPrecondition(
          `found duplicate resources in file "${f.path}" (${String(doc.get('kind'))} ${namespace}/${name}); give each resource its own name before upgrading`,
        );
      out.set(id, { doc, path: f.path, index });
    });
  }
  return out;
}

/** KRM resources, one three-way merge per resource matched across the packages. */
function mergeResources(pkgs: ThreePackages): PackageFile[] {
  const [o, u, l] = [resources(pkgs.original), resources(pkgs.updated), resources(pkgs.local)];
  const kept: Resource[] = [];
  for (const id of new Set([...o.keys(), ...u.keys(), ...l.keys()])) {
    const [ro, ru, rl] = [o.get(id), u.get(id), l.get(id)];
    if (!ru && !rl) continue;
    if (!ro && !ru)
      kept.push(rl!); // added locally
    else if (!ro && !rl)
      kept.push(ru!); // added upstream
    else if (ro && !ru && rl) {
      // Deleted upstream: goes only if nobody changed it here.
      if (rl.doc.toString() !== ro.doc.toString()) kept.push(rl);
    } else if (ro && ru && !rl) {
      // Deleted here: stays deleted.
    } else {
      const merged = mergeNode(
        ro?.doc.contents as Node,
        ru!.doc.contents as Node,
        rl!.doc.contents as Node,
        [],
        kubernetesMergeKeys(String(ru!.doc.get('apiVersion') ?? '')),
      );
      if (merged) {
        rl!.doc.contents = merged as YAMLMap;
        kept.push(rl!);
      }
    }
  }
  const files = new Map<string, Resource[]>();
  for (const r of kept) files.set(r.path, [...(files.get(r.path) ?? []), r]);
  return [...files].map(([path, rs]) => ({ path, content: Buffer.from(joinDocs(rs.sort((a, b) => a.index - b.index).map((r) => r.doc))) }));
}

/** Files that are not KRM: local edits and additions win, everything else follows upstream. */
function mergeOtherFiles(pkgs: ThreePackages): PackageFile[] {
  const isOther = (f: PackageFile) => !isKrmFile(f.path);
  const [o, u] = [byPath(pkgs.original), byPath(pkgs.updated)];
  const result = new Map<string, PackageFile>();
  const localWins = new Set<string>();
  for (const f of pkgs.local.filter(isOther)) {
    const base = o.get(f.path);
    if (!base || !sameBytes(base, f)) {
      localWins.add(f.path);
      result.set(f.path, f);
    } else if (u.has(f.path)) {
      result.set(f.path, f);
    }
  }
  for (const f of pkgs.updated.filter(isOther)) if (!localWins.has(f.path)) result.set(f.path, f);
  return [...result.values()];
}

/** kpt's check before a fast-forward: the local package must still be what upstream gave it. */
function localChanges(pkgs: ThreePackages): string[] {
  const [o, l] = [byPath(pkgs.original), byPath(pkgs.local)];
  const normalise = (f: PackageFile | undefined, localName?: string) => {
    if (!f) return undefined;
    if (!isKrmFile(f.path)) return Buffer.from(f.content).toString('base64');
    try {
      const docs = parseDocs(f).map((d) => d.toJS() as Record<string, unknown>);
      if (isKptfile(f.path) && docs[0]) {
        const k = docs[0] as {
          upstream?: unknown;
          upstreamLock?: unknown;
          metadata?: { name?: string };
          status?: { conditions?: { type?: string }[]; renderStatus?: unknown };
        };
        delete k.upstream;
        delete k.upstreamLock;
        if (k.status) {
          delete k.status.renderStatus;
          k.status.conditions = (k.status.conditions ?? []).filter((c) => c.type !== 'Rendered');
          if (!k.status.conditions.length) delete k.status.conditions;
          if (!Object.keys(k.status).length) delete k.status;
        }
        if (localName !== undefined && k.metadata) k.metadata.name = localName;
      }
      return JSON.stringify(docs);
    } catch {
      return Buffer.from(f.content).toString('base64');
    }
  };
  const localName = String(kptfileDoc(l.get(ROOT_KPTFILE)).getIn(['metadata', 'name']) ?? '');
  const changed: string[] = [];
  for (const p of new Set([...o.keys(), ...l.keys()])) {
    if (normalise(o.get(p), p === ROOT_KPTFILE ? localName : undefined) !== normalise(l.get(p))) changed.push(p);
  }
  return changed.sort();
}

export function upgradeFiles(strategy: Strategy, pkgs: ThreePackages): PackageFile[] {
  switch (strategy) {
    case 'resource-merge':
      return [mergeKptfile(pkgs, true), ...mergeResources(pkgs), ...mergeOtherFiles(pkgs)];
    case 'fast-forward': {
      const changed = localChanges(pkgs);
      if (changed.length)
        throw failedPrecondition(`local package files have been modified: [${changed.join(' ')}].\n  use a different update --strategy.`, { changed });
      return upgradeFiles('force-delete-replace', pkgs);
    }
    case 'force-delete-replace':
      return [mergeKptfile(pkgs, false), ...pkgs.updated.filter((f) => f.path !== ROOT_KPTFILE)];
    case 'copy-merge': {
      const u = byPath(pkgs.updated);
      const o = byPath(pkgs.original);
      const files = new Map(pkgs.local.filter((f) => f.path !== ROOT_KPTFILE && !(o.has(f.path) && !u.has(f.path))).map((f) => [f.path, f]));
      for (const f of pkgs.updated) if (f.path !== ROOT_KPTFILE) files.set(f.path, f);
      return [mergeKptfile(pkgs, false), ...files.values()];
    }
  }
}

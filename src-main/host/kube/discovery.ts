// /version and the discovery documents (/api, /apis, each group and
// group-version), unaggregated: kubectl asks for the aggregated form first
// and falls back to these when the answer is plain application/json.
import { GROUP_VERSIONS, KINDS, type KindInfo } from './kinds.ts';

export function versionInfo() {
  return {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.0-porchlight',
    gitCommit: '',
    gitTreeState: 'clean',
    buildDate: '1970-01-01T00:00:00Z',
    goVersion: 'node',
    compiler: 'porchlight',
    platform: `${process.platform}/${process.arch}`,
  };
}

export function apiVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(group: string, version: string) {
  const v = { groupVersion: `${group}/${version}`, version };
  return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions: [v], preferredVersion: v };
}

export function apiGroupList() {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: GROUP_VERSIONS.map((gv) => apiGroup(gv.group, gv.version)) };
}

export function apiGroupDocument(group: string) {
  const gv = GROUP_VERSIONS.find((g) => g.group === group);
  return gv ? apiGroup(gv.group, gv.version) : undefined;
}

function resources(k: KindInfo) {
  const main = {
    name: k.plural,
    singularName: k.singular,
    namespaced: k.namespaced,
    kind: k.kind,
    verbs: k.verbs,
    ...(k.shortNames ? { shortNames: k.shortNames } : {}),
  };
  const subs = (k.subresources ?? []).map((s) => ({ name: `${k.plural}/${s.name}`, singularName: '', namespaced: k.namespaced, kind: k.kind, verbs: s.verbs }));
  return [main, ...subs];
}

/** The APIResourceList of a group-version (group '' is the core v1), or undefined when the door serves none. */
export function apiResourceList(group: string, version: string) {
  const kinds = KINDS.filter((k) => k.group === group && k.version === version);
  if (!kinds.length) return undefined;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources: kinds.flatMap(resources) };
}

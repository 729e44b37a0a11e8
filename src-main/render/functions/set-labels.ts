// set-labels (krm-functions-catalog): labels on metadata and on the selectors
// and templates that must carry them (workloads, services, jobs, volume claim
// templates, network policies, pod affinity). Built on the kpt function SDK.
import { isMap, isScalar, isSeq, type Document } from 'yaml';
import type { BuiltinFunction, FnResultItem } from '../krm-function.ts';
import { getField, type MapNode } from '../krm/fields.ts';
import { rootMap, resourceMeta } from '../krm/resource.ts';
import { isLocalConfig, setNestedStringIn } from '../krm/sdk-object.ts';
import { runSdkRunner, stringMapField } from './sdk-runner.ts';

type Sub = MapNode | undefined;

const asMap = (v: unknown): Sub => (isMap(v) ? (v as MapNode) : undefined);
const getMap = (o: Sub, k: string): Sub => asMap(getField(o, k));
const getSlice = (o: Sub, k: string): MapNode[] => {
  const s = getField(o, k);
  return isSeq(s) ? (s.items.filter((x) => isMap(x)) as MapNode[]) : [];
};

function isGVK(doc: Document, group: string, version: string, kind: string): boolean {
  const { apiVersion, kind: k } = resourceMeta(doc);
  const slash = apiVersion.indexOf('/');
  const g = slash < 0 ? '' : apiVersion.slice(0, slash);
  const v = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  if (k && kind && k !== kind) return false;
  if (g && group && g !== group) return false;
  if (v && version && v !== version) return false;
  return true;
}

class LabelSetter {
  count = 0;
  constructor(private readonly labels: Record<string, string>) {}

  update(o: Sub, path: string[], create: boolean): void {
    if (!o) return;
    for (const key of Object.keys(this.labels).sort()) {
      const val = this.labels[key]!;
      let node: unknown = o;
      for (const f of [...path, key]) node = getField(node, f);
      const exists = isScalar(node) && typeof node.value === 'string';
      if ((exists && (node as { value: string }).value !== val) || (!exists && node === undefined && create)) setNestedStringIn(o, val, ...path, key);
      this.count++;
    }
  }

  meta(o: Sub): void {
    this.update(o, ['metadata', 'labels'], true);
  }

  pod(pod: Sub): void {
    if (!pod) return;
    this.meta(pod);
    const spec = getMap(pod, 'spec');
    if (!spec) return;
    for (const c of getSlice(spec, 'topologySpreadConstraints')) this.update(c, ['labelSelector', 'matchLabels'], false);
    const affinity = getMap(spec, 'affinity');
    if (!affinity) return;
    for (const aff of ['podAffinity', 'podAntiAffinity']) {
      if (!getMap(affinity, aff)) continue;
      // The catalog reads the terms from `affinity` itself, not from the podAffinity map.
      for (const t of getSlice(affinity, 'preferredDuringSchedulingIgnoredDuringExecution'))
        this.update(getMap(t, 'podAffinityTerm'), ['labelSelector', 'matchLabels'], false);
      for (const t of getSlice(affinity, 'requiredDuringSchedulingIgnoredDuringExecution')) this.update(t, ['labelSelector', 'matchLabels'], false);
    }
  }

  object(doc: Document): void {
    const root = rootMap(doc);
    this.meta(root);
    if (isGVK(doc, '', 'v1', 'Service') || isGVK(doc, '', 'v1', 'ReplicationController')) this.update(root, ['spec', 'selector'], true);
    const withSelector = ['Deployment', 'ReplicaSet', 'DaemonSet'].some((k) => isGVK(doc, '', '', k)) || isGVK(doc, 'apps', '', 'StatefulSet');
    const optionalSelector = isGVK(doc, 'batch', '', 'Job') || isGVK(doc, 'policy', '', 'PodDisruptionBudget');
    if (withSelector || optionalSelector) this.update(root, ['spec', 'selector', 'matchLabels'], withSelector);
    const networkPolicy = isGVK(doc, 'networking.k8s.io', '', 'NetworkPolicy');
    if (networkPolicy) this.update(root, ['spec', 'podSelector', 'matchLabels'], false);
    const spec = getMap(root, 'spec');
    if (!spec) return;
    const podSpec =
      isGVK(doc, '', 'v1', 'ReplicationController') ||
      ['Deployment', 'ReplicaSet', 'DaemonSet'].some((k) => isGVK(doc, '', '', k)) ||
      isGVK(doc, 'apps', '', 'StatefulSet') ||
      isGVK(doc, 'batch', '', 'Job');
    if (podSpec) this.pod(getMap(spec, 'template'));
    if (isGVK(doc, 'batch', '', 'CronJob')) {
      const job = getMap(spec, 'jobTemplate');
      if (job) {
        this.meta(job);
        const jobSpec = getMap(job, 'spec');
        this.update(jobSpec, ['selector', 'matchLabels'], false);
        this.pod(getMap(jobSpec, 'template'));
      }
    }
    if (isGVK(doc, 'apps', '', 'StatefulSet')) {
      for (const v of getSlice(spec, 'volumeClaimTemplates')) {
        this.meta(v);
        this.update(v, ['selector', 'matchLabels'], false);
      }
    }
    if (networkPolicy) {
      for (const rule of getSlice(spec, 'ingress')) for (const peer of getSlice(rule, 'from')) this.update(peer, ['podSelector', 'matchLabels'], false);
      for (const rule of getSlice(spec, 'egress')) for (const peer of getSlice(rule, 'to')) this.update(peer, ['podSelector', 'matchLabels'], false);
    }
  }
}

export const setLabels: BuiltinFunction = ({ items, functionConfig }) =>
  runSdkRunner<Record<string, string>>(
    {
      kind: 'SetLabels',
      fromData: (data) => data,
      fromKind: (view) => stringMapField(view, 'labels', 'setlabels.SetLabels', 'SetLabels.labels') ?? {},
      run: (labels, fc, all, results: FnResultItem[]) => {
        const objects = all.filter((d) => !isLocalConfig(d));
        if (objects.length === 0) {
          results.push({ message: 'no input resources', severity: 'info' });
          return true;
        }
        const view = fc ? rootMap(fc) : undefined;
        if (
          !view ||
          view.items.length === 0 ||
          (resourceMeta(fc!).kind === 'ConfigMap' && resourceMeta(fc!).name === 'function-input' && Object.keys(labels ?? {}).length === 0)
        )
          return false;
        if (!labels || Object.keys(labels).length === 0) {
          results.push({ message: 'no `labels` arguments are given in FunctionConfig', severity: 'warning' });
          return true;
        }
        const setter = new LabelSetter(labels);
        for (const o of objects) setter.object(o);
        results.push({ message: `set ${setter.count} labels in total`, severity: 'info' });
        return true;
      },
    },
    items,
    functionConfig,
  );

// set-namespace (krm-functions-catalog): sets metadata.namespace on namespaced
// resources, renames Namespace objects, follows namespace fields of
// CRD/APIService/ClusterRoleBinding and depends-on annotations; origins come
// from kpt's upstream-identifier annotation. Built on the kpt function SDK.
import type { Document } from 'yaml';
import type { BuiltinFunction, FnResultItem } from '../krm-function.ts';
import { configView, configObjectResult } from './config.ts';
import {
  getAnnotations,
  hasUpstreamOrigin,
  isLocalConfig,
  isNamespaceScoped,
  nestedString,
  originId,
  resourceId,
  sdkSort,
  SdkPanic,
  setNestedString,
  setNestedStringIn,
  shortString,
  UNKNOWN_NAMESPACE,
} from '../krm/sdk-object.ts';
import { resourceMeta, rootMap } from '../krm/resource.ts';
import { getField, type MapNode } from '../krm/fields.ts';
import { isMap, isScalar, isSeq } from 'yaml';

const DEPENDS_ON = 'config.kubernetes.io/depends-on';
const NAMESPACED_DEP = /^([-.\w]*)\/namespaces\/([-.\w]*)\/([-.\w]*)\/([-.\w]*)$/;

interface Config {
  namespace: string;
  matcher: string;
}

function readConfig(fc: Document | undefined): Config {
  const c = configView(fc);
  if (!c) throw new Error('FunctionConfig is missing. Expect `ConfigMap.v1` or `SetNamespace.v1alpha1.fn.kpt.dev`');
  if (c.apiVersion === 'v1' && c.kind === 'ConfigMap') {
    const data = c.stringMap('data');
    const matcher = data.namespaceMatcher ?? '';
    if (data.namespace) return { namespace: data.namespace, matcher };
    if (data.name && c.name === 'kptfile.kpt.dev') return { namespace: data.name, matcher };
    throw new Error('`data.namespace` should not be empty');
  }
  if (c.apiVersion === 'fn.kpt.dev/v1alpha1' && c.kind === 'SetNamespace') {
    const namespace = c.string('namespace');
    if (!namespace) throw new Error('`namespace` should not be empty');
    return { namespace, matcher: c.string('namespaceMatcher') };
  }
  throw new Error(`unknown functionConfig Kind=${c.kind} ApiVersion=${c.apiVersion}, expect \`ConfigMap.v1\` or \`SetNamespace.v1alpha1.fn.kpt.dev\``);
}

type Visitor = (origin: string, current: string, id?: string) => string;

function visitAll(objects: Document[], visit: Visitor): void {
  for (const o of objects.filter((d) => !isNamespaceScoped(d))) {
    const { apiVersion, kind } = resourceMeta(o);
    if (apiVersion === 'v1' && kind === 'Namespace') {
      setNestedString(o, visit(originId(o).name, nestedString(o, 'metadata', 'name').value, shortString(o)), 'metadata', 'name');
    } else if (apiVersion === 'apiextensions.k8s.io/v1' && kind === 'CustomResourceDefinition') {
      const path = ['spec', 'conversion', 'webhook', 'clientConfig', 'service', 'namespace'];
      setNestedString(o, visit('', nestedString(o, ...path).value), ...path);
    } else if (apiVersion === 'apiregistration.k8s.io/v1' && kind === 'APIService') {
      setNestedString(o, visit('', nestedString(o, 'spec', 'service', 'namespace').value), 'spec', 'service', 'namespace');
    } else if (kind === 'ClusterRoleBinding' || kind === 'RoleBinding') {
      const subjects = getField(rootMap(o), 'subjects');
      if (!isSeq(subjects)) continue;
      for (const s of subjects.items) {
        const ns = getField(s, 'namespace');
        if (isMap(s) && isScalar(ns) && typeof ns.value === 'string') setNestedStringIn(s as MapNode, visit('', ns.value), 'namespace');
      }
    }
  }
  for (const o of objects.filter((d) => isNamespaceScoped(d))) {
    setNestedString(o, visit(originId(o).namespace, nestedString(o, 'metadata', 'namespace').value, shortString(o)), 'metadata', 'namespace');
  }
}

const sortedList = (s: Set<string>): string => `[${[...s].sort().join(' ')}]`;

function replaceNamespace(objects: Document[], newNs: string, dependsOn: Set<string>, matcher: string): FnResultItem[] {
  const results: FnResultItem[] = [];
  let count = 0;
  const old = new Set<string>();
  visitAll(objects, (origin, current, id) => {
    if (origin === UNKNOWN_NAMESPACE) return current;
    const cur = current === '' ? 'default' : current;
    if (cur === newNs) return cur;
    if (matcher && matcher === origin) results.push({ message: `[${id ?? ''}] has matching origin ${origin}`, severity: 'info' });
    if (!matcher || matcher === cur || matcher === origin) {
      old.add(cur);
      count++;
      return newNs;
    }
    return cur;
  });
  results.push({
    message:
      count === 0
        ? `all matching namespaces are already ${JSON.stringify(newNs)}. no value changed`
        : `namespace ${sortedList(old)} updated to ${JSON.stringify(newNs)}, ${count} value(s) changed`,
    severity: 'info',
  });
  let annCount = 0;
  const annOld = new Set<string>();
  for (const o of objects) {
    const value = getAnnotations(o)[DEPENDS_ON] ?? '';
    if (!value || !NAMESPACED_DEP.test(value) || !dependsOn.has(value)) continue;
    const segments = value.split('/');
    if (segments[2] === newNs) continue;
    if (matcher && matcher !== segments[2]) continue;
    annOld.add(segments[2]!);
    segments[2] = newNs;
    annCount++;
    setNestedString(o, segments.join('/'), 'metadata', 'annotations', DEPENDS_ON);
  }
  results.push({
    message:
      annCount === 0
        ? 'all `depends-on` annotations are up-to-date. no `namespace` changed'
        : `\`depends-on\` annotation namespace ${sortedList(annOld)} updated to ${JSON.stringify(newNs)}, ${annCount} value(s) changed`,
    severity: 'info',
  });
  return results;
}

function transform(items: Document[], cfg: Config): FnResultItem[] {
  const objects = items.filter((d) => !isLocalConfig(d));
  const dependsOn = new Set<string>();
  for (const o of objects) {
    const id = resourceId(o);
    if (id.namespace !== UNKNOWN_NAMESPACE) dependsOn.add(`${id.group}/namespaces/${id.namespace}/${id.kind}/${id.name}`);
  }
  const results: FnResultItem[] = [];
  const origins = new Set<string>();
  for (const o of objects) {
    if (!hasUpstreamOrigin(o)) {
      results.push({ message: `${shortString(o)} does not have upstream origin.`, severity: 'warning' });
      continue;
    }
    const origin = originId(o);
    if (!isNamespaceScoped(o)) continue;
    if (origin.namespace === UNKNOWN_NAMESPACE) {
      return [
        {
          message: `${shortString(o)} is namespace-scoped, but has cluster-scoped or unknown scoepd origin ${origin.group}|${origin.kind}|${origin.namespace}|${origin.name}`,
          severity: 'error',
        },
      ];
    }
    origins.add(origin.namespace);
  }
  if (cfg.matcher) return [...results, ...replaceNamespace(objects, cfg.namespace, dependsOn, cfg.matcher)];
  if (origins.size > 1) {
    return [
      {
        message: `unable to use origin \`namespace\` to match. expect a single upstream namespace, found ${sortedList(origins)}. please switch to use \`namespaceMatcher\`to specify the namespace value you want to change`,
        severity: 'error',
      },
    ];
  }
  return [...results, ...replaceNamespace(objects, cfg.namespace, dependsOn, '')];
}

export const setNamespace: BuiltinFunction = ({ items, functionConfig }) => {
  let cfg: Config;
  try {
    cfg = readConfig(functionConfig);
  } catch (e) {
    return { items: sdkSort(items), results: [configObjectResult((e as Error).message, functionConfig)], exitCode: 0 };
  }
  try {
    return { items: sdkSort(items), results: transform(items, cfg), exitCode: 0 };
  } catch (e) {
    if (!(e instanceof SdkPanic)) throw e;
    return { items: sdkSort(items), results: [{ message: e.message, severity: 'error' }], exitCode: 1, stderr: `failed to evaluate function: ${e.message}` };
  }
};

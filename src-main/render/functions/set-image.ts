// set-image (krm-functions-catalog): rewrites container images of Pods and
// pod templates whose image matches `name`, and image fields named by
// additionalImageFields (kustomize's imagetag filter). Built on the kpt
// function SDK.
import { isMap, isScalar, isSeq, type Document } from 'yaml';
import type { BuiltinFunction, FnOutput, FnResultItem } from '../krm-function.ts';
import { getField, type MapNode } from '../krm/fields.ts';
import { applyFieldSpec, type FieldSpec } from '../krm/field-spec.ts';
import { resourceMeta, rootMap } from '../krm/resource.ts';
import { sdkSort, setNestedStringIn } from '../krm/sdk-object.ts';
import { plainScalar } from '../yaml/go-node.ts';
import { configView } from './config.ts';
import { jsonRoundTrip } from './json-round-trip.ts';

interface ImageSpec {
  name: string;
  newName: string;
  newTag: string;
  digest: string;
}

export function isImageMatched(s: string, name: string): boolean {
  try {
    return new RegExp(`^${name}(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$`).test(s);
  } catch {
    return false;
  }
}

/** kustomize image.Split: name, tag and digest of an image reference. */
export function splitImage(ref: string): { name: string; tag: string; digest: string } {
  let slash = ref.indexOf('/');
  let search = ref;
  if (slash > 0) search = ref.slice(slash);
  else slash = 0;
  let id = search.indexOf('@');
  let ic = search.indexOf(':');
  if (ic < 0 && id < 0) return { name: ref, tag: '', digest: '' };
  if (id >= 0 && (id < ic || ic < 0)) {
    id += slash;
    return { name: ref.slice(0, id), tag: '', digest: ref.slice(id + 1) };
  }
  if (id >= 0 && ic >= 0) {
    id += slash;
    ic += slash;
    return { name: ref.slice(0, ic), tag: ref.slice(ic + 1, id), digest: ref.slice(id + 1) };
  }
  ic += slash;
  return { name: ref.slice(0, ic), tag: ref.slice(ic + 1), digest: '' };
}

function newImageName(old: string, img: ImageSpec): string {
  const split = splitImage(old);
  let name = split.name;
  let tag = split.tag ? `:${split.tag}` : '';
  if (img.newName) name = img.newName;
  if (img.newTag) tag = `:${img.newTag}`;
  if (img.digest) tag = `@${img.digest}`;
  return tag === '' ? name + (split.digest ? `@${split.digest}` : '') : name + tag;
}

function readConfig(fc: Document | undefined): { image: ImageSpec; fields?: FieldSpec[]; error?: string; info?: string } {
  const image: ImageSpec = { name: '', newName: '', newTag: '', digest: '' };
  const c = configView(fc);
  if (!c) return { image, info: '`FunctionConfig` is not given' };
  if (c.apiVersion === 'v1' && c.kind === 'ConfigMap') {
    for (const [k, v] of Object.entries(c.stringMap('data'))) {
      if (!(k in image)) return { image, error: `ConfigMap has wrong field name ${k}` };
      image[k as keyof ImageSpec] = v;
    }
    return { image };
  }
  if (c.apiVersion === 'fn.kpt.dev/v1alpha1' && c.kind === 'SetImage') {
    const js = c.js();
    const img = (js.image ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(image) as (keyof ImageSpec)[]) image[k] = img[k] === undefined || img[k] === null ? '' : String(img[k]);
    for (const [k, v] of Object.entries((js.data ?? {}) as Record<string, unknown>)) {
      if (!(k in image)) return { image, error: `ConfigMap has wrong field name ${k}` };
      image[k as keyof ImageSpec] = String(v);
    }
    const fields = Array.isArray(js.additionalImageFields)
      ? (js.additionalImageFields as Record<string, unknown>[]).map((f) => ({
          group: f.group as string,
          version: f.version as string,
          kind: f.kind as string,
          path: String(f.path ?? ''),
          create: f.create === true,
        }))
      : undefined;
    return { image, fields };
  }
  return { image, error: `unknown FunctionConfig \`${c.kind}\`, expect SetImage` };
}

function terminate(items: Document.Parsed[], results: FnResultItem[], message: string): FnOutput {
  results.push({ message, severity: 'error' }, { message: `function is terminated: ${message}`, severity: 'error' });
  return { items: sdkSort(items), results, exitCode: 1, stderr: `failed to evaluate function: function is terminated: ${message}` };
}

export const setImage: BuiltinFunction = ({ items, functionConfig }) => {
  const results: FnResultItem[] = [];
  const cfg = readConfig(functionConfig);
  if (cfg.info) results.push({ message: cfg.info, severity: 'info' });
  if (cfg.error) return terminate(items, results, cfg.error);
  const img = cfg.image;
  if (!img.name) return terminate(items, results, 'must specify `name`');
  if (!img.newName && !img.newTag && !img.digest) return terminate(items, results, 'must specify one of `newName`, `newTag`, or `digest`');
  let count = 0;
  const updateContainers = (pod: unknown): void => {
    if (!isMap(pod)) return;
    // The catalog reads `iniContainers`, so init containers are left alone.
    for (const field of ['iniContainers', 'containers']) {
      const list = getField(pod, field);
      if (!isSeq(list)) continue;
      for (const c of list.items) {
        const old = getField(c, 'image');
        if (!isMap(c) || !isScalar(old) || typeof old.value !== 'string' || !isImageMatched(old.value, img.name)) continue;
        const next = newImageName(old.value, img);
        if (next === old.value) continue;
        setNestedStringIn(c as MapNode, next, 'image');
        count++;
      }
    }
  };
  for (const o of items) {
    const kind = resourceMeta(o).kind;
    const spec = getField(rootMap(o), 'spec');
    if (kind === 'Pod') updateContainers(spec);
    else if (['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet', 'PodTemplate'].includes(kind))
      updateContainers(getField(getField(spec, 'template'), 'spec'));
  }
  if (cfg.fields) {
    for (const o of items) {
      jsonRoundTrip(o);
      if (resourceMeta(o).kind === 'CustomResourceDefinition') continue;
      for (const fs of cfg.fields) {
        applyFieldSpec(o, fs, (node, parent) => {
          if (!isScalar(node) || typeof node.value !== 'string' || !isImageMatched(node.value, img.name)) return;
          const split = splitImage(node.value);
          let name = img.newName || split.name;
          let tag = split.tag;
          let digest = split.digest;
          if (img.newTag && img.digest) [tag, digest] = [img.newTag, img.digest];
          else if (img.newTag) [tag, digest] = [img.newTag, ''];
          else if (img.digest) [tag, digest] = ['', img.digest];
          if (tag) name += `:${tag}`;
          if (digest) name += `@${digest}`;
          const replacement = plainScalar(name);
          replacement.type = node.type;
          const pair = parent?.items.find((p) => p.value === node);
          if (pair) pair.value = replacement;
          count++;
        });
      }
    }
  }
  results.push({ message: `summary: updated a total of ${count} image(s)`, severity: 'info' });
  return { items: sdkSort(items), results, exitCode: 0 };
};

// Package structure as render sees it: direct subpackages (directories with a
// Kptfile, not below another subpackage), paths made relative to the root
// package after hydration, and kpt's attribution annotation on Config
// Connector resources.
import type { Document } from 'yaml';
import { clearAnnotation, getAnnotation, resourceMeta, rootMap, setAnnotation } from '../krm/resource.ts';
import { getField } from '../krm/fields.ts';
import { ANN } from './annotation-keys.ts';
import { joinPath, type FileTree } from './file-tree.ts';

export function directSubpackages(tree: FileTree, dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of tree.entries(d)) {
      const full = joinPath(d, name);
      if (!tree.isDir(full)) continue;
      if (tree.hasFile(joinPath(full, 'Kptfile'))) out.push(full);
      else walk(full);
    }
  };
  walk(dir);
  return out.sort();
}

const cleanPath = (p: string): string =>
  p
    .split('/')
    .filter((s) => s && s !== '.')
    .join('/');

/** render's adjustRelPath: each path annotation becomes relative to the root package. */
export function adjustRelPaths(resources: Document[]): void {
  for (const doc of resources) {
    const pkg = getAnnotation(doc, ANN.packagePath) ?? '';
    const path = getAnnotation(doc, ANN.path) ?? getAnnotation(doc, ANN.legacyPath) ?? '';
    const rel = pkg.replace(/^\/+/, '');
    const next = rel ? `${rel}/${cleanPath(path)}` : path;
    setAnnotation(doc, ANN.path, next);
    setAnnotation(doc, ANN.legacyPath, next);
    clearAnnotation(doc, ANN.packagePath);
  }
}

const CNRM_ANNOTATION = 'cnrm.cloud.google.com/blueprint';

function recordAction(current: string): string {
  if (!current) return 'kpt-fn';
  if (!current.includes('kpt-')) return `${current},kpt-fn`;
  return current
    .split(',')
    .map((part) => {
      if (!part.includes('kpt')) return part;
      const kinds = ['kpt'];
      if (part.includes('pkg')) kinds.push('pkg');
      kinds.push('fn');
      if (part.includes('live')) kinds.push('live');
      return kinds.join('-');
    })
    .join(',');
}

/** kpt's attribution: Config Connector resources record that kpt fn touched them. */
export function addAttribution(resources: Document[]): void {
  for (const doc of resources) {
    if (!resourceMeta(doc).apiVersion.includes('.cnrm.')) continue;
    const metadata = getField(rootMap(doc), 'metadata');
    if (!metadata || (typeof metadata === 'object' && 'items' in metadata && (metadata as { items: unknown[] }).items.length === 0)) continue;
    setAnnotation(doc, CNRM_ANNOTATION, recordAction(getAnnotation(doc, CNRM_ANNOTATION) ?? ''));
  }
}

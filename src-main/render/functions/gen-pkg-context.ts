// kpt's own built-in `builtins/gen-pkg-context`: writes package-context.yaml
// (ConfigMap kptfile.kpt.dev, data.name = the package name) next to each
// Kptfile, replacing an older one. `kpt pkg init` creates the same file.
import type { Document } from 'yaml';
import type { BuiltinFunction, FnResultItem } from '../krm-function.ts';
import { parseYamlDocument } from '../yaml/parse-document.ts';
import { getAnnotation, resourceMeta, setAnnotation } from '../krm/resource.ts';

export const PACKAGE_CONTEXT_FILE = 'package-context.yaml';

/** The text kpt writes to package-context.yaml for a package named `name`. */
export function packageContextText(name: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kptfile.kpt.dev\n  annotations:\n    config.kubernetes.io/local-config: "true"\ndata:\n  name: ${name}\n`;
}

export const genPkgContext: BuiltinFunction = ({ items }) => {
  const out: Document.Parsed[] = [];
  const generated: Document.Parsed[] = [];
  const results: FnResultItem[] = [];
  for (const doc of items) {
    const m = resourceMeta(doc);
    if (m.apiVersion === 'v1' && m.kind === 'ConfigMap' && m.name === 'kptfile.kpt.dev') continue;
    out.push(doc);
    if (m.kind !== 'Kptfile' || !m.apiVersion.startsWith('kpt.dev/')) continue;
    const cm = parseYamlDocument(packageContextText(m.name))!;
    const dir = (getAnnotation(doc, 'internal.config.kubernetes.io/path') ?? '').split('/').slice(0, -1).join('/');
    const path = dir ? `${dir}/${PACKAGE_CONTEXT_FILE}` : PACKAGE_CONTEXT_FILE;
    setAnnotation(cm, 'internal.config.kubernetes.io/path', path);
    generated.push(cm);
    results.push({ message: 'generated package context', severity: 'info', file: { path, index: 0 } });
  }
  return { items: [...out, ...generated], results };
};

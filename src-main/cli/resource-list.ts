// A package revision as kpt's ResourceList, which `rpkg pull` prints: the
// revision's metadata first, then every KRM object of its YAML files, each
// annotated with the file and position it came from.
import YAML from 'yaml';
import type { PackageRevision } from '../../src-shared/domain.ts';

const isKrmFile = (path: string) => path === 'Kptfile' || path.endsWith('/Kptfile') || /\.ya?ml$/.test(path);

function located(annotations: unknown, path: string, index: number): Record<string, string> {
  const where = {
    'config.kubernetes.io/index': String(index),
    'config.kubernetes.io/path': path,
    'internal.config.kubernetes.io/index': String(index),
    'internal.config.kubernetes.io/path': path,
  };
  return { ...((annotations as Record<string, string> | undefined) ?? {}), ...where };
}

export function toResourceList(revision: PackageRevision, files: readonly { path: string; content: Uint8Array }[], warn?: (m: string) => void): object {
  const { name, namespace, uid } = revision.metadata;
  const items: object[] = [
    { apiVersion: '', kind: 'KptRevisionMetadata', metadata: { name, namespace, uid, annotations: located(undefined, '.KptRevisionMetadata', 0) } },
  ];
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (!isKrmFile(file.path)) continue;
    const docs = YAML.parseAllDocuments(Buffer.from(file.content).toString('utf8'));
    docs.forEach((doc, index) => {
      if (doc.errors.length) return warn?.(`${file.path}: not valid YAML, left out: ${doc.errors[0]!.message}`);
      const object = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown> | null;
      if (!object || typeof object !== 'object' || Array.isArray(object)) return;
      const metadata = (object.metadata ?? {}) as Record<string, unknown>;
      items.push({ ...object, metadata: { ...metadata, annotations: located(metadata.annotations, file.path, index) } });
    });
  }
  return { apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items };
}

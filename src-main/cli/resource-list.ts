// A package revision as kpt's ResourceList, which `rpkg pull` prints: the
// revision's metadata first, then every KRM object of its YAML files, each
// annotated with the file and position it came from.
import YAML from 'yaml';
import type { PackageRevision } from '../../src-shared/domain.ts';
import { isKrmFile } from '../../src-shared/package-files.ts';

/** Where `rpkg pull DIR` keeps the revision's identity and resource version, as porchctl does. */
export const REVISION_METADATA_FILE = '.KptRevisionMetadata';

export const LOCATION_ANNOTATIONS = [
  'config.kubernetes.io/index',
  'config.kubernetes.io/path',
  'internal.config.kubernetes.io/index',
  'internal.config.kubernetes.io/path',
] as const;

function revisionMetadata(revision: PackageRevision) {
  const { name, namespace, uid, resourceVersion, creationTimestamp } = revision.metadata;
  return { apiVersion: '', kind: 'KptRevisionMetadata', metadata: { name, namespace, uid, resourceVersion, creationTimestamp } };
}

/** The .KptRevisionMetadata file `rpkg pull DIR` writes and `rpkg push DIR` reads back. */
export function revisionMetadataFile(revision: PackageRevision): { path: string; content: Uint8Array } {
  return { path: REVISION_METADATA_FILE, content: Buffer.from(YAML.stringify(revisionMetadata(revision))) };
}

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
  const meta = revisionMetadata(revision);
  const items: object[] = [{ ...meta, metadata: { ...meta.metadata, annotations: located(undefined, REVISION_METADATA_FILE, 0) } }];
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

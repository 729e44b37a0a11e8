// porch.kpt.dev/v1alpha1 packagerevisions and its approval subresource. The
// contract's PackageRevision already has Porch's shape, so reads pass it
// through; writes become the service's operations (package-revision-writes.ts).
import { PACKAGE_REVISION } from '../kinds.ts';
import type { ResourceHandler } from './handler.ts';
import { createRevision, deleteRevision, updateRevision } from './package-revision-writes.ts';
import { getRevision } from './revision-read.ts';
import { listRevisions, revisionField } from './revision-listing.ts';

const SELECTABLE = new Set([
  'metadata.name',
  'metadata.namespace',
  'spec.revision',
  'spec.packageName',
  'spec.repository',
  'spec.workspaceName',
  'spec.lifecycle',
]);

export const revisionSelectable = (field: string) => SELECTABLE.has(field) || /^spec\.packageMetadata\.labels\[.+\]$/.test(field);

export const packageRevisions: ResourceHandler = {
  kind: PACKAGE_REVISION,
  watch: 'packagerevisions',
  fieldSelectable: revisionSelectable,
  fieldOf: revisionField,
  list: listRevisions,
  get: (ctx, namespace, name) => getRevision(ctx, namespace, name),
  create: createRevision,
  update: updateRevision,
  remove: deleteRevision,
};

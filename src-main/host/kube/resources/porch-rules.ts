// Porch's checks of a PackageRevision write (its registry's create, update
// and approval strategies), with its field paths and wording, so a bad write
// gets the same 422 here as from Porch.
import type { Lifecycle, PackageRevision } from '../../../../src-shared/domain.ts';
import type { FieldError } from '../status.ts';

export const LATEST_LABEL = 'kpt.dev/latest-revision';

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The apimachinery IsDNS1123Label messages, joined as Porch joins them. */
export function dns1123LabelProblems(value: string): string[] {
  const out: string[] = [];
  if (value.length > 63) out.push('must be no more than 63 characters');
  if (!LABEL.test(value)) {
    out.push(
      SUBDOMAIN.test(value)
        ? 'must not contain dots'
        : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    );
  }
  return out;
}

function directoryProblems(directory: string): string[] {
  const out: string[] = [];
  if (directory.includes('//')) out.push("consecutive '/' characters are not allowed");
  return [...out, ...dns1123LabelProblems(directory.replaceAll('/', ''))];
}

type Draft = Pick<PackageRevision, 'spec'> & { metadata: { labels?: Record<string, string> } };

/** Porch's create validation. */
export function validateCreate(pr: Draft): FieldError[] {
  const errors: FieldError[] = [];
  if (pr.metadata.labels && LATEST_LABEL in pr.metadata.labels) {
    errors.push({ type: 'FieldValueForbidden', field: `metadata.labels.${LATEST_LABEL}`, detail: 'label is managed by porch and cannot be set by users' });
  }
  const packageName = pr.spec.packageName ?? '';
  const pathProblems = directoryProblems(packageName);
  if (pathProblems.length) errors.push({ type: 'FieldValueInvalid', field: 'spec.packageName', value: packageName, detail: pathProblems.join(',') });
  const workspace = pr.spec.workspaceName ?? '';
  const wsProblems = dns1123LabelProblems(workspace);
  if (wsProblems.length) errors.push({ type: 'FieldValueInvalid', field: 'spec.workspaceName', value: workspace, detail: wsProblems.join(',') });
  const lifecycle = (pr.spec.lifecycle as string | undefined) ?? '';
  if (lifecycle !== '' && lifecycle !== 'Draft') {
    errors.push({ type: 'FieldValueInvalid', field: 'spec.lifecycle', value: lifecycle, detail: 'value can be only created as Draft' });
  }
  return errors;
}

const ALL: Lifecycle[] = ['Draft', 'Proposed', 'Published', 'DeletionProposed'];
const published = (l: string) => l === 'Published' || l === 'DeletionProposed';

/** Porch's update validation of the main resource; `specChanged` compares everything in spec but the lifecycle. */
export function validateUpdate(old: PackageRevision, next: Draft, specChanged: boolean): FieldError[] {
  const errors: FieldError[] = [];
  if ((old.metadata.labels?.[LATEST_LABEL] ?? '') !== (next.metadata.labels?.[LATEST_LABEL] ?? '')) {
    errors.push({ type: 'FieldValueForbidden', field: `metadata.labels.${LATEST_LABEL}`, detail: 'label is managed by porch and cannot be modified by users' });
  }
  const to = (next.spec.lifecycle as string | undefined) ?? '';
  if (to !== '' && !ALL.includes(to as Lifecycle)) {
    errors.push({ type: 'FieldValueInvalid', field: 'spec.lifecycle', value: to, detail: `value can be only updated to ${ALL.join(',')}` });
  }
  const from = old.spec.lifecycle;
  if (from === 'Draft' || from === 'Proposed') {
    if (to !== '' && to !== 'Draft' && to !== 'Proposed') {
      errors.push({ type: 'FieldValueInvalid', field: 'spec.lifecycle', value: from, detail: 'value can be only updated to Draft,Proposed' });
    }
  } else if (specChanged || !published(to)) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec',
      value: next.spec,
      detail: 'spec can only update package with lifecycle value one of Draft,Proposed',
    });
  }
  return errors;
}

/** Porch's validation of the approval subresource. */
export function validateApproval(from: Lifecycle, to: string): FieldError[] {
  const errors: FieldError[] = [];
  if (from === 'Published' && to !== 'DeletionProposed') {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.lifecycle',
      value: from,
      detail: `package with ${from} lifecycle value can only be updated to 'ProposeDeletion'`,
    });
  } else if (from === 'DeletionProposed' && to !== 'Published') {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.lifecycle',
      value: from,
      detail: `package with ${from} lifecycle value can only be updated to 'Published'`,
    });
  } else if (from === 'Draft') {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.lifecycle',
      value: from,
      detail: `cannot approve package with ${from} lifecycle value; only Proposed packages can be approved`,
    });
  }
  if (to === 'DeletionProposed' && from !== 'Published') {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.lifecycle',
      value: to,
      detail: `cannot update lifecycle ${to}; only Published packages require approval for deletion`,
    });
  } else if (to !== 'Draft' && to !== 'Published' && to !== 'DeletionProposed') {
    errors.push({ type: 'FieldValueInvalid', field: 'spec.lifecycle', value: to, detail: 'value for approval can be only one of Draft,Published' });
  }
  return errors;
}

/** The service's lifecycle verb for a transition, or undefined when nothing moves. */
export function lifecycleVerb(from: Lifecycle, to: Lifecycle): 'propose' | 'reject' | 'approve' | 'propose-delete' | undefined {
  if (from === to) return undefined;
  if (from === 'Draft' && to === 'Proposed') return 'propose';
  if (from === 'Proposed' && to === 'Draft') return 'reject';
  if (from === 'Proposed' && to === 'Published') return 'approve';
  if (from === 'Published' && to === 'DeletionProposed') return 'propose-delete';
  if (from === 'DeletionProposed' && to === 'Published') return 'reject';
  return undefined;
}

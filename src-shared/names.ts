// Name rules as Porch applies them: Kubernetes DNS-1123 labels for
// repositories, package path segments and workspaces.
import { invalidArgument } from './errors.ts';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

export function assertDns1123Label(what: string, value: string): void {
  if (!isDns1123Label(value)) {
    throw invalidArgument(
      `invalid ${what} "${value}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', ` +
        `and must start and end with an alphanumeric character (at most 63 characters)`,
      { field: what, value },
    );
  }
}

/** `<repo>.<path segments joined with dots>.<workspace>`: Porch's package revision name. */
export function packageRevisionName(repository: string, packagePath: string, workspace: string): string {
  return [repository, ...packagePath.split('/').filter(Boolean), workspace].join('.');
}

/** `<repo>.<path segments joined with dots>`: Porch's package name. */
export function packageName(repository: string, packagePath: string): string {
  return [repository, ...packagePath.split('/').filter(Boolean)].join('.');
}

/** The namespace of a request that leaves it out: decided here, and used by the request schemas (requests.ts). */
export const DEFAULT_NAMESPACE = 'default';

// Porch's ref layout, parsed. One place knows the names:
//   refs/tags/<path>/<rev>                  published revision <rev> of <path>
//   refs/heads/<branch>                     placeholder revisions (-1) of every package on it
//   refs/heads/drafts/<path>/<workspace>    a draft
//   refs/heads/proposed/<path>/<workspace>  a proposal
//   refs/heads/deletionProposed/<path>/<x>  marks a published revision proposed for deletion
// (Remote refs are read as the server names them; the local clone keeps
// branches under refs/remotes/origin/.)

export type PorchRef =
  | { kind: 'branch' }
  | { kind: 'tag'; path: string; suffix: string }
  | { kind: 'draft' | 'proposed'; path: string; workspace: string }
  | { kind: 'deletionProposed'; key: string }
  | { kind: 'malformed'; reason: string };

/** Porch's revision parsing: one leading 'v' dropped, then a base-10 integer, else -1. */
export function revisionFromString(s: string): number {
  const digits = s.startsWith('v') ? s.slice(1) : s;
  return /^[+-]?[0-9]+$/.test(digits) ? Number.parseInt(digits, 10) : -1;
}

function splitLast(s: string): [string, string] | undefined {
  const i = s.lastIndexOf('/');
  return i > 0 ? [s.slice(0, i), s.slice(i + 1)] : undefined;
}

export function parsePorchRef(ref: string, branch: string): PorchRef | undefined {
  if (ref === `refs/heads/${branch}`) return { kind: 'branch' };
  for (const kind of ['drafts', 'proposed'] as const) {
    const prefix = `refs/heads/${kind}/`;
    if (!ref.startsWith(prefix)) continue;
    const parts = splitLast(ref.slice(prefix.length));
    if (!parts) return { kind: 'malformed', reason: `${ref}: missing workspace name after the package path` };
    return { kind: kind === 'drafts' ? 'draft' : 'proposed', path: parts[0], workspace: parts[1] || 'v0' };
  }
  if (ref.startsWith('refs/heads/deletionProposed/')) return { kind: 'deletionProposed', key: ref.slice('refs/heads/deletionProposed/'.length) };
  if (ref.startsWith('refs/tags/')) {
    const parts = splitLast(ref.slice('refs/tags/'.length));
    return parts ? { kind: 'tag', path: parts[0], suffix: parts[1] } : undefined; // a release tag like v1.2: not a package
  }
  return undefined;
}

/** '/' and '' mean the repository root; otherwise no leading or trailing slash. */
export function normaliseDirectory(directory: string | undefined): string {
  return (directory ?? '').replace(/^\/+|\/+$/g, '');
}

/** The package path relative to the registered directory, or undefined if outside it. */
export function relativeToDirectory(fullPath: string, directory: string): string | undefined {
  if (directory === '') return fullPath;
  return fullPath.startsWith(directory + '/') ? fullPath.slice(directory.length + 1) : undefined;
}

export function joinPath(directory: string, packagePath: string): string {
  return [directory, packagePath].filter(Boolean).join('/');
}

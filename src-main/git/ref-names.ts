// Ref names as `git check-ref-format` accepts them. A ref name becomes a file
// path under the git directory (a loose ref, its lock, its reflog), so a name
// from packed-refs, a directory listing or a server, or one built from a
// package path, is checked before it is used or written.
import { PorchlightError } from '../../src-shared/errors.ts';

// Every rule below at once, for the names that pass (nearly all: a sync checks every advertised ref).
const PLAIN_REF = /^(?!\/|.*(?:\.\.|@\{|\/\/|\/\.|\.lock(?:\/|$)|[./]$))[^\u0000-\u0020\u007f~^:?*[\\]+$/;

/** Why `name` is not a ref name Git would accept, or undefined if it is. */
export function refNameProblem(name: string): string | undefined {
  if (name !== '@' && PLAIN_REF.test(name) && !name.startsWith('.')) return undefined;
  if (name === '' || name === '@') return 'it is empty or "@"';
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) return 'it has an empty component (a leading, trailing or double "/")';
  if (name.endsWith('.')) return 'it ends with "."';
  if (name.includes('..')) return 'it contains ".."';
  if (name.includes('@{')) return 'it contains "@{"';
  if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(name)) return 'it contains a space, a control character or one of ~ ^ : ? * [ \\';
  for (const component of name.split('/')) {
    if (component.startsWith('.')) return `its component "${component}" starts with "."`;
    if (component.endsWith('.lock')) return `its component "${component}" ends with ".lock"`;
  }
  return undefined;
}

/** The refs whose names Git accepts; `onIgnored` hears once about the rest. */
export function validRefs<T extends { ref: string }>(refs: readonly T[], onIgnored?: (names: string[]) => void): T[] {
  const kept: T[] = [];
  const ignored: string[] = [];
  for (const r of refs) {
    if (refNameProblem(r.ref) === undefined) kept.push(r);
    else ignored.push(r.ref);
  }
  if (ignored.length) onIgnored?.(ignored);
  return kept;
}

/** Refuses, before anything is written, a ref name Git would refuse. */
export function assertRefName(ref: string, where: string): void {
  const problem = refNameProblem(ref);
  if (problem) {
    throw new PorchlightError(
      'FAILED_PRECONDITION',
      `refusing to write the ref ${JSON.stringify(ref)} in ${where}: it is not a valid Git ref name (${problem}); the package path or workspace it was made from cannot be published under Porch's layout`,
      { ref },
    );
  }
}

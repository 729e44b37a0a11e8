// Files a revision's tree in Git holds that are not in the database, and the
// condition that says so on the revision: names that are not UTF-8, and paths
// no package file may have (".git", "..": see packageFilePathProblem).
import type { Condition } from '../../src-shared/domain.ts';

/**
 * The annotation a revision carries when its tree in Git holds file names that
 * are not UTF-8. Those files are not in the database (their names cannot be
 * stored as they are), so no new revision may be made from it: it would drop
 * or rename them in Git. Reading and listing it still work.
 */
export const UNREADABLE_NAMES_ANNOTATION = 'porchlight.dev/unreadable-file-names';

/**
 * The annotation a revision carries when its tree in Git holds paths no
 * package file may have (a directory ends in '/'). They are never stored,
 * pulled or copied: a revision made from this one goes without them.
 */
export const REFUSED_PATHS_ANNOTATION = 'porchlight.dev/refused-file-paths';

export const FILES_LEFT_OUT_CONDITION = 'porchlight.dev/FilesLeftOut';

const LISTED = 10;

function listed(names: readonly string[]): string {
  const shown = names
    .slice(0, LISTED)
    .map((n) => JSON.stringify(n))
    .join(', ');
  return names.length > LISTED ? `${shown} and ${names.length - LISTED} more` : shown;
}

function parsed(value: string | undefined): string[] {
  if (!value) return [];
  try {
    const names = JSON.parse(value) as unknown;
    return Array.isArray(names) ? names.map(String) : [];
  } catch {
    return [];
  }
}

/** The annotations for a tree's left-out files, as the revision's meta (JSON). */
export function leftOutMeta(unreadable: readonly string[], refused: readonly string[]): string {
  const annotations: Record<string, string> = {};
  if (unreadable.length) annotations[UNREADABLE_NAMES_ANNOTATION] = JSON.stringify(unreadable);
  if (refused.length) annotations[REFUSED_PATHS_ANNOTATION] = JSON.stringify(refused);
  return JSON.stringify(Object.keys(annotations).length ? { annotations } : {});
}

/** What a revision's annotations say was left out, as a condition; undefined if nothing was. */
export function filesLeftOutCondition(annotations: Record<string, string> | undefined): Condition | undefined {
  const unreadable = parsed(annotations?.[UNREADABLE_NAMES_ANNOTATION]);
  const refused = parsed(annotations?.[REFUSED_PATHS_ANNOTATION]);
  if (!unreadable.length && !refused.length) return undefined;
  const parts: string[] = [];
  if (refused.length) {
    parts.push(
      `Git holds ${listed(refused)}, paths no package file may have (Git's own directory ".git" in some spelling, or a path out of the package): ` +
        'Porchlight does not store, pull or copy them, and a revision cloned, copied or upgraded from this one goes without them.',
    );
  }
  if (unreadable.length) {
    parts.push(
      `Git holds ${listed(unreadable)}, names that are not UTF-8: Porchlight cannot store them as they are, so no revision can be made from this one until they are renamed in Git (git mv).`,
    );
  }
  return {
    type: FILES_LEFT_OUT_CONDITION,
    status: 'True',
    reason: refused.length && unreadable.length ? 'RefusedAndUnreadableNames' : refused.length ? 'RefusedPaths' : 'UnreadableNames',
    message: parts.join(' '),
  };
}

// What a package file is, one definition for every front door: which paths
// may be package files at all, and which files hold KRM resources.

/**
 * The largest file an edit may write into a package. Package files are
 * configuration read and diffed as text; a 50 MB file took PGlite 30 s to
 * store and would take as long on every read. Porch, serving packages through
 * the Kubernetes API, caps requests at a few MB. Files already in Git are
 * still read whatever their size: this bounds what is written here.
 */
export const MAX_PACKAGE_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Why a file path cannot be a package file, or undefined if it can: relative,
 * '/'-separated, no '.', '..' or empty segments, no '.git' in any spelling a
 * file system reads as '.git', no backslashes or control characters. Paths from
 * Git, a directory, a ResourceList or a request all pass through this before
 * they are stored or written.
 */
export function packageFilePathProblem(p: string): string | undefined {
  if (p === '') return 'the path is empty';
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return 'absolute paths are not package files';
  if (p.includes('\\')) return 'backslashes are not allowed; use "/"';
  if (/[\u0000-\u001f]/.test(p)) return 'control characters are not allowed';
  // Git and the database store names as UTF-8; a lone surrogate would come back as U+FFFD, a different name.
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(p))
    return 'the name is not valid Unicode (a lone UTF-16 surrogate) and cannot be stored as UTF-8';
  const segments = p.split('/');
  // Windows drops trailing dots and spaces, so "..." or ".. " would be "." or "..".
  if (segments.some((s) => s === '' || /^[. ]+$/.test(s))) return 'the path must stay inside the package (no "", "." or ".." segments)';
  const dotGit = segments.find(isDotGit);
  if (dotGit !== undefined) {
    const which = dotGit === '.git' ? 'it is' : `"${dotGit}" is, to Windows or macOS,`;
    return `".git" is not a package file: ${which} Git's own directory, and written to disk it could make Git run commands`;
  }
  return undefined;
}

// Code points HFS+ ignores in names, so ".g\u200cit" is ".git" on a Mac.
const HFS_IGNORED = /[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g;

/**
 * A name Git's fsck calls "hasDotgit": ".git" in any case; on macOS also with
 * the code points HFS+ ignores anywhere in it; on Windows also followed by
 * dots and spaces, by an NTFS stream (".git::$INDEX_ALLOCATION"), or as the
 * 8.3 short name "git~1".
 */
export function isDotGit(name: string): boolean {
  return /^\.git$/i.test(name.replace(HFS_IGNORED, '')) || /^(\.git|git~1)[. ]*(:.*)?$/i.test(name);
}

/** The package's own Kptfile, or a sub-package's. */
export const isKptfile = (p: string) => p === 'Kptfile' || p.endsWith('/Kptfile');

/** Files kpt reads as KRM resources: Kptfiles and YAML. README.md and the like are not. */
export const isKrmFile = (p: string) => isKptfile(p) || /\.ya?ml$/.test(p);

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
 * '/'-separated, no '.', '..' or empty segments, no '.git', no backslashes or
 * control characters. Paths from Git, a directory or a ResourceList all pass
 * through this before they are stored or written.
 */
export function packageFilePathProblem(p: string): string | undefined {
  if (p === '') return 'the path is empty';
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return 'absolute paths are not package files';
  if (p.includes('\\')) return 'backslashes are not allowed; use "/"';
  if (/[\u0000-\u001f]/.test(p)) return 'control characters are not allowed';
  // Git and the database store names as UTF-8; a lone surrogate would come back as U+FFFD, a different name.
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(p)) return 'the name is not valid Unicode (a lone UTF-16 surrogate) and cannot be stored as UTF-8';
  const segments = p.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return 'the path must stay inside the package (no "", "." or ".." segments)';
  if (segments.some((s) => s.toLowerCase() === '.git')) return '".git" is not a package file';
  return undefined;
}

/** The package's own Kptfile, or a sub-package's. */
export const isKptfile = (p: string) => p === 'Kptfile' || p.endsWith('/Kptfile');

/** Files kpt reads as KRM resources: Kptfiles and YAML. README.md and the like are not. */
export const isKrmFile = (p: string) => isKptfile(p) || /\.ya?ml$/.test(p);

// The editor's live marks: the service's own check (src-shared/package-check.ts),
// so the window marks exactly what every door refuses to propose or approve.
import type { Diagnostic } from '@codemirror/lint';
import { checkPackageFile } from '../../src-shared/package-check.ts';

/** What the editor marks in one file. */
export function checkYaml(path: string, text: string): Diagnostic[] {
  return checkPackageFile(path, text).map((p) => ({
    from: Math.min(p.from, text.length),
    to: Math.min(p.to, text.length),
    severity: 'error',
    message: p.message,
  }));
}

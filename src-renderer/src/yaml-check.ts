// The editor's live checks, also asked before a draft is proposed: a draft
// whose YAML does not parse can be saved, not proposed.
import type { Diagnostic } from '@codemirror/lint';
import YAML from 'yaml';
import { isKrmFile } from '../../src-shared/package-files.ts';

/** What the editor flags: YAML that does not parse, and KRM objects missing their basics. */
export function checkYaml(path: string, text: string): Diagnostic[] {
  if (!isKrmFile(path)) return [];
  const out: Diagnostic[] = [];
  for (const doc of YAML.parseAllDocuments(text)) {
    for (const err of doc.errors) out.push({ from: err.pos[0], to: Math.max(err.pos[1], err.pos[0] + 1), severity: 'error', message: err.message });
    if (doc.errors.length) continue;
    const value = doc.toJS() as Record<string, unknown> | null;
    if (!value || typeof value !== 'object') continue;
    const range = doc.range ?? [0, 0];
    const missing = ['apiVersion', 'kind'].filter((k) => !value[k]);
    if (!(value.metadata as { name?: unknown } | undefined)?.name) missing.push('metadata.name');
    if (missing.length) out.push({ from: range[0], to: Math.max(range[0] + 1, Math.min(range[1], text.length)), severity: 'warning', message: `a KRM resource needs ${missing.join(', ')}` });
  }
  return out;
}


/** The files whose YAML does not parse. */
export function unparsableFiles(files: readonly { path: string; text: string }[]): string[] {
  return files.filter((f) => checkYaml(f.path, f.text).some((d) => d.severity === 'error')).map((f) => f.path);
}

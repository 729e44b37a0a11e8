// What a package must be before it is proposed or approved, one check for
// every door: the service refuses with it, the window's editor marks with it.
// A draft that fails it can still be saved; it cannot be published.
import YAML, { LineCounter } from 'yaml';
import { isKptfile, isKrmFile } from './package-files.ts';

/** One thing wrong in one file; from/to are offsets in its text, for the editor's marks. */
export interface FileProblem {
  path: string;
  line: number;
  from: number;
  to: number;
  message: string;
}

const KPTFILE_API_VERSION = 'kpt.dev/v1';

/** The problems of one file; none for files kpt does not read as KRM (README.md and the like). */
export function checkPackageFile(path: string, text: string): FileProblem[] {
  if (!isKrmFile(path)) return [];
  const lines = new LineCounter();
  const problems: FileProblem[] = [];
  // An error at the very end (an unclosed bracket) is told on the last line that has text.
  const lineOf = (at: number) => lines.linePos(Math.min(at, Math.max(0, text.trimEnd().length - 1))).line;
  const add = (from: number, to: number, message: string) => problems.push({ path, line: lineOf(from), from, to: Math.max(to, from + 1), message });
  const docs = YAML.parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    for (const err of doc.errors) add(err.pos[0], err.pos[1], `YAML does not parse: ${err.message}`);
  }
  if (problems.length) return problems;
  const objects: { from: number; to: number; value: unknown }[] = [];
  for (const doc of list) {
    const [start, , to] = doc.range;
    const from = doc.contents?.range?.[0] ?? start;
    try {
      const value: unknown = doc.toJS();
      // An empty document (only comments, or nothing between two ---) holds no resource.
      if (value !== null && value !== undefined) objects.push({ from, to: Math.min(to, text.length), value });
    } catch (e) {
      add(from, to, `YAML cannot be read: ${(e as Error).message}`);
    }
  }
  if (problems.length) return problems;
  if (isKptfile(path) && objects.length !== 1)
    add(0, text.length, `a Kptfile holds exactly one object (apiVersion ${KPTFILE_API_VERSION}, kind Kptfile); this one holds ${objects.length}`);
  for (const o of objects) {
    for (const message of isKptfile(path) ? kptfileProblems(o.value) : resourceProblems(o.value)) add(o.from, o.to, message);
  }
  return problems;
}

/** The problems of a whole package, file by file in the order given. */
export function checkPackage(files: readonly { path: string; text: string }[]): FileProblem[] {
  return files.flatMap((f) => checkPackageFile(f.path, f.text));
}

/** The same check over stored bytes: a KRM file that is not UTF-8 text is a problem too. */
export function checkPackageBytes(files: readonly { path: string; content: Uint8Array }[]): FileProblem[] {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return files.flatMap((f) => {
    if (!isKrmFile(f.path)) return [];
    try {
      return checkPackageFile(f.path, decoder.decode(f.content));
    } catch {
      return [{ path: f.path, line: 1, from: 0, to: 1, message: 'not UTF-8 text, so not YAML' }];
    }
  });
}

/**
 * The one message every door gives for a package that cannot be proposed or
 * approved: each file and problem, then what to do.
 */
export function packageProblemsMessage(verb: 'propose' | 'approve', name: string, problems: readonly FileProblem[]): string {
  const each = problems.map((p) => `${p.path} line ${p.line}: ${p.message}`).join('; ');
  return `cannot ${verb} ${name}: ${each}. Fix these files in the draft (in the window's editor, or rpkg pull, edit, rpkg push) and ${verb} again`;
}

function resourceProblems(value: unknown): string[] {
  if (!isMapping(value)) return ['not a KRM resource: a document must be a mapping with apiVersion, kind and metadata.name'];
  const missing = ['apiVersion', 'kind'].filter((k) => !nonEmptyString(value[k]));
  // A kind: List carries its resources under items and needs no name of its own.
  if (value.kind === 'List' && Array.isArray(value.items)) {
    return [
      ...(missing.length ? [`a KRM List needs ${missing.join(', ')}`] : []),
      ...value.items.flatMap((item, i) => resourceProblems(item).map((m) => `items[${i}]: ${m}`)),
    ];
  }
  if (!nonEmptyString(isMapping(value.metadata) ? value.metadata.name : undefined)) missing.push('metadata.name');
  return missing.length ? [`a KRM resource needs ${missing.join(', ')}`] : [];
}

function kptfileProblems(value: unknown): string[] {
  if (!isMapping(value)) return [`not a Kptfile: expected a mapping with apiVersion ${KPTFILE_API_VERSION} and kind Kptfile`];
  const out: string[] = [];
  if (value.apiVersion !== KPTFILE_API_VERSION) out.push(`apiVersion must be ${KPTFILE_API_VERSION}, not ${JSON.stringify(value.apiVersion ?? null)}`);
  if (value.kind !== 'Kptfile') out.push(`kind must be Kptfile, not ${JSON.stringify(value.kind ?? null)}`);
  if (!nonEmptyString(isMapping(value.metadata) ? value.metadata.name : undefined)) out.push('a Kptfile needs metadata.name');
  return out;
}

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmptyString = (v: unknown) => typeof v === 'string' && v.trim() !== '';

// The edits kpt and Porch make to a package's files when it is cloned or
// rendered (docs/porch-write-side.md §2.4–2.7): the Kptfile's upstream and
// lock, merge keys on every resource, and the Rendered condition. Edits go
// through yaml's Document API, so comments and styles the author wrote stay.
import YAML, { isMap, isScalar, type Document, type YAMLMap } from 'yaml';
import type { UpstreamLock } from '../../src-shared/domain.ts';
import { invalidArgument } from '../../src-shared/errors.ts';
import { isKptfile, isKrmFile } from '../../src-shared/package-files.ts';
import { builtinFor, fullImage, functionConfig, type FunctionResult } from './builtin-functions.ts';

export interface PackageFile {
  path: string;
  content: Uint8Array;
}

const text = (f: PackageFile) => Buffer.from(f.content).toString('utf8');
const bytes = (s: string) => Buffer.from(s, 'utf8');

export function parseDocs(f: PackageFile): Document[] {
  const docs = YAML.parseAllDocuments(text(f), { keepSourceTokens: false });
  if (!Array.isArray(docs)) return [];
  for (const d of docs) {
    if (d.errors.length) throw invalidArgument(`${f.path} is not valid YAML: ${d.errors[0]!.message}`);
  }
  return docs;
}

export function joinDocs(docs: Document[]): string {
  return docs.map((d) => d.toString({ indentSeq: false, lineWidth: 0 })).join('---\n');
}

/** Porch writes Git URLs with a .git suffix in upstream locks. */
export function normaliseRepoUrl(url: string): string {
  return url.endsWith('.git') ? url : `${url}.git`;
}

/** kpt's rewrite of a cloned package's Kptfile: the new name, where it came from, and the exact commit. */
export function withUpstream(kptfile: PackageFile, packageName: string, lock: UpstreamLock): PackageFile {
  const [doc] = parseDocs(kptfile);
  if (!doc || !isMap(doc.contents)) throw invalidArgument(`the upstream package's Kptfile is not a YAML mapping`);
  const git = lock.git;
  const upstream = { type: 'git', git: { repo: normaliseRepoUrl(git.repo), directory: git.directory.replace(/^\//, ''), ref: git.ref } };
  const upstreamLock = { type: 'git', git: { ...upstream.git, commit: git.commit } };
  doc.setIn(['metadata', 'name'], packageName);
  const map = doc.contents as YAMLMap;
  // kpt's field order: upstream and upstreamLock right after metadata.
  map.delete('upstream');
  map.delete('upstreamLock');
  const at = map.items.findIndex((p) => isScalar(p.key) && p.key.value === 'metadata') + 1;
  map.items.splice(at, 0, doc.createPair('upstream', upstream), doc.createPair('upstreamLock', upstreamLock));
  return { path: kptfile.path, content: bytes(joinDocs([doc])) };
}

/** `<group>|<kind>|<namespace>|<name>`, kpt's identity of a resource across upstream and downstream. */
function upstreamIdentifier(apiVersion: string, kind: string, namespace: string, name: string): string {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
  return `${group}|${kind}|${namespace || 'default'}|${name}`;
}

const MERGE_COMMENT = /kpt-merge:\s*([^/\s]*)\/(\S*)/;

/**
 * The namespace and name kpt identifies a resource by across upstream and
 * downstream: from its `# kpt-merge: ns/name` comment when there is one (the
 * name it had upstream), else its own.
 */
export function mergeIdentity(doc: Document): { namespace: string; name: string } {
  const contents = doc.contents;
  const pair = isMap(contents) ? contents.items.find((p) => isScalar(p.key) && p.key.value === 'metadata') : undefined;
  const meta = pair && isMap(pair.value) ? pair.value : undefined;
  const own = { namespace: String(meta?.get('namespace') ?? ''), name: String(meta?.get('name') ?? '') };
  const comments = [(pair?.key as { comment?: string | null } | undefined)?.comment, meta?.commentBefore, meta?.comment];
  const found = comments.map((c) => (c ? MERGE_COMMENT.exec(c) : null)).find(Boolean);
  return found ? { namespace: found[1]!, name: found[2]! } : own;
}

/**
 * kpt's merge keys, which a later upgrade matches resources by: a
 * `# kpt-merge: <namespace>/<name>` comment on `metadata:` and the
 * internal.kpt.dev/upstream-identifier annotation, on every YAML resource.
 */
export function addMergeKeys(files: readonly PackageFile[]): PackageFile[] {
  return files.map((f) => {
    if (!isKrmFile(f.path)) return f;
    const docs = parseDocs(f);
    let changed = false;
    for (const doc of docs) {
      if (!isMap(doc.contents)) continue;
      const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'metadata');
      if (!pair || !isMap(pair.value)) continue;
      const meta = pair.value;
      const name = String(meta.get('name') ?? '');
      const namespace = String(meta.get('namespace') ?? '');
      if (!name && !namespace && !meta.get('labels')) continue;
      const key = pair.key as { comment?: string | null };
      const existing = [key.comment, meta.commentBefore, meta.comment].find((c) => c && c.includes('kpt-merge:'));
      const parsed = existing ? MERGE_COMMENT.exec(existing) : null;
      if (!existing) {
        key.comment = ` kpt-merge: ${namespace}/${name}`;
      }
      const id = upstreamIdentifier(
        String(doc.get('apiVersion') ?? ''),
        String(doc.get('kind') ?? ''),
        parsed ? parsed[1]! : namespace,
        parsed ? parsed[2]! : name,
      );
      // kpt writes the value single-quoted (its golden tests compare bytes); the Kptfile is re-rendered plain.
      const value = doc.createNode(id);
      if (!isKptfile(f.path)) value.type = 'QUOTE_SINGLE';
      doc.setIn(['metadata', 'annotations', 'internal.kpt.dev/upstream-identifier'], value);
      changed = true;
    }
    return changed ? { path: f.path, content: bytes(joinDocs(docs)) } : f;
  });
}

export interface RenderOutcome {
  files: PackageFile[];
  /** Set when the pipeline failed or could not run: the package is kept, marked Rendered=False. */
  error?: string;
  results: FunctionResult[];
}

/** Runs the Kptfile's pipeline with the functions Porchlight has built in; the error names any it cannot run. */
function runPipeline(files: readonly PackageFile[], kptfile: Document): { files: PackageFile[]; results: FunctionResult[]; error?: string } {
  const pipeline = (kptfile.toJS() as { pipeline?: { mutators?: Record<string, unknown>[]; validators?: Record<string, unknown>[] } }).pipeline ?? {};
  const functions = [...(pipeline.mutators ?? []), ...(pipeline.validators ?? [])];
  if (!functions.length) return { files: [...files], results: [] };
  const missing = functions.map((f) => String(f.image ?? f.exec ?? 'function')).filter((image) => !builtinFor(image));
  if (missing.length) {
    return {
      files: [...files],
      results: [],
      error: `Porchlight has no KRM function runtime for ${missing.map(fullImage).join(', ')}, so the pipeline was not run; run "kpt fn render" on a pulled copy and push the result`,
    };
  }
  const byPath = new Map(files.map((f) => [f.path, f]));
  const resources = files.filter((f) => isKrmFile(f.path) && !isKptfile(f.path)).map((f) => ({ path: f.path, docs: parseDocs(f) }));
  const results: FunctionResult[] = [];
  for (const fn of functions) {
    const image = String(fn.image);
    const config = functionConfig(fn, (p) => {
      const f = byPath.get(p);
      return f ? text(f) : undefined;
    });
    results.push({ image: fullImage(image), exitCode: 0, items: builtinFor(image)!({ resources, config }) });
  }
  const written = new Map(resources.map((r) => [r.path, joinDocs(r.docs)]));
  return {
    files: files.map((f) => (written.has(f.path) && written.get(f.path) !== text(f) ? { path: f.path, content: bytes(written.get(f.path)!) } : f)),
    results,
  };
}

/**
 * Porch renders after every change to a draft and records the outcome as the
 * Kptfile's Rendered condition. Functions Porchlight has built in run here;
 * a pipeline with others is not run, and the condition says so
 * (Rendered=False) instead of pretending.
 */
export function render(files: readonly PackageFile[]): RenderOutcome {
  const kptfile = files.find((f) => f.path === 'Kptfile');
  if (!kptfile) return { files: [...files], results: [] };
  const [doc] = parseDocs(kptfile);
  if (!doc || !isMap(doc.contents)) return { files: [...files], results: [] };
  const ran = runPipeline(files, doc);
  const condition = ran.error
    ? { type: 'Rendered', status: 'False', reason: 'RenderFailed', message: ran.error }
    : { type: 'Rendered', status: 'True', reason: 'RenderSuccess' };
  const conditions = ((doc.getIn(['status', 'conditions']) as { toJSON?: () => unknown } | undefined)?.toJSON?.() ?? []) as { type?: string }[];
  const kept = Array.isArray(conditions) ? conditions.filter((c) => c?.type !== 'Rendered') : [];
  doc.setIn(['status', 'conditions'], doc.createNode([...kept, condition]));
  const rendered = { path: 'Kptfile', content: bytes(joinDocs([doc])) };
  return { files: ran.files.map((f) => (f.path === 'Kptfile' ? rendered : f)), error: ran.error, results: ran.results };
}

/**
 * A clone into a deployment repository gets kpt's package context generated
 * for the new package: every `kptfile.kpt.dev` ConfigMap goes, and one
 * package-context.yaml at the root names the package.
 */
export function withDeploymentContext(files: readonly PackageFile[], packageName: string, packagePath: string): PackageFile[] {
  const out: PackageFile[] = [];
  for (const f of files) {
    if (!/\.ya?ml$/.test(f.path)) {
      out.push(f);
      continue;
    }
    const docs = parseDocs(f);
    const kept = docs.filter((d) => !(d.get('kind') === 'ConfigMap' && d.get('apiVersion') === 'v1' && d.getIn(['metadata', 'name']) === 'kptfile.kpt.dev'));
    if (kept.length === docs.length) out.push(f);
    else if (kept.length) out.push({ path: f.path, content: bytes(joinDocs(kept)) });
  }
  const context = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kptfile.kpt.dev', annotations: { 'config.kubernetes.io/local-config': 'true' } },
    data: { name: packageName, 'package-path': packagePath },
  };
  return [...out.filter((f) => f.path !== 'package-context.yaml'), { path: 'package-context.yaml', content: bytes(YAML.stringify(context)) }];
}

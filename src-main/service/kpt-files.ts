// The edits kpt and Porch make to a package's files when it is cloned or
// rendered (docs/porch-write-side.md §2.4–2.7): the Kptfile's upstream and
// lock, merge keys on every resource, and the Rendered condition. Edits go
// through yaml's Document API, so comments and styles the author wrote stay.
import YAML, { isMap, isScalar, type Document, type YAMLMap } from 'yaml';
import type { UpstreamLock } from '../../src-shared/domain.ts';
import { invalidArgument } from '../../src-shared/errors.ts';

export interface PackageFile {
  path: string;
  content: Uint8Array;
}

const text = (f: PackageFile) => Buffer.from(f.content).toString('utf8');
const bytes = (s: string) => Buffer.from(s, 'utf8');

export const isKptfile = (p: string) => p === 'Kptfile' || p.endsWith('/Kptfile');
const isYamlResource = (p: string) => isKptfile(p) || /\.ya?ml$/.test(p);

function parseDocs(f: PackageFile): Document[] {
  const docs = YAML.parseAllDocuments(text(f), { keepSourceTokens: false });
  if (!Array.isArray(docs)) return [];
  for (const d of docs) {
    if (d.errors.length) throw invalidArgument(`${f.path} is not valid YAML: ${d.errors[0]!.message}`);
  }
  return docs;
}

function joinDocs(docs: Document[]): string {
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
 * kpt's merge keys, which a later upgrade matches resources by: a
 * `# kpt-merge: <namespace>/<name>` comment on `metadata:` and the
 * internal.kpt.dev/upstream-identifier annotation, on every YAML resource.
 */
export function addMergeKeys(files: readonly PackageFile[]): PackageFile[] {
  return files.map((f) => {
    if (!isYamlResource(f.path)) return f;
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
      const id = upstreamIdentifier(String(doc.get('apiVersion') ?? ''), String(doc.get('kind') ?? ''), parsed ? parsed[1]! : namespace, parsed ? parsed[2]! : name);
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
  /** Set when the pipeline could not run: the package is kept, marked Rendered=False. */
  error?: string;
}

/**
 * Porch renders after every change to a draft. With an empty pipeline that
 * succeeds with nothing to run, recorded as the Rendered condition. Porchlight
 * has no KRM function runtime: a pipeline with functions is not run, and the
 * condition says so (Rendered=False) instead of pretending.
 */
export function render(files: readonly PackageFile[]): RenderOutcome {
  const kptfile = files.find((f) => f.path === 'Kptfile');
  if (!kptfile) return { files: [...files] };
  const [doc] = parseDocs(kptfile);
  if (!doc || !isMap(doc.contents)) return { files: [...files] };
  const pipeline = doc.get('pipeline') as YAMLMap | undefined;
  const images = (['mutators', 'validators'] as const).flatMap((k) => {
    const list = isMap(pipeline) ? (pipeline.get(k) as { items?: unknown[] } | undefined) : undefined;
    return (list?.items ?? []).map((i) => String((i as YAMLMap).get?.('image') ?? (i as YAMLMap).get?.('exec') ?? 'function'));
  });
  const error = images.length
    ? `Porchlight has no KRM function runtime, so the pipeline (${images.join(', ')}) was not run; run "kpt fn render" on a pulled copy and push the result`
    : undefined;
  const condition = error ? { type: 'Rendered', status: 'False', reason: 'RenderFailed', message: error } : { type: 'Rendered', status: 'True', reason: 'RenderSuccess' };
  const conditions = ((doc.getIn(['status', 'conditions']) as { toJSON?: () => unknown } | undefined)?.toJSON?.() ?? []) as { type?: string }[];
  const kept = Array.isArray(conditions) ? conditions.filter((c) => c?.type !== 'Rendered') : [];
  doc.setIn(['status', 'conditions'], doc.createNode([...kept, condition]));
  const rendered = { path: 'Kptfile', content: bytes(joinDocs([doc])) };
  return { files: files.map((f) => (f === kptfile ? rendered : f)), error };
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

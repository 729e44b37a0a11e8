// porchlight rpkg push: a directory (as `rpkg pull DIR` left it) or a
// ResourceList on stdin back into a Draft. The resource version comes from the
// .KptRevisionMetadata object pull wrote, so a stale copy is refused instead of
// overwriting someone else's work.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { Command } from 'commander';
import { invalidArgument, PorchlightError } from '../../src-shared/errors.ts';
import { isKrmFile, packageFilePathProblem } from '../../src-shared/package-files.ts';
import { DEFAULT_NAMESPACE } from '../../src-shared/names.ts';
import type { RenderView } from '../../src-shared/contract.ts';
import type { CliContext } from './cli-context.ts';
import { LOCATION_ANNOTATIONS, REVISION_METADATA_FILE } from './resource-list.ts';

interface PackageFile {
  path: string;
  content: Uint8Array;
}

/** Every regular file under `dir`, byte for byte; a symlink is refused, as it could point anywhere. */
export function readPackageDir(dir: string): PackageFile[] {
  const root = path.resolve(dir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw invalidArgument(`${dir} is not a directory; give the directory "rpkg pull" wrote`);
  const files: PackageFile[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) throw invalidArgument(`refusing to push "${p}": it is a symbolic link, and a package holds only regular files`);
      if (entry.isDirectory()) {
        if (entry.name !== '.git') walk(p);
      } else if (entry.isFile()) {
        const problem = packageFilePathProblem(p);
        if (problem) throw invalidArgument(`refusing to push "${p}": ${problem}`);
        files.push({ path: p, content: fs.readFileSync(path.join(root, p)) });
      }
    }
  };
  walk('');
  return files;
}

/** kpt's ResourceList back into files: objects grouped by their path annotation, location annotations removed. */
export function filesFromResourceList(text: string): PackageFile[] {
  let list: unknown;
  try {
    list = YAML.parse(text, { maxAliasCount: 100 });
  } catch (e) {
    throw invalidArgument(`stdin is not valid YAML: ${(e as Error).message}`);
  }
  const items = (list as { items?: unknown })?.items;
  if (!Array.isArray(items)) throw invalidArgument('stdin must be a ResourceList (kind: ResourceList with items), as "rpkg pull" prints it');
  const byPath = new Map<string, { index: number; doc: Record<string, unknown> }[]>();
  for (const item of items as Record<string, unknown>[]) {
    if (!item || typeof item !== 'object') continue;
    const metadata = { ...((item.metadata as Record<string, unknown>) ?? {}) };
    const annotations = { ...((metadata.annotations as Record<string, string>) ?? {}) };
    const p =
      annotations['internal.config.kubernetes.io/path'] ??
      annotations['config.kubernetes.io/path'] ??
      `${String(item.kind ?? 'resource').toLowerCase()}_${String(metadata.name ?? 'unnamed')}.yaml`;
    const index = Number(annotations['internal.config.kubernetes.io/index'] ?? annotations['config.kubernetes.io/index'] ?? 0);
    for (const a of LOCATION_ANNOTATIONS) delete annotations[a];
    if (Object.keys(annotations).length) metadata.annotations = annotations;
    else delete metadata.annotations;
    const problem = packageFilePathProblem(p);
    if (problem) throw invalidArgument(`refusing to push "${p}": ${problem}`);
    const docs = byPath.get(p) ?? [];
    docs.push({ index, doc: { ...item, metadata } });
    byPath.set(p, docs);
  }
  return [...byPath].map(([p, docs]) => ({
    path: p,
    content: Buffer.from(
      docs
        .sort((a, b) => a.index - b.index)
        .map((d) => YAML.stringify(d.doc, { indentSeq: false, lineWidth: 0 }))
        .join('---\n'),
    ),
  }));
}

/** The resource version in the .KptRevisionMetadata object, removed from the files. */
function takeResourceVersion(files: PackageFile[], namespace: string, name: string): { resourceVersion: string; files: PackageFile[] } {
  const meta = files.find((f) => f.path === REVISION_METADATA_FILE);
  if (!meta) {
    throw invalidArgument(
      `"${REVISION_METADATA_FILE}" not found in PackageRevisionResources '${namespace}/${name}'\nuse "porchlight rpkg pull" to download the remote package metadata before pushing`,
    );
  }
  const doc = YAML.parse(Buffer.from(meta.content).toString('utf8')) as { kind?: string; metadata?: { resourceVersion?: unknown } } | null;
  if (doc?.kind !== 'KptRevisionMetadata')
    throw invalidArgument(`"${REVISION_METADATA_FILE}" does not contain kind "KptRevisionMetadata" in PackageRevisionResources '${namespace}/${name}'`);
  const rv = doc.metadata?.resourceVersion;
  return { resourceVersion: rv === undefined || rv === null ? '' : String(rv), files: files.filter((f) => f !== meta) };
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

export function addRpkgPush(rpkg: Command, ctx: CliContext, stdin: () => Promise<string> = readStdin): void {
  rpkg
    .command('push')
    .alias('sink')
    .description('Push resources to a Draft package revision, from a directory or from a ResourceList on stdin ("-").')
    .argument('<PACKAGE_REVISION>', 'name of the draft package revision')
    .argument('[DIR]', 'directory written by "rpkg pull", or - for a ResourceList on stdin')
    .action(async (name: string, dir: string | undefined, _o: unknown, cmd: Command) => {
      const namespace = (cmd.optsWithGlobals().namespace as string | undefined) ?? DEFAULT_NAMESPACE;
      if (dir === undefined) ctx.io.stderr("Warning: reading stdin without '-' is deprecated in porchctl; give '-' to read a ResourceList from stdin.\n");
      const fromList = dir === undefined || dir === '-';
      const read = fromList ? filesFromResourceList(await stdin()) : readPackageDir(dir);
      const { resourceVersion, files } = takeResourceVersion(read, namespace, name);
      const service = await ctx.client();
      const wire = files.map((f) => ({ path: f.path, base64: Buffer.from(f.content).toString('base64') }));
      let render: RenderView | undefined;
      try {
        if (!resourceVersion) throw new PorchlightError('FAILED_PRECONDITION', 'resourceVersion must be specified for an update');
        if (fromList) {
          // A ResourceList carries KRM objects only: README.md and other files the
          // draft holds stay as they are instead of being deleted.
          const { files: held } = await service.call('revisions.resources', { namespace, name });
          const listed = new Set(files.map((f) => f.path));
          const remove = held.filter((r) => isKrmFile(r.path) && !listed.has(r.path)).map((r) => r.path);
          await service.call('revisions.save', { namespace, name, resourceVersion, files: wire, remove });
        } else {
          render = (await service.call('revisions.push', { namespace, name, resourceVersion, files: wire })).render;
        }
      } catch (e) {
        // Porch answers a resources update through the API server's internal-error wrapper.
        if (e instanceof PorchlightError && e.code !== 'NOT_FOUND')
          throw new PorchlightError(e.code === 'INVALID_ARGUMENT' ? 'FAILED_PRECONDITION' : e.code, `Internal error occurred: ${e.message}`, e.data);
        throw e;
      }
      // porchctl's report of the render that followed the push.
      if (render?.error) ctx.io.stderr(`Package is updated, but failed to render the package.\nError: ${render.error}\n`);
      for (const r of render?.results ?? []) {
        ctx.io.stderr(`[RUNNING] "${r.image}" \n`);
        if (r.items.length) ctx.io.stderr(`[Results]: ${r.items.map((i) => `[${i.severity}]${i.field ? ` ${i.field}` : ''}: ${i.message}`).join(', ')}\n`);
      }
      ctx.io.stdout(`${name} pushed\n`);
    });
}

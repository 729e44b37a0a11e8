// Finds the package revisions of a repository in Porch's layout (rules in
// docs/porch-behaviour.md). This pass reads only refs and trees; tasks and
// publish info, which need history, are filled in later by describe-revisions.ts
// and only for the revisions a sync will actually insert.
import type { CommitObject } from 'isomorphic-git';
import type { DiscoveredRevision } from './discovered.ts';
import { parseKptAnnotations } from './kpt-annotation.ts';
import type { GitObjectReader as ObjectReader } from './object-reader.ts';
import { joinPath, parsePorchRef, relativeToDirectory, revisionFromString } from './porch-refs.ts';
import { cooperative } from './cooperative.ts';
import { packageFilePathProblem } from '../../src-shared/package-files.ts';
import type { RemoteRef } from './remote-refs.ts';

export interface DiscoverOptions {
  branch: string;
  /** Normalised registered directory, '' for the root. */
  directory: string;
  /** Package trees known from the last sync (path relative to directory -> tree oid). */
  knownPackageTrees?: ReadonlyMap<string, string>;
  /** Tag revisions already cached, by ref: one whose ref still names the same commit needs no read. */
  knownTags?: ReadonlyMap<string, DiscoveredRevision>;
  warn?: (message: string) => void;
}

export interface Discovery {
  revisions: DiscoveredRevision[];
  /** Head of the registered branch, if it exists. */
  branchHead?: string;
}

const authorTime = (c: { author: { timestamp: number } }) => new Date(c.author.timestamp * 1000);

async function hasKptfile(reader: ObjectReader, tree: string): Promise<boolean> {
  return (await reader.tree(tree)).some((e) => e.path === 'Kptfile' && e.type === 'blob');
}

/** Every directory holding a Kptfile under `root`; packages do not nest. */
async function findPackages(
  reader: ObjectReader,
  root: string,
  known: ReadonlyMap<string, string>,
  prefix = '',
  out = new Map<string, string>(),
): Promise<Map<string, string>> {
  // A tree already known to be a package, unchanged by oid, needs no read.
  if (prefix && known.get(prefix) === root) return out.set(prefix, root);
  if (prefix && (await hasKptfile(reader, root))) return out.set(prefix, root);
  for (const e of await reader.tree(root)) {
    // A directory named "..", ".git" or the like is no package path: it would become a ref and a path on disk.
    if (e.type === 'tree' && !packageFilePathProblem(e.path)) await findPackages(reader, e.oid, known, prefix ? `${prefix}/${e.path}` : e.path, out);
  }
  return out;
}

function workspaceFromAnnotation(message: string, fullPath: string): string | undefined {
  return parseKptAnnotations(message).find((a) => a.package === fullPath && typeof a.workspaceName === 'string' && a.workspaceName)?.workspaceName;
}

export async function discoverRevisions(reader: ObjectReader, refs: readonly RemoteRef[], opts: DiscoverOptions): Promise<Discovery> {
  const found: DiscoveredRevision[] = [];
  const deletionProposed = new Set<string>();
  for (const ref of refs) {
    const parsed = parsePorchRef(ref.ref, opts.branch);
    if (parsed?.kind === 'deletionProposed') deletionProposed.add(parsed.key);
  }
  const published = (fullPath: string, revision: number, workspace: string) =>
    deletionProposed.has(`${fullPath}/${revision > 0 ? `v${revision}` : workspace}`) ? 'DeletionProposed' : 'Published';
  let branchHead: string | undefined;
  const breathe = cooperative();

  for (const ref of refs) {
    await breathe();
    const parsed = parsePorchRef(ref.ref, opts.branch);
    if (!parsed || parsed.kind === 'deletionProposed') continue;
    const known = parsed.kind === 'tag' ? opts.knownTags?.get(ref.ref) : undefined;
    if (known && known.commit === (ref.peeled ?? ref.oid)) {
      const fullPath = joinPath(opts.directory, known.packagePath);
      found.push({ ...known, lifecycle: published(fullPath, known.revision, known.workspace) });
      continue;
    }
    if (parsed.kind === 'malformed') {
      opts.warn?.(`ignored ${parsed.reason}`);
      continue;
    }
    // A tag may name anything (a tree, another tag); only commits hold packages.
    let commitOid: string;
    let commit: CommitObject;
    try {
      commitOid = ref.peeled ?? ref.oid;
      commit = await reader.commit(commitOid);
    } catch (e) {
      opts.warn?.(`ignored ${ref.ref}: ${(e as Error).message}`);
      continue;
    }

    if (parsed.kind === 'branch') {
      branchHead = commitOid;
      const root = await reader.subtree(commit.tree, opts.directory);
      if (!root) continue; // a directory missing on the branch lists nothing, as in Porch
      for (const [packagePath, treeOid] of await findPackages(reader, root, opts.knownPackageTrees ?? new Map())) {
        const fullPath = joinPath(opts.directory, packagePath);
        found.push({
          packagePath,
          workspace: opts.branch,
          revision: -1,
          lifecycle: published(fullPath, -1, opts.branch),
          gitRef: ref.ref,
          commit: commitOid,
          treeOid,
          tasks: [],
          createdAt: authorTime(commit),
        });
      }
      continue;
    }

    const packagePath = relativeToDirectory(parsed.path, opts.directory);
    if (packagePath === undefined) continue;
    const treeOid = await reader.subtree(commit.tree, parsed.path);
    if (!treeOid || !(await hasKptfile(reader, treeOid))) {
      opts.warn?.(`ignored ${ref.ref}: no Kptfile at ${parsed.path}`);
      continue;
    }

    if (parsed.kind === 'tag') {
      const revision = revisionFromString(parsed.suffix);
      // Porch reads a non-numeric suffix as a revision -1 named after the suffix;
      // 0 and negative numbers cannot be stored as published revisions.
      if (revision === 0 || revision < -1) {
        opts.warn?.(`ignored ${ref.ref}: revision ${revision} is not a valid published revision`);
        continue;
      }
      const workspace = revision === -1 ? parsed.suffix : (workspaceFromAnnotation(commit.message, parsed.path) ?? `v${revision}`);
      found.push({
        packagePath,
        workspace,
        revision,
        lifecycle: published(parsed.path, revision, workspace),
        gitRef: ref.ref,
        commit: commitOid,
        treeOid,
        tasks: [],
        publishedBy: commit.author.email || undefined,
        publishedAt: authorTime(commit),
        createdAt: authorTime(commit),
      });
    } else {
      found.push({
        packagePath,
        workspace: parsed.workspace,
        revision: 0,
        lifecycle: parsed.kind === 'draft' ? 'Draft' : 'Proposed',
        gitRef: ref.ref,
        commit: commitOid,
        treeOid,
        tasks: [],
        createdAt: authorTime(commit),
      });
    }
  }
  return { revisions: found, branchHead };
}

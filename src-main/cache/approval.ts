// Approval and deletion of published revisions: the only moves that write to
// Git. Git first, the database second:
//   1. hold the repository's lease (one writer per repository, across laptops);
//   2. list the remote's refs; if they moved since the last sync, sync first, so
//      the branch head is local and a revision published elsewhere is known;
//   3. write the commits into the local clone and push branch and tag at once;
//      a remote that moved on meanwhile is fetched and the approval redone;
//   4. record the result in one transaction.
// A crash between 3 and 4 leaves a tag whose proposal is still Proposed; the
// next sync (or approval) records it (sync.ts, newRevisions), never twice.
import fs from 'node:fs';
import { gitFs } from '../git/atomic-fs.ts';
import git from 'isomorphic-git';
import type { Queryable } from '../db/database.ts';
import { failedPrecondition, notFound } from '../../src-shared/errors.ts';
import { unmetReadinessGates } from '../../src-shared/domain.ts';
import { joinPath, normaliseDirectory, revisionFromString } from '../git/porch-refs.ts';
import { ensureLocalClone, fetchAll, localBranchHead, openObjectReader, type LocalClone } from '../git/local-clone.ts';
import { listRemoteRefs, remoteVersion, type RemoteRef } from '../git/remote-refs.ts';
import { useNativeGit } from '../git/native-fetch.ts';
import { approvalCommitMessage, taskCommitMessage, writeCommit, writeEmptyTree, type CommitIdentity } from '../git/porch-commits.ts';
import { pushRefs, PushRejected, ZERO_OID, type RefUpdate } from '../git/push.ts';
import { isLocalUrl } from '../git/local-repository.ts';
import { updateLocalRefs } from '../git/local-ref-update.ts';
import { spliceTree, writePackageTree } from '../git/tree-writer.ts';
import { findRepository, type RepositoryRow } from './repository-store.ts';
import { readResources } from './revision-store.ts';
import { cloneFor, syncHoldingLease, withRepositoryLease, type SyncContext } from './sync.ts';
import { findRevisionForPublish, highestRevision, recordDeleted, recordPublished, type PublishableRevision } from './publish-store.ts';

/** A push refused because the remote moved on is redone this many times. */
const PUSH_ATTEMPTS = 4;

export interface GitWriteContext extends SyncContext {
  identity: () => Promise<CommitIdentity>;
  /** Called between Git accepting a push and the database write: where tests simulate a crash. */
  afterPush?: (updates: readonly RefUpdate[]) => Promise<void>;
}

interface Fresh {
  repo: RepositoryRow;
  refs: RemoteRef[];
  clone: LocalClone;
  /** The remote's refs are what the cache last synced: a push's effect can be recorded as the new version. */
  inSync: boolean;
}

/** The remote's refs, with the cache brought up to them first if they moved. */
async function freshen(ctx: GitWriteContext, repoId: number, namespace: string, name: string, syncIfMoved: boolean): Promise<Fresh> {
  let repo = await findRepository(ctx.db, namespace, name);
  if (!repo || repo.id !== repoId) throw notFound(`repository "${name}" not found in namespace "${namespace}"`);
  const auth = await ctx.credentials(repo);
  const refs = await listRemoteRefs(ctx.http, repo.spec.git.repo, auth);
  let inSync = remoteVersion(refs) === repo.remote_version;
  if (!inSync && syncIfMoved) {
    await syncHoldingLease(ctx, repo, { refs });
    repo = (await findRepository(ctx.db, namespace, name))!;
    inSync = true;
  }
  const clone = cloneFor(ctx, repo);
  await ensureLocalClone(clone, repo.spec.git.branch);
  const head = refs.find((r) => r.ref === `refs/heads/${repo.spec.git.branch}`)?.oid;
  if (head && !(await hasObject(clone, head))) {
    await fetchAll(clone, { http: ctx.http, branch: repo.spec.git.branch, auth });
  }
  return { repo, refs, clone, inSync };
}

async function hasObject(clone: LocalClone, oid: string): Promise<boolean> {
  try {
    await git.readObject({ fs, gitdir: clone.gitdir, oid, format: 'deflated', cache: clone.cache });
    return true;
  } catch {
    return false;
  }
}

/** The refs after a push that Git accepted: what the next sync will list. */
function refsAfter(refs: readonly RemoteRef[], updates: readonly RefUpdate[]): RemoteRef[] {
  const byRef = new Map(refs.map((r) => [r.ref, r]));
  for (const u of updates) {
    if (u.oid) byRef.set(u.ref, { ref: u.ref, oid: u.oid });
    else byRef.delete(u.ref);
  }
  return [...byRef.values()];
}

/**
 * The first attempt trusts the clone's own idea of the branch head (from the
 * last fetch or our last push) and lists nothing: the push itself checks that
 * the remote still has that head, and a refusal sends the next attempt
 * through freshen(). Listing 10,000 refs is what would otherwise make an
 * approval slower as a repository grows.
 */
async function optimistic(ctx: GitWriteContext, repoId: number, namespace: string, name: string): Promise<Fresh | undefined> {
  const repo = await findRepository(ctx.db, namespace, name);
  if (!repo || repo.id !== repoId || repo.conditions[0]?.status !== 'True') return undefined;
  const clone = cloneFor(ctx, repo);
  const head = await localBranchHead(clone, repo.spec.git.branch);
  if (!head || !(await hasObject(clone, head))) return undefined;
  return { repo, refs: [{ ref: `refs/heads/${repo.spec.git.branch}`, oid: head }], clone, inSync: false };
}

/** Where an approval is, for a progress bar: one step per phase. */
export type ApprovalProgress = (p: { phase: string; loaded: number; total: number }) => void;
const APPROVAL_STEPS = 4;

export async function approveRevision(ctx: GitWriteContext, repository: RepositoryRow, name: string, onProgress?: ApprovalProgress): Promise<void> {
  const step = (phase: string, loaded: number) => onProgress?.({ phase, loaded, total: APPROVAL_STEPS });
  await withRepositoryLease(ctx, repository, 'approval', async () => {
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      step(attempt === 1 ? 'Checking the remote' : 'The remote moved on: fetching', 0);
      const fresh =
        (attempt === 1 ? await optimistic(ctx, repository.id, repository.namespace, repository.name) : undefined) ??
        (await freshen(ctx, repository.id, repository.namespace, repository.name, true));
      ctx.log?.('approval: refs listed', { name, ms: Math.round(performance.now() - started), refs: fresh.refs.length });
      const rev = await findRevisionForPublish(ctx.db, fresh.repo.id, name);
      if (!rev) throw notFound(`the server could not find the requested resource (get packagerevisions.porch.kpt.dev ${name})`, { name });
      // Published already: by a sync just now that found this very approval in
      // Git (a crash after an earlier push), or by someone else. porchctl calls that done.
      if (rev.lifecycle === 'Published') return;
      if (rev.lifecycle !== 'Proposed') {
        throw failedPrecondition(`cannot change approval from ${rev.lifecycle} to Published`, { name, lifecycle: rev.lifecycle });
      }
      const unmet = unmetReadinessGates(rev.kptfile?.readinessGates ?? [], rev.kptfile?.conditions ?? []);
      // porchctl's words; which gates are unmet travels in the error's data.
      if (unmet.length) throw failedPrecondition('readiness conditions not met', { name, unmet });
      try {
        await publish(ctx, fresh, rev, step);
        step('Published', APPROVAL_STEPS);
        ctx.log?.('approval done', { name, ms: Math.round(performance.now() - started) });
        return;
      } catch (e) {
        if (!(e instanceof PushRejected) || attempt >= PUSH_ATTEMPTS) throw e;
        ctx.log?.('approval push refused because the remote moved on; fetching and retrying', { name, attempt });
      }
    }
  });
}

async function publish(ctx: GitWriteContext, fresh: Fresh, rev: PublishableRevision, step: (phase: string, loaded: number) => void): Promise<void> {
  const { repo, refs, clone } = fresh;
  const branch = repo.spec.git.branch;
  const fullPath = joinPath(normaliseDirectory(repo.spec.git.directory), rev.package_path);
  // Highest published + 1, counting tags in Git the cache may not hold (a revision published and not yet synced).
  const tagPrefix = `refs/tags/${fullPath}/`;
  const inGit = refs
    .filter((r) => r.ref.startsWith(tagPrefix) && !r.ref.slice(tagPrefix.length).includes('/'))
    .map((r) => revisionFromString(r.ref.slice(tagPrefix.length)));
  const revision = Math.max(await highestRevision(ctx.db, repo.id, rev.package_id), ...inGit, 0) + 1;
  const tag = `refs/tags/${fullPath}/v${revision}`;

  const files = await readResources(ctx.db, repo.id, rev.id);
  if (!files.some((f) => f.path === 'Kptfile')) {
    throw failedPrecondition(`${rev.name} has no Kptfile at the package root; a package cannot be published without one`);
  }
  const head = refs.find((r) => r.ref === `refs/heads/${branch}`)?.oid;
  const author = await ctx.identity();
  step('Writing the commits', 1);
  const reader = await openObjectReader(clone);
  const written = new Set<string>();
  let commit: string;
  let packageTree: string;
  try {
    packageTree = await writePackageTree(clone.gitdir, files, written);
    const headTree = head ? (await reader.commit(head)).tree : undefined;
    const root = (await spliceTree(clone.gitdir, reader, headTree, fullPath, packageTree, written)) ?? (await writeEmptyTree(clone.gitdir));
    written.add(root);
    const task = await writeCommit(clone.gitdir, {
      tree: root,
      parents: head ? [head] : [],
      message: taskCommitMessage(fullPath, rev.workspace, rev.tasks[0]),
      author,
    });
    commit = await writeCommit(clone.gitdir, {
      tree: root,
      parents: head ? [head, task] : [task],
      message: approvalCommitMessage(fullPath, rev.workspace, revision),
      author,
    });
    written.add(task).add(commit);
  } finally {
    reader.close();
  }
  const updates: RefUpdate[] = [
    { ref: `refs/heads/${branch}`, old: head ?? ZERO_OID, oid: commit },
    { ref: tag, old: ZERO_OID, oid: commit },
  ];
  step('Pushing', 2);
  const pushStarted = performance.now();
  const { serverMs } = await publishRefs(ctx, repo, clone, updates, written, { ...author, message: approvalCommitMessage(fullPath, rev.workspace, revision) });
  ctx.log?.('approval: pushed', { name: rev.name, ms: Math.round(performance.now() - pushStarted), serverMs: Math.round(serverMs) });
  await ctx.afterPush?.(updates);

  step('Recording', 3);
  const recorded = await ctx.db.transaction(async (tx) => {
    const ok = await recordPublished(tx, rev, {
      revision,
      gitRef: tag,
      commit,
      packageTree,
      branch,
      repositoryName: repo.name,
      namespace: repo.namespace,
      publishedBy: author.email,
      updatedBy: ctx.owner,
    });
    if (ok && fresh.inSync) await recordPushedVersion(tx, repo, refsAfter(refs, updates), 1);
    return ok;
  });
  // Deleted while the push was in flight: Git has it, so the cache imports it.
  if (!recorded) await syncHoldingLease(ctx, repo);
}

/**
 * The ref updates out to the repository: one push to a server, or for a
 * repository registered by path, the refs moved in place under Git's locks
 * (the objects are already there: the "clone" is the repository).
 */
async function publishRefs(
  ctx: GitWriteContext,
  repo: RepositoryRow,
  clone: LocalClone,
  updates: readonly RefUpdate[],
  written: ReadonlySet<string>,
  reflog: { name: string; email: string; message: string },
): Promise<{ serverMs: number }> {
  if (isLocalUrl(repo.spec.git.repo)) {
    await updateLocalRefs(clone.gitdir, repo.spec.git.repo, updates, reflog);
    return { serverMs: 0 };
  }
  const pushed = await pushRefs(clone.gitdir, repo.spec.git.repo, updates, { http: ctx.http, auth: await ctx.credentials(repo), objects: [...written] });
  await keepLocalRefs(clone, updates);
  return pushed;
}

/** The pushed refs in the local clone too, so the next fetch negotiates from them. */
async function keepLocalRefs(clone: LocalClone, updates: readonly RefUpdate[]): Promise<void> {
  const mirror = await useNativeGit();
  for (const u of updates) {
    const ref = !mirror && u.ref.startsWith('refs/heads/') ? `refs/remotes/origin/${u.ref.slice('refs/heads/'.length)}` : u.ref;
    if (u.oid) await git.writeRef({ fs: gitFs, gitdir: clone.gitdir, ref, value: u.oid, force: true }).catch(() => {});
    else await git.deleteRef({ fs: gitFs, gitdir: clone.gitdir, ref }).catch(() => {});
  }
}

async function recordPushedVersion(tx: Queryable, repo: RepositoryRow, refs: RemoteRef[], delta: number) {
  const stats = repo.sync_stats
    ? { ...repo.sync_stats, both: Math.max(0, repo.sync_stats.both + repo.sync_stats.externalOnly + delta), externalOnly: 0, cachedOnly: 0 }
    : null;
  await tx.query(`UPDATE repositories SET remote_version = $2, sync_stats = COALESCE($3, sync_stats) WHERE id = $1`, [
    repo.id,
    remoteVersion(refs),
    stats ? JSON.stringify(stats) : null,
  ]);
}

/**
 * Deleting a revision proposed for deletion: a numbered revision loses its tag;
 * the placeholder (the package on the branch) is removed from the branch by a
 * `Delete <path>` commit. Then the row goes.
 */
export async function deletePublishedRevision(ctx: GitWriteContext, repository: RepositoryRow, name: string): Promise<void> {
  await withRepositoryLease(ctx, repository, 'deletion', async () => {
    for (let attempt = 1; ; attempt++) {
      const fresh = await freshen(ctx, repository.id, repository.namespace, repository.name, false);
      const rev = await findRevisionForPublish(ctx.db, fresh.repo.id, name);
      if (!rev) throw notFound(`the server could not find the requested resource (get packagerevisions.porch.kpt.dev ${name})`, { name });
      if (rev.lifecycle !== 'DeletionProposed') throw failedPrecondition(`cannot delete ${name} with lifecycle '${rev.lifecycle}'`);
      try {
        await unpublish(ctx, fresh, rev);
        return;
      } catch (e) {
        if (!(e instanceof PushRejected) || attempt >= PUSH_ATTEMPTS) throw e;
      }
    }
  });
}

async function unpublish(ctx: GitWriteContext, fresh: Fresh, rev: PublishableRevision): Promise<void> {
  const { repo, refs, clone } = fresh;
  const branch = repo.spec.git.branch;
  const fullPath = joinPath(normaliseDirectory(repo.spec.git.directory), rev.package_path);
  const updates: RefUpdate[] = [];
  const written = new Set<string>();
  if (rev.revision > 0) {
    const tag = `refs/tags/${fullPath}/v${rev.revision}`;
    const current = refs.find((r) => r.ref === tag);
    if (current) updates.push({ ref: tag, old: current.oid });
  } else {
    const head = refs.find((r) => r.ref === `refs/heads/${branch}`)?.oid;
    if (head) {
      const reader = await openObjectReader(clone);
      try {
        const headTree = (await reader.commit(head)).tree;
        if (await reader.subtree(headTree, fullPath)) {
          const root = (await spliceTree(clone.gitdir, reader, headTree, fullPath, undefined, written)) ?? (await writeEmptyTree(clone.gitdir));
          const commit = await writeCommit(clone.gitdir, { tree: root, parents: [head], message: `Delete ${fullPath}`, author: await ctx.identity() });
          written.add(root).add(commit);
          updates.push({ ref: `refs/heads/${branch}`, old: head, oid: commit });
        }
      } finally {
        reader.close();
      }
    }
  }
  if (updates.length) {
    const identity = await ctx.identity();
    await publishRefs(ctx, repo, clone, updates, written, { ...identity, message: `Delete ${fullPath}` });
    await ctx.afterPush?.(updates);
  }
  await ctx.db.transaction(async (tx) => {
    if ((await recordDeleted(tx, rev)) && fresh.inSync) await recordPushedVersion(tx, repo, refsAfter(refs, updates), -1);
  });
}

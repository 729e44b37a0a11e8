// One sync of one repository, as Porch's DB cache does it: compare the cached
// Published and DeletionProposed revisions with Git's, delete the cached-only,
// insert the external-only, leave the rest alone. The remote's version (a hash of
// its refs) is remembered, so an unchanged remote costs one round trip.
import path from 'node:path';
import type { HttpClient, ProgressCallback } from 'isomorphic-git';
import type { Database } from '../db/database.ts';
import type { SyncStats, Condition } from '../../src-shared/domain.ts';
import { PorchlightError, isPorchlightError } from '../../src-shared/errors.ts';
import { packageRevisionName } from '../../src-shared/names.ts';
import type { BasicAuth } from '../git/credentials.ts';
import { describeRevisions } from '../git/describe-revisions.ts';
import { discoverRevisions } from '../git/discover.ts';
import { revisionKey, type DiscoveredRevision } from '../git/discovered.ts';
import { fetchAll, openLocalClone } from '../git/local-clone.ts';
import { ObjectReader } from '../git/object-reader.ts';
import { normaliseDirectory } from '../git/porch-refs.ts';
import { listRemoteRefs, remoteVersion } from '../git/remote-refs.ts';
import {
  recordSyncResult,
  releaseSyncLease,
  syncLeaseHolder,
  tryTakeSyncLease,
  type RepositoryRow,
} from './repository-store.ts';
import { listCachedPublished, listLiveNames, markRevisionsForDestruction } from './revision-store.ts';
import { insertDiscovered } from './sync-writer.ts';

export interface SyncContext {
  db: Database;
  http: HttpClient;
  /** Where local clones live: <dataHome>/repos. */
  clonesDir: string;
  /** Who this process is, for the sync lease and updated_by. */
  owner: string;
  credentials: (repo: RepositoryRow) => Promise<BasicAuth | undefined>;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export interface SyncOptions {
  /** Walk Git even if the remote's refs did not change. */
  force?: boolean;
  onProgress?: ProgressCallback;
}

/** Revisions inserted per transaction: a kill loses at most one batch, redone next time. */
const INSERT_BATCH = 250;
/** A sync that outlives this is presumed dead and its lease can be taken. */
const LEASE_SECONDS = 15 * 60;

export function cloneDirFor(clonesDir: string, repositoryId: number): string {
  return path.join(clonesDir, `${repositoryId}.git`);
}

const ready = (status: Condition['status'], reason: string, message: string): Condition => ({
  type: 'Ready',
  status,
  reason,
  message,
  lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
});

export async function syncRepository(ctx: SyncContext, repo: RepositoryRow, opts: SyncOptions = {}): Promise<SyncStats> {
  if (!(await tryTakeSyncLease(ctx.db, repo.id, ctx.owner, LEASE_SECONDS))) {
    const holder = await syncLeaseHolder(ctx.db, repo.id);
    throw new PorchlightError(
      'BUSY',
      `a sync of repository ${repo.namespace}/${repo.name} is already running${holder ? ` (${holder.owner})` : ''}; wait for it to finish`,
      { repository: repo.name, namespace: repo.namespace },
    );
  }
  const started = performance.now();
  try {
    const stats = await syncLocked(ctx, repo, opts, started);
    await recordSyncResult(ctx.db, repo.id, {
      remoteVersion: null,
      stats,
      ready: ready('True', 'Ready', ''),
    });
    ctx.log?.('sync finished', { repository: `${repo.namespace}/${repo.name}`, ...stats });
    return stats;
  } catch (e) {
    const err = isPorchlightError(e) ? e : new PorchlightError('INTERNAL', `sync failed: ${(e as Error).message}`);
    await recordSyncResult(ctx.db, repo.id, { remoteVersion: null, stats: null, ready: ready('False', 'Error', err.message) }).catch(() => {});
    ctx.log?.('sync failed', { repository: `${repo.namespace}/${repo.name}`, error: err.message });
    throw err;
  } finally {
    await releaseSyncLease(ctx.db, repo.id, ctx.owner).catch(() => {});
  }
}

async function syncLocked(ctx: SyncContext, repo: RepositoryRow, opts: SyncOptions, started: number): Promise<SyncStats> {
  const git = repo.spec.git;
  const auth = await ctx.credentials(repo);
  const refs = await listRemoteRefs(ctx.http, git.repo, auth);
  const version = remoteVersion(refs);
  const finish = (s: Omit<SyncStats, 'durationMs' | 'finishedAt'>): SyncStats => ({
    ...s,
    durationMs: Math.round(performance.now() - started),
    finishedAt: new Date().toISOString(),
  });
  if (!opts.force && version === repo.remote_version) {
    // After the last sync the cache held exactly its `both` and `externalOnly` sets.
    const previous = repo.sync_stats;
    return finish({ cachedOnly: 0, both: (previous?.both ?? 0) + (previous?.externalOnly ?? 0), externalOnly: 0, remoteUnchanged: true });
  }

  const clone = openLocalClone(cloneDirFor(ctx.clonesDir, repo.id), git.repo);
  if (refs.length > 0) await fetchAll(clone, { http: ctx.http, branch: git.branch, auth, onProgress: opts.onProgress });

  const cached = await listCachedPublished(ctx.db, repo.id);
  const knownPackageTrees = new Map(cached.filter((c) => c.revision === -1).map((c) => [c.package_path, c.tree_id ?? '']));
  const knownTags = new Map(
    cached
      .filter((c) => c.git_ref?.startsWith('refs/tags/') && c.git_commit && c.tree_id)
      .map((c): [string, DiscoveredRevision] => [
        c.git_ref!,
        { packagePath: c.package_path, workspace: c.workspace, revision: c.revision, lifecycle: c.lifecycle, gitRef: c.git_ref!, commit: c.git_commit!, treeOid: c.tree_id!, tasks: [], createdAt: new Date(0) },
      ]),
  );
  const reader = new ObjectReader(clone);
  const directory = normaliseDirectory(git.directory);
  const { revisions: discovered, branchHead } = await discoverRevisions(reader, refs, {
    branch: git.branch,
    directory,
    knownPackageTrees,
    knownTags,
    warn: (message) => ctx.log?.(message, { repository: `${repo.namespace}/${repo.name}` }),
  });

  const keyOf = (r: { packagePath: string; revision: number; commit: string; workspace: string; treeOid: string }) =>
    // A placeholder is the package on the branch: it changes when its tree does,
    // not whenever the branch moves.
    revisionKey({ ...r, commit: r.revision === -1 ? r.treeOid : r.commit });
  const external = discovered.filter((d) => d.lifecycle === 'Published' || d.lifecycle === 'DeletionProposed');
  const externalKeys = new Set(external.map(keyOf));
  const cachedKeys = new Set(
    cached.map((c) =>
      keyOf({ packagePath: c.package_path, revision: c.revision, commit: c.git_commit ?? '', workspace: git.branch, treeOid: c.tree_id ?? '' }),
    ),
  );
  const cachedOnly = cached.filter(
    (c) => !externalKeys.has(keyOf({ packagePath: c.package_path, revision: c.revision, commit: c.git_commit ?? '', workspace: git.branch, treeOid: c.tree_id ?? '' })),
  );
  const externalOnly = external.filter((d) => !cachedKeys.has(keyOf(d)));
  const both = external.length - externalOnly.length;

  await ctx.db.transaction((tx) => markRevisionsForDestruction(tx, repo.id, cachedOnly.map((c) => c.id)));

  // Drafts and proposals found in Git are taken in once; after that the database
  // owns them (Porch's DB cache never syncs work in progress).
  const live = await listLiveNames(ctx.db, repo.id);
  const unpublished = discovered.filter((d) => d.lifecycle === 'Draft' || d.lifecycle === 'Proposed');
  const toInsert: DiscoveredRevision[] = [];
  for (const d of [...externalOnly, ...unpublished]) {
    const name = packageRevisionName(repo.name, d.packagePath, d.workspace);
    if (live.has(name)) {
      if (d.revision !== 0) ctx.log?.('skipped a Git revision whose name is taken by a cached one', { name });
      continue;
    }
    live.add(name);
    toInsert.push(d);
  }

  await describeRevisions(reader, toInsert, directory, branchHead);
  const blobMemo = new Map<string, Uint8Array>();
  const ref = { id: repo.id, namespace: repo.namespace, name: repo.name };
  for (let i = 0; i < toInsert.length; i += INSERT_BATCH) {
    const batch = toInsert.slice(i, i + INSERT_BATCH);
    await ctx.db.transaction((tx) => insertDiscovered(tx, ref, batch, reader, ctx.owner, blobMemo));
  }
  await recordSyncResult(ctx.db, repo.id, { remoteVersion: version, stats: null, ready: ready('True', 'Ready', '') });
  return finish({ cachedOnly: cachedOnly.length, both, externalOnly: externalOnly.length, remoteUnchanged: false });
}

// One sync of one repository, as Porch's DB cache does it: compare the cached
// Published and DeletionProposed revisions with Git's, delete the cached-only,
// insert the external-only, leave the rest alone. The remote's version (a hash of
// its refs) is remembered, so an unchanged remote costs one round trip.
import os from 'node:os';
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
import { fetchAll, openLocalClone, openObjectReader, type LocalClone } from '../git/local-clone.ts';
import { normaliseDirectory } from '../git/porch-refs.ts';
import { localRepositoryNotice } from '../git/local-repository.ts';
import { listRemoteRefs, remoteVersion, type RemoteRef } from '../git/remote-refs.ts';
import { recordSyncResult, releaseSyncLease, syncLeaseHolder, takeOverSyncLease, tryTakeSyncLease, type RepositoryRow } from './repository-store.ts';
import {
  listCachedPublished,
  listGitSourcedDrafts,
  liveNamesAmong,
  liveRevisionNumbers,
  markRevisionsForDestruction,
  type CachedPublished,
} from './revision-store.ts';
import { cachedTreeIds, insertDiscovered, readPackageTrees } from './sync-writer.ts';

export interface SyncContext {
  db: Database;
  http: HttpClient;
  /** Where local clones live: <dataHome>/repos. */
  clonesDir: string;
  /** Who this process is, for the sync lease and updated_by. */
  owner: string;
  credentials: (repo: RepositoryRow) => Promise<BasicAuth | undefined>;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** One local clone, with its isomorphic-git object cache, per repository for the life of the process. */
  clones?: Map<number, LocalClone>;
}

export interface SyncOptions {
  /** Walk Git even if the remote's refs did not change. */
  force?: boolean;
  onProgress?: ProgressCallback;
  /** The remote's refs, when the caller has just listed them. */
  refs?: RemoteRef[];
}

/**
 * Revisions per insert transaction adapt so one transaction holds the
 * database about this long: PGlite runs a statement on the service's thread,
 * and a window's call waits behind it. A kill loses at most one batch, redone
 * next time.
 */
const BATCH_TARGET_MS = 40;
const BATCH_MIN = 10;
const BATCH_MAX = 250;
/** A sync that inserted this many revisions refreshes the planner's statistics. */
const ANALYZE_AFTER_ROWS = 500;
/** A sync that outlives this is presumed dead and its lease can be taken. */
const LEASE_SECONDS = 15 * 60;

export function cloneDirFor(clonesDir: string, repositoryId: number): string {
  return path.join(clonesDir, `${repositoryId}.git`);
}

/** The repository's local clone, one per repository for the life of the process (its object cache with it). */
export function cloneFor(ctx: SyncContext, repo: RepositoryRow): LocalClone {
  let clone = ctx.clones?.get(repo.id);
  if (!clone) {
    clone = openLocalClone(cloneDirFor(ctx.clonesDir, repo.id), repo.spec.git.repo);
    ctx.clones?.set(repo.id, clone);
  }
  return clone;
}

const ready = (status: Condition['status'], reason: string, message: string): Condition => ({
  type: 'Ready',
  status,
  reason,
  message,
  lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
});

/**
 * A lease held by a process that was killed would otherwise block every sync
 * and approval of the repository until it expires (15 minutes). On PGlite the
 * directory lock means no other process can have the database open, so any
 * holder but this process is dead. On PostgreSQL a holder on this machine
 * (`user@host:pid`) whose pid is gone is dead; one on another machine is
 * waited for until its lease expires.
 */
export function holderIsDead(ctx: Pick<SyncContext, 'db' | 'owner'>, holder: string): boolean {
  if (holder === ctx.owner) return false;
  if (ctx.db.kind === 'pglite') return true;
  const m = /@([^@]+):(\d+)$/.exec(holder);
  if (!m || m[1] !== os.hostname()) return false;
  try {
    process.kill(Number(m[2]), 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** A sync that finds another one running fails at once, saying who holds the lease. */
export function syncRepository(ctx: SyncContext, repo: RepositoryRow, opts: SyncOptions = {}): Promise<SyncStats> {
  return withRepositoryLease(ctx, repo, 'a sync', () => syncHoldingLease(ctx, repo, opts), 0);
}

async function busy(ctx: SyncContext, repo: RepositoryRow, what: string): Promise<PorchlightError> {
  const holder = await syncLeaseHolder(ctx.db, repo.id);
  return new PorchlightError(
    'BUSY',
    `${what} of repository ${repo.namespace}/${repo.name} cannot start: another one is running${holder ? ` (${holder.owner})` : ''}; wait for it to finish`,
    { repository: repo.name, namespace: repo.namespace },
  );
}

/**
 * Runs `fn` holding the repository's lease, which serialises syncs, approvals
 * and deletions that write to Git, across processes and across laptops sharing
 * one PostgreSQL. Waits up to `waitMs` for a running one to finish.
 */
export async function withRepositoryLease<T>(ctx: SyncContext, repo: RepositoryRow, what: string, fn: () => Promise<T>, waitMs = 60_000): Promise<T> {
  const deadline = Date.now() + waitMs;
  while (!(await tryTakeSyncLease(ctx.db, repo.id, ctx.owner, LEASE_SECONDS))) {
    const holder = await syncLeaseHolder(ctx.db, repo.id);
    if (holder && holderIsDead(ctx, holder.owner)) {
      ctx.log?.('taking over the lease of a process that died', { repository: `${repo.namespace}/${repo.name}`, holder: holder.owner });
      if (await takeOverSyncLease(ctx.db, repo.id, holder.owner, ctx.owner, LEASE_SECONDS)) break;
      continue;
    }
    if (Date.now() >= deadline) throw await busy(ctx, repo, what);
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    return await fn();
  } finally {
    await releaseSyncLease(ctx.db, repo.id, ctx.owner).catch(() => {});
  }
}

/** One sync, by a caller that holds the repository's lease; records the result on the repository. */
export async function syncHoldingLease(ctx: SyncContext, repo: RepositoryRow, opts: SyncOptions = {}): Promise<SyncStats> {
  const started = performance.now();
  try {
    const { stats, version } = await syncLocked(ctx, repo, opts, started);
    const notice = await localRepositoryNotice(repo.spec.git.repo, repo.spec.git.branch).catch(() => '');
    await recordSyncResult(ctx.db, repo.id, { remoteVersion: version, stats, ready: ready('True', 'Ready', notice) });
    ctx.log?.('sync finished', { repository: `${repo.namespace}/${repo.name}`, ...stats });
    return stats;
  } catch (e) {
    const err = isPorchlightError(e) ? e : new PorchlightError('INTERNAL', `sync failed: ${(e as Error).message}`);
    await recordSyncResult(ctx.db, repo.id, { remoteVersion: null, stats: null, ready: ready('False', 'Error', err.message) }).catch(() => {});
    ctx.log?.('sync failed', { repository: `${repo.namespace}/${repo.name}`, error: err.message });
    throw err;
  }
}

/** Times a sync's phases for the log: one line per sync says where to look. */
function phaseTimer() {
  const phases: Record<string, number> = {};
  let mark = performance.now();
  return {
    phases,
    done(name: string) {
      const now = performance.now();
      phases[name] = (phases[name] ?? 0) + Math.round(now - mark);
      mark = now;
    },
  };
}

/** Porch's comparison: cached-only, both, external-only, on keys alone. */
export function diffRevisions(cached: readonly CachedPublished[], discovered: readonly DiscoveredRevision[]) {
  // A placeholder is the package on the branch: it changes when its tree does,
  // not whenever the branch moves.
  const keyOf = (r: { packagePath: string; revision: number; commit: string; workspace: string; treeOid: string }) =>
    revisionKey({ ...r, commit: r.revision === -1 ? r.treeOid : r.commit });
  const cachedKey = (c: CachedPublished) =>
    keyOf({ packagePath: c.package_path, revision: c.revision, commit: c.git_commit ?? '', workspace: c.workspace, treeOid: c.tree_id ?? '' });
  const external = discovered.filter((d) => d.lifecycle === 'Published' || d.lifecycle === 'DeletionProposed');
  const externalKeys = new Set(external.map(keyOf));
  const cachedKeys = new Set(cached.map(cachedKey));
  const cachedOnly = cached.filter((c) => !externalKeys.has(cachedKey(c)));
  const externalOnly = external.filter((d) => !cachedKeys.has(keyOf(d)));
  return { cachedOnly, externalOnly, both: external.length - externalOnly.length };
}

/** What the last sync cached, in the shape discovery can skip reading again. */
function knownFromCache(cached: readonly CachedPublished[]) {
  const knownPackageTrees = new Map(cached.filter((c) => c.revision === -1).map((c) => [c.package_path, c.tree_id ?? '']));
  const knownTags = new Map(
    cached
      .filter((c) => c.git_ref?.startsWith('refs/tags/') && c.git_commit && c.tree_id)
      .map((c): [string, DiscoveredRevision] => [
        c.git_ref!,
        {
          packagePath: c.package_path,
          workspace: c.workspace,
          revision: c.revision,
          lifecycle: c.lifecycle,
          gitRef: c.git_ref!,
          commit: c.git_commit!,
          treeOid: c.tree_id!,
          tasks: [],
          createdAt: new Date(0),
        },
      ]),
  );
  return { knownPackageTrees, knownTags };
}

async function syncLocked(ctx: SyncContext, repo: RepositoryRow, opts: SyncOptions, started: number): Promise<{ stats: SyncStats; version: string }> {
  const git = repo.spec.git;
  const timer = phaseTimer();
  const finish = (s: Omit<SyncStats, 'durationMs' | 'finishedAt'>): SyncStats => ({
    ...s,
    durationMs: Math.round(performance.now() - started),
    finishedAt: new Date().toISOString(),
  });
  const auth = await ctx.credentials(repo);
  const ignoredRefs = (names: string[]) =>
    ctx.log?.(
      `ignored ${names.length} ref(s) whose names Git would refuse: ${names
        .slice(0, 5)
        .map((n) => JSON.stringify(n))
        .join(', ')}`,
      { repository: `${repo.namespace}/${repo.name}` },
    );
  const refs = opts.refs ?? (await listRemoteRefs(ctx.http, git.repo, auth, ignoredRefs));
  const version = remoteVersion(refs);
  if (!opts.force && version === repo.remote_version) {
    // After the last sync the cache held exactly its `both` and `externalOnly` sets.
    const previous = repo.sync_stats;
    return { version, stats: finish({ cachedOnly: 0, both: (previous?.both ?? 0) + (previous?.externalOnly ?? 0), externalOnly: 0, remoteUnchanged: true }) };
  }
  timer.done('listRefs');

  const clone = cloneFor(ctx, repo);
  // Git and the database answer at the same time: the fetch runs in a child process.
  const [cached] = await Promise.all([
    listCachedPublished(ctx.db, repo.id),
    refs.length > 0 ? fetchAll(clone, { http: ctx.http, branch: git.branch, auth, onProgress: opts.onProgress }) : undefined,
  ]);
  timer.done('fetch');
  const directory = normaliseDirectory(git.directory);
  const reader = await openObjectReader(clone);
  try {
    const { revisions: discovered, branchHead } = await discoverRevisions(reader, refs, {
      branch: git.branch,
      directory,
      ...knownFromCache(cached),
      warn: (message) => ctx.log?.(message, { repository: `${repo.namespace}/${repo.name}` }),
    });
    timer.done('discover');

    const { cachedOnly, externalOnly, both } = diffRevisions(cached, discovered);
    const staleDrafts = await staleGitDrafts(ctx, repo, discovered);
    await markRevisionsForDestruction(ctx.db, repo.id, [...cachedOnly.map((c) => c.id), ...staleDrafts]);
    const { toInsert, completedProposals } = await newRevisions(ctx, repo, externalOnly, discovered);
    await markRevisionsForDestruction(ctx.db, repo.id, completedProposals);
    timer.done('diff');

    await describeRevisions(reader, toInsert, directory, branchHead);
    timer.done('describe');
    const blobMemo = new Map<string, Uint8Array>();
    const ref = { id: repo.id, namespace: repo.namespace, name: repo.name };
    let size = 25;
    const report = (loaded: number) => opts.onProgress?.({ phase: 'Reading packages', loaded, total: toInsert.length });
    if (toInsert.length) report(0);
    for (let i = 0; i < toInsert.length;) {
      // Let a window's call in between batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const batch = toInsert.slice(i, i + size);
      i += batch.length;
      const trees = batch.map((r) => r.treeOid);
      const copyable = await cachedTreeIds(ctx.db, repo.id, trees);
      const files = await readPackageTrees(
        reader,
        trees.filter((t) => !copyable.has(t)),
        blobMemo,
      );
      timer.done('read');
      const began = performance.now();
      await ctx.db.transaction((tx) => insertDiscovered(tx, ref, batch, files, reader, ctx.owner));
      const took = performance.now() - began;
      timer.done('insert');
      size = Math.round(Math.min(BATCH_MAX, Math.max(BATCH_MIN, (size * BATCH_TARGET_MS) / Math.max(took, 1))));
      report(i);
    }
    // PGlite runs no autovacuum, so nothing else would ever give the planner
    // statistics: without them a lookup by name in a big repository was a
    // sequential scan (8 ms instead of 0.7 at 12,500 revisions).
    if (toInsert.length >= ANALYZE_AFTER_ROWS) {
      // What the planner was missing is the table's size (and the key
      // columns' spread): a small sample of two columns gives it, in a
      // fraction of a full ANALYZE that a window's call would wait behind.
      await ctx.db.transaction(async (tx) => {
        await tx.exec('SET LOCAL default_statistics_target = 10');
        await tx.exec('ANALYZE package_revisions (repository_id, name)');
      });
      timer.done('analyze');
    }
    ctx.log?.('sync phases (ms)', { repository: `${repo.namespace}/${repo.name}`, ...timer.phases });
    return { version, stats: finish({ cachedOnly: cachedOnly.length, both, externalOnly: externalOnly.length, remoteUnchanged: false }) };
  } finally {
    reader.close();
  }
}

/**
 * Drafts and proposals that came from Git (drafts/ and proposed/ branches) and
 * were never changed here, whose branch is gone or moved: Git approved, deleted
 * or rewrote them, so the cached copy goes (and a moved one is read again).
 * Drafts made or edited in Porchlight exist only in the database and are never
 * touched by sync.
 */
async function staleGitDrafts(ctx: SyncContext, repo: RepositoryRow, discovered: readonly DiscoveredRevision[]): Promise<number[]> {
  const inGit = new Map(discovered.filter((d) => d.revision === 0).map((d) => [d.gitRef, d.commit]));
  const rows = await listGitSourcedDrafts(ctx.db, repo.id);
  return rows.filter((r) => r.resource_version === 1 && inGit.get(r.git_ref) !== r.git_commit).map((r) => r.id);
}

/**
 * The external-only published revisions, plus drafts and proposals found in Git
 * that the cache does not hold. One that would clash with a live revision (same
 * name, or same package and revision number under another name) is skipped with
 * a warning: a single odd ref must never fail the whole sync.
 *
 * One clash is a repair instead: a published revision in Git whose name is a
 * proposal that exists only here is that proposal, approved by a process that
 * pushed and then died before writing the database. The proposal gives way to
 * the published revision (same name, same content), so there is never a tag
 * without its row, nor a second revision for one approval.
 */
async function newRevisions(ctx: SyncContext, repo: RepositoryRow, externalOnly: DiscoveredRevision[], discovered: DiscoveredRevision[]) {
  const unpublished = discovered.filter((d) => d.lifecycle === 'Draft' || d.lifecycle === 'Proposed');
  const candidates = [...externalOnly, ...unpublished];
  const nameOf = (d: DiscoveredRevision) => packageRevisionName(repo.name, d.packagePath, d.workspace);
  const live = await liveNamesAmong(ctx.db, repo.id, candidates.map(nameOf));
  const numbers = await liveRevisionNumbers(ctx.db, repo.id, [...new Set(candidates.map((d) => d.packagePath))]);
  const toInsert: DiscoveredRevision[] = [];
  const completedProposals: number[] = [];
  for (const d of candidates) {
    const name = nameOf(d);
    const number = `${d.packagePath}\u0000${d.revision}`;
    const clash = live.get(name);
    const completes = clash && d.revision > 0 && d.gitRef.startsWith('refs/tags/') && clash.lifecycle === 'Proposed' && !clash.fromGit;
    if ((clash && !completes) || (d.revision > 0 && numbers.has(number))) {
      ctx.log?.('skipped a Git revision that clashes with a cached one', { name, ref: d.gitRef, revision: d.revision });
      continue;
    }
    if (completes) {
      ctx.log?.('a proposal was approved in Git but not recorded; recording it now', { name, ref: d.gitRef });
      completedProposals.push(clash.id);
    }
    live.set(name, { id: 0, lifecycle: d.lifecycle, fromGit: true });
    if (d.revision > 0) numbers.add(number);
    toInsert.push(d);
  }
  return { toInsert, completedProposals };
}

// The one service behind the three front doors (window, browser mode, CLI).
// Each method validates its request, then calls the cache; nothing here knows
// which front door called.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { HttpClient, ProgressCallback } from 'isomorphic-git';
import type { Database } from '../db/database.ts';
import {
  unmetReadinessGates,
  type PackageRevision,
  type Repository,
  type ResourceFile,
  type RevisionSummary,
  type SyncStats,
} from '../../src-shared/domain.ts';
import { progressEvent, type ServiceEvent } from '../../src-shared/contract.ts';
import { alreadyExists, failedPrecondition, invalidArgument, isPorchlightError, notFound, PorchlightError } from '../../src-shared/errors.ts';
import {
  listRevisionsSchema,
  registerRepositorySchema,
  repositoryRefSchema,
  unregisterRepositorySchema,
  initPackageSchema,
  namespaceSchema,
  updateRepositorySchema,
  updateResourcesSchema,
  setCleanupPolicySchema,
  type SetCleanupPolicyRequest,
  clonePackageSchema,
  copyPackageSchema,
  type ClonePackageRequest,
  type CopyPackageRequest,
  type InitPackageRequest,
  type UpdateResourcesRequest,
  type ListRevisionsRequest,
  type RegisterRepositoryRequest,
  type UpdateRepositoryRequest,
} from '../../src-shared/requests.ts';
import { writeDraftResources } from '../cache/draft-store.ts';
import { createDraft } from './package-create.ts';
import { addMergeKeys, render, withDeploymentContext, withUpstream, type RenderOutcome } from './kpt-files.ts';
import { readUpstreamPackage } from '../git/upstream-package.ts';
import { redactUrl } from '../git/http-client.ts';
import { packageFilePathProblem } from '../../src-shared/package-files.ts';
import { discoverDownstream, discoverUpstream, oldUpstreamOf, planUpgrade, threePackages, upgradeTask } from './package-upgrade.ts';
import { upgradeFiles } from './upgrade/strategies.ts';
import { initPackageFiles } from './package-init.ts';
import { isLocalAddress, resolveLocalAddress } from './repository-address.ts';
import { ensureDemoWorkspace, type DemoWorkspace } from './demo-workspace.ts';
import { applyLifecycleVerb, assertDeletable, assertPublishable, requireLiveRevision, type LifecycleOutcome, type LifecycleVerb } from './lifecycle.ts';
import { approveRevision, deletePublishedRevision, type GitWriteContext } from '../cache/approval.ts';
import { listQueuedApprovals, setQueuedApproval, type QueuedApproval } from '../cache/lifecycle-store.ts';
import { commitIdentity } from './commit-identity.ts';
import { CleanupWorker, runCleanup, type CleanupResult } from '../cache/cleanup-worker.ts';
import { releaseOrphanedClaims } from '../cache/orphaned-claims.ts';
import { BackgroundMigrationRunner, backgroundMigrations, runBackgroundMigrations, type BackgroundMigrationStatus } from '../db/background-migrations.ts';
import { PgliteUpkeep } from '../cache/pglite-upkeep.ts';
import {
  findRepository,
  findRepositoryById,
  insertRepository,
  listRepositories,
  markRepositoryForDestruction,
  toRepository,
  updateRepositorySync,
  type RepositoryRow,
} from '../cache/repository-store.ts';
import {
  countDrafts,
  listRevisions,
  listRevisionsPage,
  listSummaryPage,
  readResources,
  repositoriesByIds,
  toPackageRevision,
  type PageRequest,
  type RevisionRow,
} from '../cache/revision-store.ts';
import { cloneDirFor, cloneFor, syncRepository, type SyncContext } from '../cache/sync.ts';
import {
  cacheStats,
  evictAll,
  evictNamespace,
  getPolicy,
  ReadTracker,
  restoreEvicted,
  setPolicy,
  type CacheStats,
  type CleanupPolicy,
  type EvictionRun,
} from '../cache/eviction.ts';
import { fetchAll, openObjectReader } from '../git/local-clone.ts';
import { readPackageTrees, UNREADABLE_NAMES_ANNOTATION } from '../cache/sync-writer.ts';
import { SyncManager, type SyncTarget } from '../cache/sync-manager.ts';
import { CronExpressionParser } from 'cron-parser';
import { createHttpClient } from '../git/http-client.ts';
import { CredentialStore, originOf } from './credential-store.ts';
import { parse } from './validate.ts';
import { createCatalog, deleteCatalog, listCatalogs, resolveInCatalog, setCatalogRepositories } from './catalogs.ts';
import type {
  Catalog,
  CatalogRefRequest,
  CatalogResolution,
  CreateCatalogRequest,
  ListCatalogsRequest,
  ResolveInCatalogRequest,
  SetCatalogRepositoriesRequest,
} from '../../src-shared/catalogs.ts';

export interface ServiceOptions {
  db: Database;
  dataHome: string;
  http?: HttpClient;
  log?: SyncContext['log'];
  /** Between a push Git accepted and the database write; tests simulate a crash there. */
  afterPush?: GitWriteContext['afterPush'];
  /** Hears what happens in the background (scheduled syncs, queued approvals): the window shows it. */
  onEvent?: (event: ServiceEvent) => void;
}

/** A page of the revision list as the front doors ask for it (keyset: `after` is the previous page's `next`). */
export interface PageQuery {
  namespace?: string;
  after?: string;
  limit?: number;
  search?: string;
  filePath?: string;
  lifecycle?: string;
  latestOnly?: boolean;
  repository?: string;
}

/** Progress of a long operation, as isomorphic-git and native git report it. */
export type Progress = (p: { phase: string; loaded: number; total?: number }) => void;

/** How often queued approvals are tried again by a long-lived front door. */
const APPROVAL_RETRY_MS = 10_000;
/** How often last-read times are written (and the policy clock looked at). */
const HOUSEKEEPING_MS = 60_000;
/** How often the background cleanup worker looks for marked rows (it is also kicked after each destroy). */
const CLEANUP_EVERY_MS = 60_000;
/** How often cleanup policies run in a long-lived front door. */
const POLICY_EVERY_MS = 3_600_000;

export class PorchlightService {
  readonly db: Database;
  private readonly dataHome: string;
  private readonly credentials: CredentialStore;
  private readonly sync: GitWriteContext;
  /** Background syncs; started only by long-lived front doors (window, browser mode). */
  readonly syncManager: SyncManager;

  private readonly emit: (event: ServiceEvent) => void;
  /** Last-read times, written in batches (cleanup policies evict what nobody reads). */
  private readonly reads = new ReadTracker();
  /** Deletes, in the background, what unregistering, deleting and cleanup policies marked. */
  private readonly cleanupWorker: CleanupWorker;
  /** PGlite's autovacuum, run while the database is idle (long-lived front doors only). */
  private readonly upkeep: PgliteUpkeep;

  constructor(opts: ServiceOptions) {
    this.db = opts.db;
    this.emit = opts.onEvent ?? (() => {});
    this.upkeep = new PgliteUpkeep(opts.db, {
      onResult: (r) => {
        if (r.failed.length) opts.log?.('database upkeep failed', { failed: r.failed.map((f) => `${f.step.action} ${f.step.table}: ${f.error}`) });
        else opts.log?.('database upkeep', { done: r.done.map((d) => `${d.action} ${d.table}`), interrupted: r.interrupted });
      },
    });
    this.migrationRunner = new BackgroundMigrationRunner(opts.db, {
      onProgress: (s) => {
        if (s.status === 'finished')
          this.emit({
            type: 'notification',
            level: 'info',
            source: 'migration',
            subject: s.name,
            message: `background migration finished: ${s.description} (${s.rowsDone} rows)`,
          });
      },
      onError: (e) => opts.log?.('background migration failed', { error: e instanceof Error ? e.message : String(e) }),
    });
    this.cleanupWorker = new CleanupWorker(opts.db, {
      // The upkeep vacuums what the worker deleted, once no read is waiting.
      vacuum: false,
      cloneDirFor: (id) => cloneDirFor(this.sync.clonesDir, id),
      onResult: (r) => {
        if (!r.ok) opts.log?.('cleanup failed', { error: r.error instanceof Error ? r.error.message : String(r.error) });
        else if (r.result.errors.length) {
          opts.log?.('cleanup left rows in error', { errors: r.result.errors.length });
          this.emit({
            type: 'notification',
            level: 'error',
            source: 'cleanup',
            subject: 'cleanup',
            message: `cleanup could not delete some rows: ${r.result.errors[0]!.reason}`,
          });
        }
      },
    });
    this.dataHome = opts.dataHome;
    this.credentials = new CredentialStore(path.join(opts.dataHome, 'credentials.json'));
    this.sync = {
      db: opts.db,
      http: opts.http ?? createHttpClient(),
      clonesDir: path.join(opts.dataHome, 'repos'),
      owner: `${os.userInfo().username}@${os.hostname()}:${process.pid}`,
      credentials: (repo) => this.secretFor(repo.namespace, repo.spec.git.secretRef?.name, repo.spec.git.repo),
      log: opts.log,
      clones: new Map(),
      identity: commitIdentity,
      afterPush: opts.afterPush,
    };
    this.syncManager = new SyncManager({
      list: async () => (await listRepositories(this.db, undefined)).map((r) => syncTargetOf(r)),
      sync: async (t) => {
        const row = await findRepository(this.db, t.namespace, t.name);
        if (!row || row.id !== t.id) throw notFound(`repository ${t.namespace}/${t.name} is gone`);
        const stats = await syncRepository(this.sync, row, { onProgress: this.progressOf('sync', t.name) });
        await this.cleanup(row.id);
        return stats;
      },
      onResult: (t, r) => {
        opts.log?.(r instanceof Error ? 'background sync failed' : 'background sync', {
          repository: `${t.namespace}/${t.name}`,
          ...(r instanceof Error ? { error: r.message } : r),
        });
        void this.backgroundSyncFinished(t, r);
      },
    });
  }

  /** Progress events for one operation on one subject (a repository's sync, a revision's publish). */
  progressOf(operation: 'sync' | 'publish', subject: string): Progress {
    return (p) => this.emit(progressEvent(operation, subject, p));
  }

  /** Last background-sync outcome per repository: a failure is told once, not every interval, and so is the recovery. */
  private readonly lastBackgroundFailure = new Map<number, string>();

  private async backgroundSyncFinished(t: SyncTarget, r: SyncStats | Error): Promise<void> {
    const repository = await findRepository(this.db, t.namespace, t.name).catch(() => undefined);
    if (repository?.id === t.id) this.emit({ type: 'repository.status', repository: toRepository(repository) });
    const failed = this.lastBackgroundFailure.get(t.id);
    if (r instanceof Error) {
      if (isPorchlightError(r) && r.code === 'UNAVAILABLE') this.emit({ type: 'git.reachable', reachable: false });
      if (failed === r.message) return;
      this.lastBackgroundFailure.set(t.id, r.message);
      this.emit({ type: 'notification', level: 'error', source: 'sync', subject: t.name, message: `background sync of ${t.name} failed: ${r.message}` });
      return;
    }
    this.lastBackgroundFailure.delete(t.id);
    this.emit({ type: 'git.reachable', reachable: true });
    const changed = r.externalOnly + r.cachedOnly;
    if (changed || failed !== undefined) {
      this.emit({
        type: 'notification',
        level: 'info',
        source: 'sync',
        subject: t.name,
        message: `${t.name} synced${failed !== undefined ? ' again' : ''}: ${r.externalOnly} new, ${r.cachedOnly} removed package revisions`,
      });
    }
    if (changed) this.emit({ type: 'revision.changed', name: '', namespace: t.namespace });
  }

  private managerStarted = false;

  /** Long-lived front doors call this: syncs resume on their own after a restart. */
  async startBackgroundSync(): Promise<void> {
    this.managerStarted = true;
    await this.syncManager.start();
    await this.releaseOrphanedClaims();
    this.cleanupWorker.start(CLEANUP_EVERY_MS);
    this.migrationRunner.start();
    this.upkeep.start();
    // Queued approvals go out by themselves once Git answers.
    this.queueTimer = setInterval(() => void this.drainApprovalQueue().catch(() => {}), APPROVAL_RETRY_MS);
    this.queueTimer.unref();
    // Last-read times go out now and then; cleanup policies run hourly.
    this.policyTimer = setInterval(() => void this.housekeeping().catch(() => {}), HOUSEKEEPING_MS);
    this.policyTimer.unref();
  }

  private policyTimer?: NodeJS.Timeout;
  private lastPolicyRun = 0;

  private async housekeeping(): Promise<void> {
    await this.reads.flush(this.db);
    if (Date.now() - this.lastPolicyRun < POLICY_EVERY_MS) return;
    this.lastPolicyRun = Date.now();
    await this.runCleanupPolicies();
  }

  /** Runs the cleanup policy of one namespace, or of every namespace, now; the worker deletes what it marked. */
  async runCleanupPolicies(request: { namespace?: string } = {}, now?: Date): Promise<EvictionRun[]> {
    // Reads since the last flush count: a revision read a minute ago is not evicted.
    await this.reads.flush(this.db);
    const runs = request.namespace ? [await evictNamespace(this.db, parse(namespaceSchema, request.namespace), { now })] : await evictAll(this.db, { now });
    if (runs.some((r) => r.rowsFreed > 0)) await this.destroyMarked();
    for (const run of runs) {
      if (run.error)
        this.emit({
          type: 'notification',
          level: 'error',
          source: 'cleanup',
          subject: run.namespace,
          message: `the cleanup policy of ${run.namespace} failed: ${run.error}`,
        });
    }
    return runs;
  }

  /** Writes the reads counted in memory as last-read times (done by itself every minute and on close). */
  flushReadTimes(): Promise<number> {
    return this.reads.flush(this.db);
  }

  async cleanupPolicy(request: { namespace?: string }): Promise<CleanupPolicy> {
    return getPolicy(this.db, parse(namespaceSchema.default('default'), request.namespace));
  }

  async setCleanupPolicy(request: SetCleanupPolicyRequest): Promise<CleanupPolicy> {
    const r = parse(setCleanupPolicySchema, request);
    return setPolicy(this.db, { namespace: r.namespace, enabled: r.enabled, evictAfterDays: r.evictAfterDays, updatedBy: this.updatedBy });
  }

  async cacheStats(request: { namespace?: string }): Promise<CacheStats> {
    await this.reads.flush(this.db);
    return cacheStats(this.db, parse(namespaceSchema.default('default'), request.namespace));
  }

  private queueTimer?: NodeJS.Timeout;

  get updatedBy(): string {
    return this.sync.owner;
  }

  async registerRepository(
    request: RegisterRepositoryRequest,
    onProgress?: ProgressCallback,
  ): Promise<{ repository: Repository; sync: SyncStats | PorchlightError; warnings: string[] }> {
    const parsed = parse(registerRepositorySchema, request);
    const { request: r, warnings } = isLocalAddress(parsed.url)
      ? await resolveLocalAddress(parsed)
      : { request: withCredentialsOutOfUrl(parsed), warnings: [] };
    if (await findRepository(this.db, r.namespace, r.name)) {
      throw alreadyExists(`repository "${r.name}" already exists in namespace "${r.namespace}"`, { namespace: r.namespace, name: r.name });
    }
    if (r.syncSchedule !== undefined) checkCron(r.syncSchedule);
    const secretName = r.username !== undefined ? `${r.name}-auth` : undefined;
    if (secretName) await this.credentials.set(secretKey(r.namespace, secretName)!, { username: r.username!, password: r.password ?? '' }, originOf(r.url));
    const row = await insertRepository(this.db, {
      namespace: r.namespace,
      name: r.name,
      uid: randomUUID(),
      syncIntervalS: r.syncIntervalSeconds,
      updatedBy: this.updatedBy,
      spec: {
        ...(r.description !== undefined ? { description: r.description } : {}),
        type: 'git',
        content: 'Package',
        deployment: r.deployment,
        git: { repo: r.url, branch: r.branch, directory: r.directory, ...(secretName ? { secretRef: { name: secretName } } : {}) },
        ...(r.syncSchedule !== undefined ? { sync: { schedule: r.syncSchedule } } : {}),
      },
    });
    // Porch registers first and syncs in the background; a failed first sync
    // leaves the repository registered with Ready=False and the reason.
    let sync: SyncStats | PorchlightError;
    try {
      sync = await syncRepository(this.sync, row, { onProgress });
    } catch (e) {
      sync = e instanceof PorchlightError ? e : new PorchlightError('INTERNAL', String(e));
    }
    if (this.syncManager.scheduled.length || this.managerStarted) {
      this.syncManager.schedule(syncTargetOf(row));
    }
    return { repository: toRepository((await findRepository(this.db, r.namespace, r.name)) ?? row), sync, warnings };
  }

  async listRepositories(request: { namespace?: string; allNamespaces?: boolean }): Promise<Repository[]> {
    const rows = await listRepositories(this.db, request.allNamespaces ? undefined : (request.namespace ?? 'default'));
    return rows.map(toRepository);
  }

  /**
   * Live repositories a page was asked for, by namespace/name, on PGlite only:
   * the directory lock makes this process the only writer, and unregister
   * (the one way a name stops being live) clears it. The lookup was a third of
   * a one-repository page's 2 ms. On a shared PostgreSQL another process may
   * unregister at any time, so it is never cached there.
   */
  private readonly pageRepositories = new Map<string, { id: number; name: string }>();

  private async pageRepository(namespace: string, name: string): Promise<{ id: number; name: string }> {
    const key = `${namespace}/${name}`;
    const cached = this.pageRepositories.get(key);
    if (cached) return cached;
    const row = await this.requireRepository(namespace, name);
    const found = { id: Number(row.id), name: row.name };
    if (this.db.kind === 'pglite') this.pageRepositories.set(key, found);
    return found;
  }

  private async requireRepository(namespace: string, name: string): Promise<RepositoryRow> {
    const row = await findRepository(this.db, namespace, name);
    if (!row) throw notFound(`repository "${name}" not found in namespace "${namespace}"`, { namespace, name });
    return row;
  }

  async getRepository(request: { namespace?: string; name: string }): Promise<Repository> {
    const r = parse(repositoryRefSchema, request);
    return toRepository(await this.requireRepository(r.namespace, r.name));
  }

  /** A new sync interval or cron schedule; the background schedule follows at once. */
  async updateRepository(request: UpdateRepositoryRequest): Promise<Repository> {
    const r = parse(updateRepositorySchema, request);
    const row = await this.requireRepository(r.namespace, r.name);
    if (r.syncSchedule) checkCron(r.syncSchedule);
    const { sync: _old, ...rest } = row.spec;
    const schedule = r.syncSchedule === undefined ? row.spec.sync?.schedule : (r.syncSchedule ?? undefined);
    const spec: Repository['spec'] = { ...rest, ...(schedule ? { sync: { ...row.spec.sync, schedule } } : {}) };
    const updated = await updateRepositorySync(this.db, row.id, {
      syncIntervalS: r.syncIntervalSeconds ?? row.sync_interval_s,
      spec,
      updatedBy: this.updatedBy,
    });
    if (!updated) throw notFound(`repository "${r.name}" was unregistered meanwhile`);
    if (this.managerStarted) this.syncManager.schedule(syncTargetOf(updated));
    return toRepository(updated);
  }

  async syncRepository(request: { namespace?: string; name: string; force?: boolean }, onProgress?: ProgressCallback): Promise<SyncStats> {
    const r = parse(repositoryRefSchema, request);
    const row = await this.requireRepository(r.namespace, r.name);
    const stats = await syncRepository(this.sync, row, { force: request.force, onProgress });
    // Also after a sync that found nothing to remove: an earlier failed one may have marked rows.
    await this.cleanup(row.id);
    return stats;
  }

  /**
   * Unregistering marks the repository for destruction in one statement; the
   * cleanup worker deletes its rows in batches. Drafts and proposals exist only
   * here, so they are refused unless forced.
   */
  async unregisterRepository(request: { namespace?: string; name: string; force?: boolean }): Promise<{ draftsDestroyed: number }> {
    const r = parse(unregisterRepositorySchema, request);
    const row = await this.requireRepository(r.namespace, r.name);
    const drafts = await countDrafts(this.db, row.id);
    if (drafts > 0 && !r.force) {
      throw failedPrecondition(
        `repository "${r.name}" has ${drafts} draft or proposed package revision(s) that exist only in Porchlight's database and would be lost; ` +
          `approve or delete them first, or unregister with --force to destroy them`,
        { drafts },
      );
    }
    this.syncManager.cancel(row.id);
    this.sync.clones?.delete(row.id);
    this.pageRepositories.clear();
    await markRepositoryForDestruction(this.db, row.id, `unregistered by ${this.updatedBy}`);
    const secret = secretKey(row.namespace, row.spec.git.secretRef?.name);
    if (secret) await this.credentials.delete(secret);
    await this.destroyMarked();
    return { draftsDestroyed: drafts };
  }

  /**
   * Deletes what was marked for destruction; `repositoryId` limits the revision
   * pass to one partition. Once the background work runs (after every sync
   * too), PGlite's upkeep vacuums when the database is idle; a one-shot CLI
   * process has no upkeep and vacuums here.
   */
  private readonly migrationRunner: BackgroundMigrationRunner;

  /** Background migrations and how far each is (db/background-migrations.ts). */
  backgroundMigrations(): Promise<BackgroundMigrationStatus[]> {
    return backgroundMigrations(this.db);
  }

  /** Runs what is left of them now, to the end (the CLI's `db migrations --run`). */
  runBackgroundMigrations(onProgress?: (s: BackgroundMigrationStatus) => void): Promise<BackgroundMigrationStatus[]> {
    return runBackgroundMigrations(this.db, { onProgress });
  }

  private orphansReleased?: Promise<number>;

  /** Once per process, before the first cleanup (orphaned-claims.ts). */
  private releaseOrphanedClaims(): Promise<number> {
    this.orphansReleased ??= releaseOrphanedClaims(this.db);
    return this.orphansReleased;
  }

  async cleanup(repositoryId?: number): Promise<CleanupResult> {
    await this.releaseOrphanedClaims();
    return runCleanup(this.db, { repositoryId, cloneDirFor: (id) => cloneDirFor(this.sync.clonesDir, id), vacuum: !this.managerStarted });
  }

  /**
   * After marking rows: a long-lived front door has the background worker
   * delete them (the caller does not wait for a big repository to go); a
   * one-shot CLI process deletes them before it exits.
   */
  private async destroyMarked(repositoryId?: number): Promise<void> {
    if (this.managerStarted) this.cleanupWorker.kick();
    else await this.cleanup(repositoryId);
  }

  async listPackageRevisions(request: ListRevisionsRequest): Promise<PackageRevision[]> {
    const r = parse(listRevisionsSchema, request);
    const rows = await listRevisions(this.db, {
      namespace: r.allNamespaces ? undefined : (r.namespace ?? 'default'),
      name: r.name,
      packagePath: r.packageName,
      revision: r.revision,
      workspace: r.workspace,
    });
    return rows.map(toPackageRevision);
  }

  /**
   * Every matching revision, a keyset page at a time (kubectl's --chunk-size):
   * a listing of 100,000 revisions never holds them all, nor skips with OFFSET.
   */
  async *packageRevisionPages(request: ListRevisionsRequest, chunkSize = 500): AsyncGenerator<PackageRevision[]> {
    const r = parse(listRevisionsSchema, request);
    let after: { namespace: string; name: string } | undefined;
    for (;;) {
      const rows = await listRevisions(this.db, {
        namespace: r.allNamespaces ? undefined : (r.namespace ?? 'default'),
        name: r.name,
        packagePath: r.packageName,
        revision: r.revision,
        workspace: r.workspace,
        after,
        limit: chunkSize,
      });
      if (rows.length) yield rows.map(toPackageRevision);
      if (rows.length < chunkSize) return;
      const last = rows.at(-1)!;
      after = { namespace: last.namespace, name: last.name };
    }
  }

  /** The window's page: rows as the list shows them, in name order (keyset: pass the previous page's `next`). */
  /** A page request as the store takes it: namespace checked, limit bounded, empty filters dropped, the repository resolved. */
  private async pageRequest(request: PageQuery): Promise<{ page: PageRequest; repository?: { id: number; name: string } }> {
    const namespace = parse(namespaceSchema.default('default'), request.namespace);
    const repository = request.repository ? await this.pageRepository(namespace, request.repository) : undefined;
    const page: PageRequest = {
      namespace,
      after: request.after,
      limit: Math.min(Math.max(request.limit ?? 100, 1), 1000),
      search: request.search?.trim() || undefined,
      filePath: request.filePath?.trim() || undefined,
      lifecycle: request.lifecycle || undefined,
      latestOnly: request.latestOnly,
      repositoryId: repository ? Number(repository.id) : undefined,
    };
    return { page, repository };
  }

  async pageRevisionSummaries(request: PageQuery): Promise<{ items: RevisionSummary[]; next?: string }> {
    const { page, repository: one } = await this.pageRequest(request);
    const { rows, next } = await listSummaryPage(this.db, page);
    // Names of the page's repositories only: a page must not read 500 repositories.
    const repositories = one
      ? new Map([[Number(one.id), one]])
      : await repositoriesByIds(
          this.db,
          rows.map((r) => Number(r.repository_id)),
        );
    const items = rows.map((r) => ({
      name: r.name,
      packageName: r.package_path,
      workspaceName: r.workspace,
      revision: r.revision,
      latest: r.latest,
      lifecycle: r.lifecycle,
      repository: repositories.get(Number(r.repository_id))?.name ?? '',
    }));
    return { items, ...(next ? { next } : {}) };
  }

  /** One page of a namespace's revisions in name order (keyset: pass the previous page's `next`). */
  async pagePackageRevisions(request: PageQuery): Promise<{ items: PackageRevision[]; next?: string }> {
    const { rows, next } = await listRevisionsPage(this.db, (await this.pageRequest(request)).page);
    return { items: rows.map(toPackageRevision), ...(next ? { next } : {}) };
  }

  async getPackageRevision(request: { namespace?: string; name: string }): Promise<PackageRevision> {
    const r = parse(repositoryRefSchema, request);
    const rows = await listRevisions(this.db, { namespace: r.namespace, name: r.name });
    if (!rows[0]) throw notFound(`package revision "${r.name}" not found in namespace "${r.namespace}"`, { namespace: r.namespace, name: r.name });
    return toPackageRevision(rows[0]);
  }

  async readResources(request: {
    namespace?: string;
    name: string;
  }): Promise<{ revision: PackageRevision; resources: { path: string; content: Uint8Array }[] }> {
    const r = parse(repositoryRefSchema, request);
    const row = (await listRevisions(this.db, { namespace: r.namespace, name: r.name }))[0];
    if (!row) throw notFound(`package revision "${r.name}" not found in namespace "${r.namespace}"`, { namespace: r.namespace, name: r.name });
    return { revision: toPackageRevision(row), resources: await this.filesOf(row) };
  }

  /**
   * A revision's files: from the database, or, when a cleanup policy evicted
   * them, from the local clone (fetched first if it lacks the tree), put back
   * in the database for the next read. Every read is noted (in memory) as
   * the revision's last read.
   */
  /**
   * The files of a revision a new draft is made from. A revision whose tree
   * holds file names that are not UTF-8 lacks those files here (see
   * UNREADABLE_NAMES_ANNOTATION): a draft from it would drop or rename them
   * in Git, so it is refused, saying which files and what to do.
   */
  private async derivableFilesOf(row: RevisionRow, action: string): Promise<ResourceFile[]> {
    const unreadable = row.meta.annotations?.[UNREADABLE_NAMES_ANNOTATION];
    if (unreadable) {
      const names = (JSON.parse(unreadable) as string[]).map((n) => JSON.stringify(n)).join(', ');
      throw failedPrecondition(
        `cannot ${action} ${row.name}: its files ${names} have names that are not UTF-8 in Git, which Porchlight cannot keep as they are; ` +
          `a new revision made from it would rename or drop them. Rename them in Git (git mv) and sync first`,
        { name: row.name },
      );
    }
    // Paths no package file may have are never stored since issue 15; a revision synced before may still hold them.
    return (await this.filesOf(row)).filter((f) => !packageFilePathProblem(f.path));
  }

  async filesOf(row: RevisionRow): Promise<ResourceFile[]> {
    this.reads.note(row.repository_id, row.id);
    if (!row.resources_evicted || !row.tree_id) return readResources(this.db, row.repository_id, row.id);
    const repo = await this.repositoryOf(row.repository_id);
    const clone = cloneFor(this.sync, repo);
    const readTree = async () => {
      const reader = await openObjectReader(clone);
      try {
        return (await readPackageTrees(reader, [row.tree_id!])).get(row.tree_id!)!.files;
      } finally {
        reader.close();
      }
    };
    let files: ResourceFile[];
    try {
      files = await readTree();
    } catch {
      // Not in the clone (a new machine on a shared PostgreSQL, a clone removed by hand): fetch, then read.
      await fetchAll(clone, { http: this.sync.http, branch: repo.spec.git.branch, auth: await this.sync.credentials(repo) });
      files = await readTree();
    }
    await restoreEvicted(this.db, repo.id, row.id, files);
    // Read back from the database: the same order and bytes as any other read.
    return readResources(this.db, row.repository_id, row.id);
  }

  /**
   * What the revision was cloned or last upgraded from, for a diff: the
   * registered upstream revision's files when the cache has it (offline), else
   * the package read from Git at the upstreamLock's ref.
   */
  async upstreamResources(request: { namespace?: string; name: string }): Promise<{ source: string; files: ResourceFile[] }> {
    const r = parse(repositoryRefSchema, request);
    const row = (await listRevisions(this.db, { namespace: r.namespace, name: r.name }))[0];
    if (!row) throw notFound(`package revision "${r.name}" not found in namespace "${r.namespace}"`, { namespace: r.namespace, name: r.name });
    const upstream = await oldUpstreamOf(this.db, r.namespace, row);
    const registered = upstream && (await listRevisions(this.db, { namespace: r.namespace, name: upstream }))[0];
    if (registered) return { source: registered.name, files: await this.filesOf(registered) };
    const lock = row.upstream_lock?.git;
    if (!lock?.repo || !lock.ref) throw failedPrecondition(`${r.name} has no upstream: it was not cloned from another package`);
    const pkg = await readUpstreamPackage({
      http: this.sync.http,
      cacheDir: path.join(this.dataHome, 'upstreams'),
      url: lock.repo,
      ref: lock.ref,
      directory: lock.directory || '/',
      auth: await this.credentialsForUrl(r.namespace, lock.repo),
    });
    return { source: `${lock.repo} ${lock.directory || '/'}@${lock.ref}`, files: pkg.files };
  }

  /** A new package as a Draft, in the database only (Porch's init task); no Git traffic. */
  async initPackage(request: InitPackageRequest): Promise<PackageRevision> {
    const r = parse(initPackageSchema, request);
    const repo = await this.requireRepository(r.namespace, r.repository);
    const leaf = r.name.split('/').pop()!;
    const name = await createDraft(this.db, repo, {
      kind: 'init',
      packagePath: r.name,
      workspace: r.workspace,
      task: {
        type: 'init',
        init: {
          ...(r.description ? { description: r.description } : {}),
          ...(r.keywords ? { keywords: r.keywords } : {}),
          ...(r.site ? { site: r.site } : {}),
        },
      },
      files: initPackageFiles({ name: leaf, description: r.description, keywords: r.keywords, site: r.site }),
      updatedBy: this.updatedBy,
    });
    return this.getPackageRevision({ namespace: r.namespace, name });
  }

  /**
   * A new package from an upstream (Porch's clone task): a registered revision
   * (no Git traffic: its files are cached) or a package in any Git repository.
   * The Kptfile records upstream and upstreamLock as kpt writes them.
   */
  async clonePackage(request: ClonePackageRequest): Promise<PackageRevision> {
    const r = parse(clonePackageSchema, request);
    const repo = await this.requireRepository(r.namespace, r.repository);
    const upstream =
      r.source.kind === 'revision'
        ? await this.registeredUpstream(r.namespace, r.source.name)
        : r.source.kind === 'catalog'
          ? await this.registeredUpstream(
              r.namespace,
              (
                await this.resolveInCatalog({
                  namespace: r.namespace,
                  catalog: r.source.catalog,
                  packagePath: r.source.packagePath,
                  revision: r.source.revision,
                })
              ).revisionName,
            )
          : await this.gitUpstream(r.namespace, r.source);
    const kptfile = upstream.files.find((f) => f.path === 'Kptfile');
    if (!kptfile) throw failedPrecondition(`the upstream package has no Kptfile at its root, so it cannot be cloned`);
    const leaf = r.name.split('/').pop()!;
    let files = upstream.files.map((f) => (f === kptfile ? withUpstream(kptfile, leaf, upstream.lock) : f));
    if (repo.deployment) files = withDeploymentContext(files, leaf, r.name);
    const rendered = render(addMergeKeys(files));
    const name = await createDraft(this.db, repo, {
      kind: 'clone',
      packagePath: r.name,
      workspace: r.workspace,
      task: upstream.task,
      files: rendered.files,
      updatedBy: this.updatedBy,
    });
    return this.getPackageRevision({ namespace: r.namespace, name });
  }

  // ---- catalogs: ordered repositories a package path resolves in ----------

  /** The demo workspace (demo-workspace.ts); idempotent. */
  createDemo(request: { namespace?: string } = {}): Promise<DemoWorkspace> {
    return ensureDemoWorkspace(this, this.dataHome, parse(namespaceSchema.default('default'), request.namespace));
  }

  listCatalogs(request: ListCatalogsRequest = {}): Promise<Catalog[]> {
    return listCatalogs(this.db, request);
  }

  createCatalog(request: CreateCatalogRequest): Promise<Catalog> {
    return createCatalog(this.db, { ...request, updatedBy: this.updatedBy });
  }

  setCatalogRepositories(request: SetCatalogRepositoriesRequest): Promise<Catalog> {
    return setCatalogRepositories(this.db, { ...request, updatedBy: this.updatedBy });
  }

  deleteCatalog(request: CatalogRefRequest): Promise<void> {
    return deleteCatalog(this.db, request);
  }

  resolveInCatalog(request: ResolveInCatalogRequest): Promise<CatalogResolution> {
    return resolveInCatalog(this.db, request);
  }

  private async registeredUpstream(namespace: string, name: string) {
    const row = (await listRevisions(this.db, { namespace, name }))[0];
    if (!row) throw notFound(`failed to fetch package revision "${name}": cannot find package revision "${name}"`, { name });
    const pr = toPackageRevision(row);
    if (row.revision === -1) throw failedPrecondition(`upstream revision may not be the placeholder package revision ${row.repository_name}/${name}`);
    if (!pr.status.selfLock) {
      throw failedPrecondition(
        `upstream revision ${name} is a ${row.lifecycle} that exists only in Porchlight's database, so there is no commit to lock to; approve it first, or clone a published revision`,
      );
    }
    return {
      files: await this.derivableFilesOf(row, 'clone'),
      lock: pr.status.selfLock,
      task: { type: 'clone', clone: { upstreamRef: { upstreamRef: { name } } } },
    };
  }

  private async gitUpstream(namespace: string, source: Extract<ClonePackageRequest['source'], { kind: 'git' }>) {
    let auth =
      source.username !== undefined ? { username: source.username, password: source.password ?? '' } : await this.credentialsForUrl(namespace, source.repo);
    if (source.secretRef) {
      auth = await this.secretFor(namespace, source.secretRef, source.repo);
      if (!auth)
        throw notFound(
          `no credentials named "${source.secretRef}" in namespace "${namespace}"; registering a repository with --repo-basic-username stores them as "<repository>-auth"`,
        );
    }
    const directory = source.directory ?? '/';
    const pkg = await readUpstreamPackage({
      http: this.sync.http,
      cacheDir: path.join(this.dataHome, 'upstreams'),
      url: source.repo,
      ref: source.ref,
      directory,
      auth,
    });
    if (pkg.refusedPaths.length) {
      throw failedPrecondition(
        `cannot clone ${directory}@${source.ref} from ${redactUrl(source.repo)}: it holds ${pkg.refusedPaths.map((p) => JSON.stringify(p)).join(', ')}, paths no package file may have (Git's own directory ".git" in some spelling, or a path out of the package). ` +
          'Register the repository instead and clone its revision: Porchlight lists what it leaves out there, and the clone goes without them',
        { refusedPaths: pkg.refusedPaths },
      );
    }
    const lockDir = directory.replace(/^\/+|\/+$/g, '');
    return {
      files: pkg.files,
      lock: { type: 'git' as const, git: { repo: source.repo, directory: lockDir, ref: source.ref, commit: pkg.commit } },
      task: {
        type: 'clone',
        clone: { upstreamRef: { type: 'git', git: { repo: source.repo, ref: source.ref, directory, secretRef: { name: source.secretRef ?? '' } } } },
      },
    };
  }

  /** A secret for a request to `url`: only to the address it was registered for (credential-store.ts). */
  private secretFor(namespace: string, secretName: string | undefined, url: string) {
    const key = secretKey(namespace, secretName);
    if (!key) return Promise.resolve(undefined);
    const owner = async () => (await listRepositories(this.db, namespace)).find((r) => r.spec.git.secretRef?.name === secretName)?.spec.git.repo;
    return this.credentials.getFor(key, url, owner);
  }

  /** A URL that is also a registered repository's uses that repository's credentials. */
  private async credentialsForUrl(namespace: string, url: string) {
    const bare = (u: string) => u.replace(/\.git$/, '').replace(/\/+$/, '');
    const repo = (await listRepositories(this.db, namespace)).find((r) => bare(r.spec.git.repo) === bare(url));
    return repo ? this.sync.credentials(repo) : undefined;
  }

  /**
   * A new revision of a package from one of its published revisions (Porch's
   * edit task, porchctl's copy): the files as they are, a new workspace.
   */
  async copyPackage(request: CopyPackageRequest): Promise<PackageRevision> {
    const r = parse(copyPackageSchema, request);
    const row = (await listRevisions(this.db, { namespace: r.namespace, name: r.source }))[0];
    if (!row)
      throw notFound(`failed to fetch package "${r.source}": package revision "${r.source}" not found in namespace "${r.namespace}"`, { name: r.source });
    if (row.revision === -1) throw failedPrecondition(`source revision may not be the placeholder package revision ${row.repository_name}/${r.source}`);
    if (row.lifecycle !== 'Published' && row.lifecycle !== 'DeletionProposed')
      throw failedPrecondition('source revision must be published', { lifecycle: row.lifecycle });
    const repo = await this.repositoryOf(row.repository_id);
    const files = render(await this.derivableFilesOf(row, 'copy')).files;
    const name = await createDraft(this.db, repo, {
      kind: 'edit',
      packagePath: row.package_path,
      workspace: r.workspace,
      task: { type: 'edit', edit: { sourceRef: { name: r.source } } },
      files,
      updatedBy: this.updatedBy,
    });
    return this.getPackageRevision({ namespace: r.namespace, name });
  }

  /**
   * A new draft that moves a cloned package to a newer upstream revision
   * (Porch's upgrade task), merged with the chosen strategy. The database
   * holds all three packages, so this works offline.
   */
  async upgradePackage(request: { namespace?: string; source: string; workspace: string; revision?: number; strategy?: string }): Promise<PackageRevision> {
    const namespace = parse(namespaceSchema.default('default'), request.namespace);
    const workspace = parse(initPackageSchema.shape.workspace, request.workspace);
    const plan = await planUpgrade(this.db, { namespace, source: request.source, revision: request.revision, strategy: request.strategy });
    const lock = toPackageRevision(plan.newUpstream).status.selfLock;
    if (!lock) throw failedPrecondition(`upstream revision ${plan.newUpstream.name} has no commit in Git to lock to`);
    const merged = upgradeFiles(plan.strategy, await threePackages(plan, (row) => this.derivableFilesOf(row, 'upgrade from')));
    const kptfile = merged.find((f) => f.path === 'Kptfile');
    if (!kptfile) throw failedPrecondition(`failed to apply upstream lock to package "${plan.local.package_path}": package is missing Kptfile`);
    const leaf = plan.local.package_path.split('/').pop()!;
    const files = render(addMergeKeys(merged.map((f) => (f === kptfile ? withUpstream(kptfile, leaf, lock) : f)))).files;
    const repo = await this.repositoryOf(plan.local.repository_id);
    const name = await createDraft(this.db, repo, {
      kind: 'upgrade',
      packagePath: plan.local.package_path,
      workspace,
      task: upgradeTask(plan),
      files,
      updatedBy: this.updatedBy,
    });
    return this.getPackageRevision({ namespace, name });
  }

  /** Which packages can move to a newer upstream (`upstream`), or which downstreams a revision can move (`downstream`). */
  async discoverUpgrades(request: { namespace?: string; allNamespaces?: boolean; mode: 'upstream' | 'downstream'; names?: string[] }): Promise<string[][]> {
    const namespace = request.allNamespaces ? undefined : parse(namespaceSchema.default('default'), request.namespace);
    return request.mode === 'upstream'
      ? discoverUpstream(this.db, namespace, request.names ?? [])
      : discoverDownstream(this.db, namespace, request.names ?? []);
  }

  /**
   * Writes a draft's files (Porch's PackageRevisionResources update). Only
   * Drafts accept resources; the resource version the caller last read must
   * still be current, or nothing is written.
   */
  async updateResources(request: UpdateResourcesRequest): Promise<{ revision: PackageRevision; render: RenderOutcome | undefined }> {
    const r = parse(updateResourcesSchema, request);
    const rev = await requireLiveRevision(this.db, r.namespace, r.name);
    if (rev.lifecycle !== 'Draft') {
      throw failedPrecondition(`cannot update resources of ${r.name}: only Draft package revisions can be modified, and it is ${rev.lifecycle}`, {
        name: r.name,
        lifecycle: rev.lifecycle,
      });
    }
    const expected = Number(r.resourceVersion);
    if (!Number.isSafeInteger(expected))
      throw invalidArgument(`resourceVersion "${r.resourceVersion}" is not one Porchlight gave out; pull the package revision again`);
    if (r.mode === 'replace' && !r.files.some((f) => f.path === 'Kptfile')) {
      throw invalidArgument(`the package must contain a Kptfile at its root; ${r.name} was not changed`);
    }
    const stale = new PorchlightError(
      'CONFLICT',
      `Operation cannot be fulfilled on packagerevisionresources.porch.kpt.dev "${r.name}": the object has been modified; please apply your changes to the latest version and try again`,
      { name: r.name },
    );
    if (expected !== rev.resource_version) throw stale;
    // Porch renders after every push of a whole package; a patch (an editor saving one file) is stored as it is.
    const rendered = r.mode === 'replace' ? render(r.files) : undefined;
    const files = rendered?.files ?? r.files;
    const written = await this.db.transaction((tx) =>
      writeDraftResources(tx, rev, expected, { files, remove: r.remove, replaceAll: r.mode === 'replace', updatedBy: this.updatedBy }),
    );
    if (written === undefined) throw stale;
    return { revision: await this.getPackageRevision({ namespace: r.namespace, name: r.name }), render: rendered };
  }

  /**
   * propose, reject, propose-delete and deleting drafts touch only the database,
   * as in Porch's DB cache; approving a proposal and deleting a published
   * revision write to Git first (approval.ts).
   */
  async changeLifecycle(request: { namespace?: string; name: string; verb: LifecycleVerb }, onProgress?: Progress): Promise<LifecycleOutcome> {
    const r = parse(repositoryRefSchema, request);
    const rev = await requireLiveRevision(this.db, r.namespace, r.name);
    await assertPublishable(this.db, rev, request.verb);
    if (request.verb === 'approve') {
      const pr = await this.getPackageRevision(r);
      const unmet = unmetReadinessGates(pr.spec.readinessGates ?? [], pr.status.conditions ?? []);
      if (unmet.length) throw failedPrecondition('readiness conditions not met', { name: r.name, unmet });
      if (rev.lifecycle === 'Proposed') {
        await approveRevision(this.sync, await this.repositoryOf(rev.repository_id), r.name, onProgress);
        return 'approved';
      }
    }
    if (request.verb === 'delete' && rev.lifecycle === 'DeletionProposed') {
      await assertDeletable(this.db, rev, r.namespace, r.name);
      await deletePublishedRevision(this.sync, await this.repositoryOf(rev.repository_id), r.name);
      await this.destroyMarked(rev.repository_id);
      return 'deleted';
    }
    const outcome = await applyLifecycleVerb(this.db, request.verb, r.namespace, r.name, this.updatedBy, rev);
    if (outcome === 'deleted') await this.destroyMarked(rev.repository_id);
    return outcome;
  }

  /** An approval to make when Git answers again: it waits on the proposal, in the database. */
  async queueApproval(request: { namespace?: string; name: string }): Promise<QueuedApproval[]> {
    const r = parse(repositoryRefSchema, request);
    const rev = await requireLiveRevision(this.db, r.namespace, r.name);
    if (rev.lifecycle !== 'Proposed') throw failedPrecondition(`only a Proposed revision can wait for approval; ${r.name} is ${rev.lifecycle}`);
    await assertPublishable(this.db, rev, 'approve');
    await setQueuedApproval(this.db, rev, { since: new Date().toISOString(), by: this.updatedBy });
    return this.queuedApprovals({ namespace: r.namespace });
  }

  async cancelQueuedApproval(request: { namespace?: string; name: string }): Promise<QueuedApproval[]> {
    const r = parse(repositoryRefSchema, request);
    const rev = await requireLiveRevision(this.db, r.namespace, r.name);
    await setQueuedApproval(this.db, rev, undefined);
    return this.queuedApprovals({ namespace: r.namespace });
  }

  queuedApprovals(request: { namespace?: string }): Promise<QueuedApproval[]> {
    return listQueuedApprovals(this.db, request.namespace);
  }

  /**
   * Tries every queued approval: approved ones leave the queue, ones Git
   * still cannot be reached for stay, and ones Git or a rule refused stay
   * with the reason until someone cancels them.
   */
  async drainApprovalQueue(): Promise<{ approved: string[]; waiting: string[] }> {
    const approved: string[] = [];
    const waiting: string[] = [];
    for (const q of await listQueuedApprovals(this.db)) {
      if (q.lastError && !q.lastError.startsWith('UNAVAILABLE')) {
        waiting.push(q.name);
        continue;
      }
      try {
        await this.changeLifecycle({ namespace: q.namespace, name: q.name, verb: 'approve' }, this.progressOf('publish', q.name));
        await setQueuedApproval(this.db, q, undefined);
        approved.push(q.name);
        this.emit({ type: 'git.reachable', reachable: true });
        this.emit({ type: 'revision.changed', name: q.name, namespace: q.namespace });
        this.emit({
          type: 'notification',
          level: 'info',
          source: 'approval',
          subject: q.name,
          message: `${q.name} approved: it waited in the queue until Git answered`,
        });
      } catch (e) {
        const err = e instanceof PorchlightError ? e : new PorchlightError('INTERNAL', String(e));
        await setQueuedApproval(this.db, q, { since: q.since, by: q.by, lastError: `${err.code}: ${err.message}` });
        waiting.push(q.name);
        // Git still away: that is what the queue is for, and the banner says it. Anything else stops the approval until someone looks.
        if (err.code === 'UNAVAILABLE') this.emit({ type: 'git.reachable', reachable: false });
        else
          this.emit({
            type: 'notification',
            level: 'error',
            source: 'approval',
            subject: q.name,
            message: `the queued approval of ${q.name} failed: ${err.message}; it stays in the queue until you cancel it`,
          });
      }
    }
    return { approved, waiting };
  }

  private async repositoryOf(id: number): Promise<RepositoryRow> {
    const row = await findRepositoryById(this.db, id);
    if (!row) throw notFound(`the repository of this package revision is no longer registered`);
    return row;
  }

  async close(): Promise<void> {
    if (this.queueTimer) clearInterval(this.queueTimer);
    if (this.policyTimer) clearInterval(this.policyTimer);
    this.syncManager.stop();
    await this.cleanupWorker.stop();
    await this.upkeep.stop();
    await this.migrationRunner.stop();
    await this.reads.flush(this.db).catch(() => {});
    await this.db.close();
  }
}

/**
 * Credentials written into the URL (http://user:token@host/...) move to the
 * credential store: the URL is stored in the database and shown in listings.
 */
function withCredentialsOutOfUrl<R extends { url: string; username?: string; password?: string }>(r: R): R {
  const url = new URL(r.url);
  if (!url.username && !url.password) return r;
  if (r.username !== undefined) {
    throw invalidArgument('credentials are given both in the URL and with --repo-basic-username; give them once, with the flags');
  }
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  return { ...r, url: url.toString(), username, password };
}

function syncTargetOf(r: RepositoryRow): SyncTarget {
  return { id: r.id, namespace: r.namespace, name: r.name, intervalSeconds: r.sync_interval_s, schedule: r.spec.sync?.schedule };
}

/** porchctl's check and wording for --sync-schedule. */
function checkCron(expression: string): void {
  try {
    if (expression.trim().split(/\s+/).length !== 5) throw new Error('expected exactly 5 fields, found ' + expression.trim().split(/\s+/).length);
    CronExpressionParser.parse(expression);
  } catch (e) {
    throw invalidArgument(`invalid sync-schedule cron expression: ${(e as Error).message}`);
  }
}

/** Credentials are per namespace, as Kubernetes secrets are. */
function secretKey(namespace: string, secretName: string | undefined): string | undefined {
  return secretName ? `${namespace}/${secretName}` : undefined;
}

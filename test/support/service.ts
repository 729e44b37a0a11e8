// A service for tests, opened as a host opens it (no background work until a
// test starts it) and reached the way every door reaches it: `call` goes
// through the dispatcher, which parses the request once. The conveniences
// below are named after the use cases the tests exercise, each one channel
// call, with package files as bytes instead of base64.
import type { AnswerOf, Channel, RequestOf, ServiceEvent } from '../../src-shared/contract.ts';
import type { SyncStats } from '../../src-shared/domain.ts';
import { PorchlightError } from '../../src-shared/errors.ts';
import type { Background } from '../../src-main/service/background.ts';
import { cleanupNow } from '../../src-main/service/cleanup.ts';
import { runCleanupPolicies } from '../../src-main/service/operations/cache.ts';
import { openService, type Service, type ServiceOptions } from '../../src-main/service/service.ts';
import { fromWire, toWire } from '../../src-main/service/wire-files.ts';

type Bytes = { path: string; content: Uint8Array };
type Progress = Extract<ServiceEvent, { type: 'progress' }>;

export type TestService = ReturnType<typeof openTestService>;

export function openTestService(opts: ServiceOptions & { onEvent?: (event: ServiceEvent) => void }) {
  const service: Service = openService(opts);
  if (opts.onEvent) service.onEvent(opts.onEvent);
  let background: Background | undefined;
  const call = <C extends Channel>(channel: C, request: RequestOf<C>): Promise<AnswerOf[C]> => service.call(channel, request);
  const withProgress = async <T>(repository: string, onProgress: ((p: Progress) => void) | undefined, fn: () => Promise<T>): Promise<T> => {
    const off = onProgress && service.onEvent((e) => e.type === 'progress' && e.operation === 'sync' && e.subject === repository && onProgress(e));
    try {
      return await fn();
    } finally {
      off?.();
    }
  };
  return {
    service,
    ctx: service.ctx,
    db: service.ctx.db,
    call,
    dispatch: service.dispatch,
    close: () => service.close(),

    /** What a long-lived host starts: schedules, the cleanup worker, upkeep, migrations, the approval queue. */
    async startBackgroundSync(): Promise<void> {
      background = await service.startBackground();
    },
    get syncManager(): Background['syncManager'] {
      if (!background) throw new Error('the background work was not started (startBackgroundSync)');
      return background.syncManager;
    },

    /** `onProgress` hears the first sync's progress events. */
    async registerRepository(r: RequestOf<'repositories.register'>, onProgress?: (p: Progress) => void) {
      const out = await withProgress(r.name, onProgress, () => call('repositories.register', r));
      const sync: SyncStats | PorchlightError = 'code' in out.sync ? new PorchlightError(out.sync.code, out.sync.message, out.sync.data) : out.sync;
      return { ...out, sync };
    },
    syncRepository: (r: RequestOf<'repositories.sync'>, onProgress?: (p: Progress) => void) =>
      withProgress(r.name, onProgress, () => call('repositories.sync', r)),
    unregisterRepository: (r: RequestOf<'repositories.unregister'>) => call('repositories.unregister', r),
    listRepositories: (r: RequestOf<'repositories.list'> = {}) => call('repositories.list', r),
    getRepository: (r: RequestOf<'repositories.get'>) => call('repositories.get', r),
    updateRepository: (r: RequestOf<'repositories.update'>) => call('repositories.update', r),

    listPackageRevisions: (r: RequestOf<'revisions.list'> = {}) => call('revisions.list', r),
    pagePackageRevisions: (r: RequestOf<'revisions.pageFull'>) => call('revisions.pageFull', r),
    pageRevisionSummaries: (r: RequestOf<'revisions.page'>) => call('revisions.page', r),
    getPackageRevision: (r: RequestOf<'revisions.get'>) => call('revisions.get', r),
    async readResources(r: RequestOf<'revisions.resources'>) {
      const { revision, files } = await call('revisions.resources', r);
      return { revision, resources: files.map(fromWire) };
    },
    /** revisions.save (mode patch), or revisions.push (mode replace, the default: the whole package, rendered). */
    async updateResources(r: { namespace?: string; name: string; resourceVersion: string; mode?: 'patch' | 'replace'; files: Bytes[]; remove?: string[] }) {
      const base = { namespace: r.namespace, name: r.name, resourceVersion: r.resourceVersion, files: r.files.map(toWire) };
      if (r.mode === 'patch') return { revision: await call('revisions.save', { ...base, remove: r.remove }), render: undefined };
      return call('revisions.push', base);
    },
    initPackage: (r: RequestOf<'revisions.init'>) => call('revisions.init', r),
    clonePackage: (r: RequestOf<'revisions.clone'>) => call('revisions.clone', r),
    copyPackage: (r: RequestOf<'revisions.copy'>) => call('revisions.copy', r),
    upgradePackage: (r: RequestOf<'revisions.upgrade'>) => call('revisions.upgrade', r),
    async changeLifecycle(r: RequestOf<'revisions.lifecycle'>) {
      return (await call('revisions.lifecycle', r)).outcome;
    },

    queueApproval: (r: RequestOf<'approvals.enqueue'>) => call('approvals.enqueue', r),
    cancelQueuedApproval: (r: RequestOf<'approvals.cancel'>) => call('approvals.cancel', r),
    queuedApprovals: (r: RequestOf<'approvals.list'> = {}) => call('approvals.list', r),
    drainApprovalQueue: () => call('approvals.retry', {}),

    cacheStats: (r: RequestOf<'cache.stats'> = {}) => call('cache.stats', r),
    setCleanupPolicy: (r: RequestOf<'cache.setPolicy'>) => call('cache.setPolicy', r),
    /** `now` moves the policy's clock, which no door can. */
    runCleanupPolicies: (r: { namespace?: string } = {}, now?: Date) =>
      now ? runCleanupPolicies(service.ctx, r.namespace, now) : call('cache.runPolicy', r.namespace ? { namespace: r.namespace } : { allNamespaces: true }),
    /** Writes the reads noted in memory as last-read times (a long-lived host does it every minute, and on close). */
    flushReadTimes: () => service.ctx.reads.flush(service.ctx.db),
    /** Deletes what is marked for destruction now, as a one-shot command does after an unregister. */
    cleanup: (repositoryId?: number) => cleanupNow(service.ctx, repositoryId),

    createCatalog: (r: RequestOf<'catalogs.create'>) => call('catalogs.create', r),
    setCatalogRepositories: (r: RequestOf<'catalogs.setRepositories'>) => call('catalogs.setRepositories', r),
    listCatalogs: (r: RequestOf<'catalogs.list'> = {}) => call('catalogs.list', r),
    resolveInCatalog: (r: RequestOf<'catalogs.resolve'>) => call('catalogs.resolve', r),
  };
}

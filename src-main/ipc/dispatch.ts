// One entry point for every front door that carries the contract (Electron
// IPC, browser mode): the channel must be one the contract names, the payload
// must pass its schema, and whatever happens the caller gets an Answer, never
// an exception: a window must not be able to crash the service with a payload.
import {
  CHANNELS,
  isChannel,
  progressEvent,
  type Answer,
  type AnswerOf,
  type Channel,
  type RequestOf,
  type ServiceEvent,
  type ServiceInfo,
  type WireFile,
} from '../../src-shared/contract.ts';
import { invalidArgument, isPorchlightError, type ErrorShape } from '../../src-shared/errors.ts';
import type { PorchlightService } from '../service/porchlight-service.ts';
import { testPostgres } from '../db/test-postgres.ts';
import { parse } from '../service/validate.ts';

const toWire = (f: { path: string; content: Uint8Array }): WireFile => ({ path: f.path, base64: Buffer.from(f.content).toString('base64') });
const fromWire = (f: WireFile) => ({ path: f.path, content: new Uint8Array(Buffer.from(f.base64, 'base64')) });

type Handlers = { [C in Channel]: (request: unknown) => Promise<AnswerOf[C]> };

/** What the service tells every window while it works. */
export type Emit = (event: ServiceEvent) => void;

/** The settings screen's door to what this process opened and what the next start opens. */
export interface SettingsDoor {
  info(): Promise<ServiceInfo>;
  setDatabase(choice: RequestOf<'settings.setDatabase'>): Promise<ServiceInfo>;
}

function handlers(service: PorchlightService, emit: Emit, settings: SettingsDoor): Handlers {
  const progress = (operation: 'sync' | 'publish', subject: string) => (p: { phase: string; loaded: number; total?: number }) =>
    emit(progressEvent(operation, subject, p));
  const req = <C extends Channel>(c: C, r: unknown) => parse(CHANNELS[c].request, r) as never;
  return {
    'repositories.list': (r) => service.listRepositories(req('repositories.list', r)),
    'repositories.register': async (r) => {
      const request = req('repositories.register', r) as RequestOf<'repositories.register'>;
      const { repository, sync, warnings } = await service.registerRepository(request, progress('sync', request.name));
      emit({ type: 'repository.status', repository });
      return { repository, sync: sync instanceof Error ? sync.toJSON() : sync, warnings };
    },
    'repositories.sync': async (r) => {
      const request = req('repositories.sync', r) as { namespace?: string; name: string };
      const stats = await service.syncRepository(request, progress('sync', request.name));
      emit({ type: 'repository.status', repository: await service.getRepository(request) });
      return stats;
    },
    'repositories.unregister': (r) => service.unregisterRepository(req('repositories.unregister', r)),
    'repositories.update': async (r) => {
      const repository = await service.updateRepository(req('repositories.update', r));
      emit({ type: 'repository.status', repository });
      return repository;
    },
    // Search happens in the database, on revisions.page.
    'revisions.list': (r) => service.listPackageRevisions(req('revisions.list', r)),
    'revisions.page': (r) => service.pageRevisionSummaries(req('revisions.page', r)),
    'revisions.get': (r) => service.getPackageRevision(req('revisions.get', r)),
    'revisions.resources': async (r) => {
      const { revision, resources } = await service.readResources(req('revisions.resources', r));
      return { revision, files: resources.map(toWire) };
    },
    'revisions.upstreamResources': async (r) => {
      const { source, files } = await service.upstreamResources(req('revisions.upstreamResources', r));
      return { source, files: files.map(toWire) };
    },
    'revisions.save': async (r) => {
      const s = req('revisions.save', r) as { namespace?: string; name: string; resourceVersion: string; files: WireFile[]; remove: string[] };
      const { revision } = await service.updateResources({
        namespace: s.namespace,
        name: s.name,
        resourceVersion: s.resourceVersion,
        mode: 'patch',
        files: s.files.map(fromWire),
        remove: s.remove,
      });
      emit({ type: 'revision.changed', name: s.name, namespace: revision.metadata.namespace });
      return revision;
    },
    'revisions.init': (r) => service.initPackage(req('revisions.init', r)),
    'revisions.clone': (r) => service.clonePackage(req('revisions.clone', r)),
    'revisions.copy': (r) => service.copyPackage(req('revisions.copy', r)),
    'revisions.upgrade': (r) => service.upgradePackage(req('revisions.upgrade', r)),
    'revisions.lifecycle': async (r) => {
      const l = req('revisions.lifecycle', r) as { namespace?: string; name: string; verb: 'propose' | 'reject' | 'approve' | 'propose-delete' | 'delete' };
      const outcome = await service.changeLifecycle(l, progress('publish', l.name));
      emit({ type: 'revision.changed', name: l.name, namespace: l.namespace ?? 'default' });
      const revision = outcome === 'deleted' ? undefined : await service.getPackageRevision({ namespace: l.namespace, name: l.name });
      return { outcome, ...(revision ? { revision } : {}) };
    },
    'settings.get': async (r) => {
      req('settings.get', r);
      return settings.info();
    },
    'settings.setDatabase': async (r) => settings.setDatabase(req('settings.setDatabase', r)),
    'settings.testDatabase': async (r) => {
      const { url } = req('settings.testDatabase', r) as { url: string };
      return testPostgres(url, { dataHome: (await settings.info()).dataHome });
    },
    'approvals.list': async (r) => (await service.queuedApprovals(req('approvals.list', r))).map(view),
    'approvals.enqueue': async (r) => (await service.queueApproval(req('approvals.enqueue', r))).map(view),
    'approvals.cancel': async (r) => (await service.cancelQueuedApproval(req('approvals.cancel', r))).map(view),
    'catalogs.list': (r) => service.listCatalogs(req('catalogs.list', r)),
    'catalogs.create': (r) => service.createCatalog(req('catalogs.create', r)),
    'catalogs.setRepositories': (r) => service.setCatalogRepositories(req('catalogs.setRepositories', r)),
    'catalogs.delete': async (r) => {
      const ref = req('catalogs.delete', r) as { name: string };
      await service.deleteCatalog(ref);
      return { deleted: ref.name };
    },
    'catalogs.resolve': (r) => service.resolveInCatalog(req('catalogs.resolve', r)),
    'cache.stats': (r) => service.cacheStats(req('cache.stats', r)),
    'demo.create': (r) => service.createDemo(req('demo.create', r)),
    'database.backgroundMigrations': (r) => {
      req('database.backgroundMigrations', r);
      return service.backgroundMigrations();
    },
    'cache.setPolicy': (r) => service.setCleanupPolicy(req('cache.setPolicy', r)),
    'cache.runPolicy': async (r) => {
      const { namespace } = req('cache.runPolicy', r) as { namespace?: string };
      return service.runCleanupPolicies({ namespace: namespace ?? 'default' });
    },
    'approvals.retry': async (r) => {
      req('approvals.retry', r);
      return service.drainApprovalQueue();
    },
  };
}

const view = (q: { namespace: string; name: string; since: string; by: string; lastError?: string }) => ({
  namespace: q.namespace,
  name: q.name,
  since: q.since,
  by: q.by,
  ...(q.lastError ? { lastError: q.lastError } : {}),
});

export function errorShape(e: unknown): ErrorShape {
  if (isPorchlightError(e)) return e.toJSON();
  if (e instanceof Error) return { code: 'INTERNAL', message: e.message };
  try {
    return { code: 'INTERNAL', message: String(e) };
  } catch {
    // A thrown object without a string form (Object.create(null)) must still become an answer.
    return { code: 'INTERNAL', message: `an unexpected ${typeof e} was thrown` };
  }
}

/** A channel as an error message may quote it: short, and whatever was sent. */
const describeChannel = (channel: unknown) =>
  typeof channel === 'string' ? JSON.stringify(channel.slice(0, 100)) : `of type ${channel === null ? 'null' : typeof channel}`;

export type Dispatch = (channel: unknown, payload: unknown) => Promise<Answer<unknown>>;

const fixedSettings = (info: ServiceInfo): SettingsDoor => ({
  info: async () => info,
  setDatabase: async () => {
    throw invalidArgument('this front door cannot change the database; start Porchlight with --db instead');
  },
});

export function createDispatcher(
  service: PorchlightService,
  emit: Emit = () => {},
  settings: SettingsDoor = fixedSettings({ dataHome: '', database: { kind: service.db.kind, location: '' } }),
): Dispatch {
  const table = handlers(service, emit, settings);
  return async (channel, payload) => {
    try {
      if (!isChannel(channel)) throw invalidArgument(`unknown channel ${describeChannel(channel)}; the contract (src-shared/contract.ts) lists the valid ones`);
      return { ok: true, value: await table[channel](payload ?? {}) };
    } catch (e) {
      return { ok: false, error: errorShape(e) };
    }
  };
}

// One entry point for every front door that carries the contract (Electron
// IPC, browser mode): the channel must be one the contract names, the payload
// must pass its schema, and whatever happens the caller gets an Answer, never
// an exception: a window must not be able to crash the service with a payload.
import { CHANNELS, isChannel, type Answer, type AnswerOf, type Channel, type RequestOf, type ServiceEvent, type ServiceInfo, type WireFile } from '../../src-shared/contract.ts';
import { invalidArgument, isPorchlightError, type ErrorShape } from '../../src-shared/errors.ts';
import type { PorchlightService } from '../service/porchlight-service.ts';
import { testPostgres } from '../db/test-postgres.ts';
import { parse } from '../service/validate.ts';

const toWire = (f: { path: string; content: Uint8Array }): WireFile => ({ path: f.path, base64: Buffer.from(f.content).toString('base64') });
const fromWire = (f: WireFile) => ({ path: f.path, content: new Uint8Array(Buffer.from(f.base64, 'base64')) });

type Handlers = { [C in Channel]: (request: unknown) => Promise<AnswerOf[C]> };

/** What the service tells every window while it works. */
export type Emit = (event: ServiceEvent) => void;

function handlers(service: PorchlightService, emit: Emit, info: ServiceInfo): Handlers {
  const progress = (repository: string) => (p: { phase: string; loaded: number; total?: number }) =>
    emit({ type: 'sync.progress', repository, phase: p.phase, loaded: p.loaded, ...(p.total ? { total: p.total } : {}) });
  const req = <C extends Channel>(c: C, r: unknown) => parse(CHANNELS[c].request, r) as never;
  return {
    'repositories.list': (r) => service.listRepositories(req('repositories.list', r)),
    'repositories.register': async (r) => {
      const request = req('repositories.register', r) as RequestOf<'repositories.register'>;
      const { repository, sync } = await service.registerRepository(request, progress(request.name));
      emit({ type: 'repository.status', repository });
      return { repository, sync: sync instanceof Error ? sync.toJSON() : sync };
    },
    'repositories.sync': async (r) => {
      const request = req('repositories.sync', r) as { namespace?: string; name: string };
      const stats = await service.syncRepository(request, progress(request.name));
      emit({ type: 'repository.status', repository: await service.getRepository(request) });
      return stats;
    },
    'repositories.unregister': (r) => service.unregisterRepository(req('repositories.unregister', r)),
    // Search happens in the database, on revisions.page.
    'revisions.list': (r) => service.listPackageRevisions(req('revisions.list', r)),
    'revisions.page': (r) => service.pagePackageRevisions(req('revisions.page', r)),
    'revisions.get': (r) => service.getPackageRevision(req('revisions.get', r)),
    'revisions.resources': async (r) => {
      const { revision, resources } = await service.readResources(req('revisions.resources', r));
      return { revision, files: resources.map(toWire) };
    },
    'revisions.save': async (r) => {
      const s = req('revisions.save', r) as { namespace?: string; name: string; resourceVersion: string; files: WireFile[]; remove: string[] };
      const { revision } = await service.updateResources({ namespace: s.namespace, name: s.name, resourceVersion: s.resourceVersion, mode: 'patch', files: s.files.map(fromWire), remove: s.remove });
      emit({ type: 'revision.changed', name: s.name, namespace: revision.metadata.namespace });
      return revision;
    },
    'revisions.init': (r) => service.initPackage(req('revisions.init', r)),
    'revisions.clone': (r) => service.clonePackage(req('revisions.clone', r)),
    'revisions.copy': (r) => service.copyPackage(req('revisions.copy', r)),
    'revisions.upgrade': (r) => service.upgradePackage(req('revisions.upgrade', r)),
    'revisions.lifecycle': async (r) => {
      const l = req('revisions.lifecycle', r) as { namespace?: string; name: string; verb: 'propose' | 'reject' | 'approve' | 'propose-delete' | 'delete' };
      const outcome = await service.changeLifecycle(l);
      emit({ type: 'revision.changed', name: l.name, namespace: l.namespace ?? 'default' });
      const revision = outcome === 'deleted' ? undefined : await service.getPackageRevision({ namespace: l.namespace, name: l.name });
      return { outcome, ...(revision ? { revision } : {}) };
    },
    'settings.get': async (r) => {
      req('settings.get', r);
      return info;
    },
    'settings.testDatabase': async (r) => {
      const { url } = req('settings.testDatabase', r) as { url: string };
      return testPostgres(url);
    },
    'approvals.list': async (r) => (await service.queuedApprovals(req('approvals.list', r))).map(view),
    'approvals.enqueue': async (r) => (await service.queueApproval(req('approvals.enqueue', r))).map(view),
    'approvals.cancel': async (r) => (await service.cancelQueuedApproval(req('approvals.cancel', r))).map(view),
    'approvals.retry': async (r) => {
      req('approvals.retry', r);
      const out = await service.drainApprovalQueue();
      for (const name of out.approved) emit({ type: 'revision.changed', name, namespace: 'default' });
      return out;
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
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

export type Dispatch = (channel: unknown, payload: unknown) => Promise<Answer<unknown>>;

export function createDispatcher(service: PorchlightService, emit: Emit = () => {}, info: ServiceInfo = { dataHome: '', database: { kind: service.db.kind, location: '' } }): Dispatch {
  const table = handlers(service, emit, info);
  return async (channel, payload) => {
    try {
      if (!isChannel(channel)) throw invalidArgument(`unknown channel ${JSON.stringify(channel)}; the contract (src-shared/contract.ts) lists the valid ones`);
      return { ok: true, value: await table[channel](payload ?? {}) };
    } catch (e) {
      return { ok: false, error: errorShape(e) };
    }
  };
}

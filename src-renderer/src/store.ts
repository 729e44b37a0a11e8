// The window's state: what it shows and what it is waiting for. Every change
// to the service goes through api.call; the store keeps the last answers.
import { create } from 'zustand';
import type { PackageRevision, Repository } from '../../src-shared/domain.ts';
import type { QueuedApprovalView, RequestOf } from '../../src-shared/contract.ts';
import { ApiError, call, decode, encode } from './api.ts';

export interface OpenFile {
  path: string;
  text: string;
}

export type QueuedApproval = QueuedApprovalView;

type View = 'repositories' | 'packages' | 'revision' | 'settings';

interface State {
  view: View;
  namespace: string;
  repositories: Repository[];
  revisions: PackageRevision[];
  /** Cursor of the next page of `revisions`, when there is one. */
  next?: string;
  /** The other revisions of the open revision's package, for the diff. */
  siblings: PackageRevision[];
  search: string;
  lifecycle: string;
  latestOnly: boolean;
  revision?: PackageRevision;
  files: OpenFile[];
  activeFile?: string;
  saving: boolean;
  notice?: { kind: 'error' | 'info'; text: string };
  gitOffline: boolean;
  queue: QueuedApproval[];
  progress?: string;
  show(view: View): void;
  notify(kind: 'error' | 'info', text: string): void;
  loadRepositories(): Promise<void>;
  register(r: RequestOf<'repositories.register'>): Promise<void>;
  sync(name: string): Promise<void>;
  unregister(name: string, force: boolean): Promise<number | undefined>;
  loadRevisions(): Promise<void>;
  loadMore(): Promise<void>;
  setSearch(search: string): void;
  setFilter(lifecycle: string, latestOnly: boolean): void;
  open(name: string): Promise<void>;
  select(path: string): void;
  save(path: string, text: string): Promise<void>;
  addFile(path: string): Promise<void>;
  removeFile(path: string): Promise<void>;
  renameFile(from: string, to: string): Promise<void>;
  lifecycleAction(verb: RequestOf<'revisions.lifecycle'>['verb']): Promise<void>;
  copy(workspace: string): Promise<void>;
  clone(into: { repository: string; name: string; workspace: string }): Promise<void>;
  upgrade(workspace: string): Promise<void>;
  loadQueue(): Promise<void>;
  retryQueue(): Promise<void>;
  cancelQueued(name: string): Promise<void>;
}

/**
 * Editors with typing not yet saved register how to save it now: a lifecycle
 * move (propose, new revision) first writes every pending edit, so what is
 * proposed is exactly what is on the screen.
 */
const flushers = new Set<() => Promise<void>>();
export function registerFlusher(flush: () => Promise<void>): () => void {
  flushers.add(flush);
  return () => flushers.delete(flush);
}
const flushEdits = () => Promise.all([...flushers].map((f) => f()));


/** Revisions per page of the list: keyset pages, so the thousandth page costs what the first does. */
const PAGE = 100;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const useStore = create<State>((set, get) => {
  /** Runs a service call; a failure becomes the notice, and Git being unreachable turns the banner on. */
  async function attempt<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      const value = await fn();
      return value;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'UNAVAILABLE') set({ gitOffline: true });
      get().notify('error', message(e));
      return undefined;
    }
  }
  const ns = () => get().namespace;

  return {
    view: 'packages',
    namespace: 'default',
    repositories: [],
    revisions: [],
    siblings: [],
    search: '',
    lifecycle: '',
    latestOnly: false,
    files: [],
    saving: false,
    gitOffline: false,
    queue: [],
    show: (view) => set({ view }),
    notify: (kind, text) => set({ notice: { kind, text } }),
    async loadRepositories() {
      const repositories = await attempt(() => call('repositories.list', { namespace: ns() }));
      if (repositories) set({ repositories });
    },
    async register(r) {
      set({ progress: `registering ${r.name}…` });
      const out = await attempt(() => call('repositories.register', r));
      set({ progress: undefined });
      if (!out) return;
      if ('code' in out.sync) get().notify('error', `registered ${r.name}, but its first sync failed: ${out.sync.message}`);
      else get().notify('info', `registered ${r.name}: ${out.sync.externalOnly} package revisions`);
      await Promise.all([get().loadRepositories(), get().loadRevisions()]);
    },
    async sync(name) {
      set({ progress: `syncing ${name}…` });
      const stats = await attempt(() => call('repositories.sync', { namespace: ns(), name }));
      set({ progress: undefined });
      if (stats) {
        set({ gitOffline: false });
        get().notify('info', `${name} synced: ${stats.externalOnly} new, ${stats.cachedOnly} removed`);
      }
      await Promise.all([get().loadRepositories(), get().loadRevisions()]);
    },
    async unregister(name, force) {
      try {
        const out = await call('repositories.unregister', { namespace: ns(), name, force });
        get().notify('info', `unregistered ${name}${out.draftsDestroyed ? `; ${out.draftsDestroyed} drafts destroyed` : ''}`);
        await Promise.all([get().loadRepositories(), get().loadRevisions()]);
        return undefined;
      } catch (e) {
        const drafts = e instanceof ApiError ? (e.shape.data?.drafts as number | undefined) : undefined;
        if (drafts) return drafts;
        get().notify('error', message(e));
        return undefined;
      }
    },
    async loadRevisions() {
      const { search, lifecycle, latestOnly } = get();
      const page = await attempt(() => call('revisions.page', { namespace: ns(), limit: PAGE, search: search || undefined, lifecycle: (lifecycle || undefined) as never, latestOnly }));
      if (page) set({ revisions: page.items, next: page.next });
    },
    async loadMore() {
      const { next, search, lifecycle, latestOnly } = get();
      if (!next) return;
      const page = await attempt(() => call('revisions.page', { namespace: ns(), limit: PAGE, after: next, search: search || undefined, lifecycle: (lifecycle || undefined) as never, latestOnly }));
      if (page) set({ revisions: [...get().revisions, ...page.items], next: page.next });
    },
    setSearch(search) {
      set({ search });
      void get().loadRevisions();
    },
    setFilter(lifecycle, latestOnly) {
      set({ lifecycle, latestOnly });
      void get().loadRevisions();
    },
    async open(name) {
      const out = await attempt(() => call('revisions.resources', { namespace: ns(), name }));
      if (!out) return;
      const files = out.files.map((f) => ({ path: f.path, text: decode(f.base64) }));
      const family = await attempt(() => call('revisions.list', { namespace: ns(), packageName: out.revision.spec.packageName }));
      const siblings = (family ?? []).filter((r) => r.spec.repository === out.revision.spec.repository && r.metadata.name !== name);
      const current = get().activeFile;
      set({
        view: 'revision',
        revision: out.revision,
        siblings,
        files,
        activeFile: files.some((f) => f.path === current) && get().revision?.metadata.name === name ? current : (files.find((f) => f.path === 'Kptfile')?.path ?? files[0]?.path),
      });
    },
    select: (path) => set({ activeFile: path }),
    async save(path, text) {
      const rev = get().revision;
      if (!rev || rev.spec.lifecycle !== 'Draft') return;
      set({ saving: true, files: get().files.map((f) => (f.path === path ? { ...f, text } : f)) });
      const saved = await attempt(() =>
        call('revisions.save', { namespace: ns(), name: rev.metadata.name, resourceVersion: rev.metadata.resourceVersion!, files: [{ path, base64: encode(text) }] }),
      );
      set({ saving: false, ...(saved ? { revision: saved } : {}) });
    },
    async addFile(path) {
      if (get().files.some((f) => f.path === path)) return get().notify('error', `${path} exists already`);
      await get().save(path, '');
      set({ files: [...get().files.filter((f) => f.path !== path), { path, text: '' }], activeFile: path });
    },
    async removeFile(path) {
      const rev = get().revision;
      if (!rev) return;
      const saved = await attempt(() => call('revisions.save', { namespace: ns(), name: rev.metadata.name, resourceVersion: rev.metadata.resourceVersion!, remove: [path] }));
      if (saved) set({ revision: saved, files: get().files.filter((f) => f.path !== path), activeFile: undefined });
    },
    async renameFile(from, to) {
      const rev = get().revision;
      const file = get().files.find((f) => f.path === from);
      if (!rev || !file) return;
      const saved = await attempt(() =>
        call('revisions.save', { namespace: ns(), name: rev.metadata.name, resourceVersion: rev.metadata.resourceVersion!, files: [{ path: to, base64: encode(file.text) }], remove: [from] }),
      );
      if (saved) set({ revision: saved, files: get().files.map((f) => (f.path === from ? { ...f, path: to } : f)), activeFile: to });
    },
    async lifecycleAction(verb) {
      await flushEdits();
      const rev = get().revision;
      if (!rev) return;
      try {
        const out = await call('revisions.lifecycle', { namespace: ns(), name: rev.metadata.name, verb });
        set({ gitOffline: false });
        get().notify('info', `${rev.metadata.name} ${out.outcome}`);
        if (out.revision) set({ revision: out.revision });
        else set({ view: 'packages', revision: undefined });
        await get().loadRevisions();
      } catch (e) {
        if (verb === 'approve' && e instanceof ApiError && e.code === 'UNAVAILABLE') {
          // Offline: the approval waits on the proposal in the database and goes out when Git answers.
          const queue = await attempt(() => call('approvals.enqueue', { namespace: ns(), name: rev.metadata.name }));
          if (queue) set({ queue, gitOffline: true });
          get().notify('info', `Git is unreachable: the approval of ${rev.metadata.name} is queued and goes out when Git answers`);
          return;
        }
        get().notify('error', message(e));
      }
    },
    async copy(workspace) {
      await flushEdits();
      const rev = get().revision;
      if (!rev) return;
      const created = await attempt(() => call('revisions.copy', { namespace: ns(), source: rev.metadata.name, workspace }));
      if (created) {
        await get().loadRevisions();
        await get().open(created.metadata.name);
      }
    },
    async clone(into) {
      await flushEdits();
      const rev = get().revision;
      if (!rev) return;
      const created = await attempt(() => call('revisions.clone', { namespace: ns(), repository: into.repository, name: into.name, workspace: into.workspace, source: { kind: 'revision', name: rev.metadata.name } }));
      if (created) {
        await get().loadRevisions();
        await get().open(created.metadata.name);
      }
    },
    async upgrade(workspace) {
      const rev = get().revision;
      if (!rev) return;
      const created = await attempt(() => call('revisions.upgrade', { namespace: ns(), source: rev.metadata.name, workspace }));
      if (created) {
        get().notify('info', `${rev.metadata.name} upgraded to ${created.metadata.name}`);
        await get().loadRevisions();
        await get().open(created.metadata.name);
      }
    },
    async loadQueue() {
      const queue = await attempt(() => call('approvals.list', { namespace: ns() }));
      if (queue) set({ queue });
    },
    async retryQueue() {
      const out = await attempt(() => call('approvals.retry', {}));
      if (!out) return;
      await get().loadQueue();
      const stillOffline = get().queue.some((q) => q.lastError?.startsWith('UNAVAILABLE'));
      set({ gitOffline: stillOffline });
      for (const name of out.approved) get().notify('info', `${name} approved (it was queued while Git was unreachable)`);
      if (out.approved.length) {
        await get().loadRevisions();
        const open = get().revision?.metadata.name;
        if (open && out.approved.includes(open)) await get().open(open);
      }
    },
    async cancelQueued(name) {
      const queue = await attempt(() => call('approvals.cancel', { namespace: ns(), name }));
      if (queue) set({ queue });
    },
  };
});

// The window's state: what it shows and what it is waiting for. Every change
// to the service goes through api.call; the store keeps the last answers.
import { create } from 'zustand';
import type { PackageRevision, Repository, RevisionSummary } from '../../src-shared/domain.ts';
import type { QueuedApprovalView, RequestOf, ServiceEvent } from '../../src-shared/contract.ts';
import { ApiError, call, decode, encode } from './api.ts';
import { checkPackage, packageProblemsMessage } from '../../src-shared/package-check.ts';
import { DEFAULT_NAMESPACE } from '../../src-shared/names.ts';

export interface OpenFile {
  path: string;
  text: string;
}

export type QueuedApproval = QueuedApprovalView;

type View = 'repositories' | 'packages' | 'revision' | 'settings';

/** A notification: info goes away by itself, an error stays until closed. */
export interface Toast {
  id: number;
  level: 'info' | 'warning' | 'error';
  text: string;
}

/** A long operation under way, for its progress bar. */
export interface Running {
  operation: 'sync' | 'publish';
  subject: string;
  phase: string;
  loaded: number;
  total?: number;
}

export const runningKey = (operation: Running['operation'], subject: string) => `${operation}:${subject}`;

interface State {
  view: View;
  namespace: string;
  repositories: Repository[];
  revisions: RevisionSummary[];
  /** Cursor of the next page of `revisions`, when there is one. */
  next?: string;
  loadingMore: boolean;
  /** Something changed since a long list was read; it keeps its place until refreshed. */
  listStale: boolean;
  /** The other revisions of the open revision's package: its history, and what a diff compares with. */
  siblings: PackageRevision[];
  search: string;
  /** What the search box searches: package names and paths, or the paths of the files in packages. */
  searchIn: 'name' | 'file';
  lifecycle: string;
  latestOnly: boolean;
  /** Only this repository's revisions ('' for all). */
  repository: string;
  revision?: PackageRevision;
  files: OpenFile[];
  activeFile?: string;
  saving: boolean;
  toasts: Toast[];
  gitOffline: boolean;
  queue: QueuedApproval[];
  running: Record<string, Running>;
  show(view: View): void;
  setNamespace(namespace: string): void;
  notify(level: Toast['level'], text: string): void;
  dismiss(id: number): void;
  onEvent(e: ServiceEvent): void;
  loadRepositories(): Promise<void>;
  register(r: RequestOf<'repositories.register'>): Promise<boolean>;
  /** The demo workspace: made and registered (or found), then shown. */
  tryDemo(): Promise<void>;
  sync(name: string): Promise<void>;
  unregister(name: string, force: boolean): Promise<number | undefined>;
  updateSync(r: Omit<RequestOf<'repositories.update'>, 'namespace'>): Promise<boolean>;
  loadRevisions(): Promise<void>;
  loadMore(): Promise<void>;
  setSearch(search: string): void;
  setFilter(f: { lifecycle?: string; latestOnly?: boolean; repository?: string; searchIn?: 'name' | 'file' }): void;
  open(name: string): Promise<void>;
  select(path: string): void;
  save(path: string, text: string): Promise<void>;
  addFile(path: string): Promise<void>;
  removeFile(path: string): Promise<void>;
  renameFile(from: string, to: string): Promise<void>;
  lifecycleAction(verb: RequestOf<'revisions.lifecycle'>['verb']): Promise<void>;
  copy(workspace: string): Promise<void>;
  clone(request: Omit<RequestOf<'revisions.clone'>, 'namespace'>): Promise<boolean>;
  init(request: Omit<RequestOf<'revisions.init'>, 'namespace'>): Promise<boolean>;
  upgrade(request: { workspace: string; revision?: number; strategy?: string }): Promise<void>;
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
/** How long an info notification stays. */
const TOAST_MS = 6_000;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
let toastIds = 0;
/** Answers to an older query of the list are dropped: typing fast must not show a stale page. */
let listGeneration = 0;

export const useStore = create<State>((set, get) => {
  /** Runs a service call; a failure becomes a notification, and Git being unreachable turns the banner on. */
  async function attempt<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'UNAVAILABLE') set({ gitOffline: true });
      get().notify('error', message(e));
      return undefined;
    }
  }
  const ns = () => get().namespace;
  const stopRunning = (key: string) => {
    const { [key]: _done, ...rest } = get().running;
    set({ running: rest });
  };
  const pageQuery = () => {
    const { search, searchIn, lifecycle, latestOnly, repository } = get();
    const text = search || undefined;
    return {
      namespace: ns(),
      limit: PAGE,
      ...(searchIn === 'file' ? { filePath: text } : { search: text }),
      lifecycle: (lifecycle || undefined) as RequestOf<'revisions.page'>['lifecycle'],
      latestOnly,
      repository: repository || undefined,
    };
  };

  return {
    view: 'packages',
    namespace: DEFAULT_NAMESPACE,
    repositories: [],
    revisions: [],
    loadingMore: false,
    listStale: false,
    siblings: [],
    search: '',
    searchIn: 'name',
    lifecycle: '',
    latestOnly: false,
    repository: '',
    files: [],
    saving: false,
    toasts: [],
    gitOffline: false,
    queue: [],
    running: {},
    show: (view) => set({ view }),
    setNamespace(namespace) {
      set({ namespace, repository: '', revision: undefined, view: get().view === 'revision' ? 'packages' : get().view });
      void get().loadRepositories();
      void get().loadRevisions();
      void get().loadQueue();
    },
    notify(level, text) {
      const id = ++toastIds;
      // The same words twice in a row are one notification.
      set({ toasts: [...get().toasts.filter((t) => t.text !== text), { id, level, text }].slice(-5) });
      if (level === 'info') setTimeout(() => get().dismiss(id), TOAST_MS);
    },
    dismiss: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
    onEvent(e) {
      switch (e.type) {
        case 'progress': {
          const key = runningKey(e.operation, e.subject);
          set({ running: { ...get().running, [key]: { operation: e.operation, subject: e.subject, phase: e.phase, loaded: e.loaded, total: e.total } } });
          break;
        }
        case 'repository.status':
          stopRunning(runningKey('sync', e.repository.metadata.name));
          set({
            repositories: get().repositories.map((r) =>
              r.metadata.name === e.repository.metadata.name && r.metadata.namespace === e.repository.metadata.namespace ? e.repository : r,
            ),
          });
          break;
        case 'revision.changed':
          // A list of one page is simply read again; a longer one keeps its place and offers a refresh.
          if (get().revisions.length <= PAGE) void get().loadRevisions();
          else set({ listStale: true });
          break;
        case 'git.reachable':
          set({ gitOffline: !e.reachable });
          break;
        case 'notification':
          if (e.source === 'approval') {
            stopRunning(runningKey('publish', e.subject));
            void get().loadQueue();
            if (get().revision?.metadata.name === e.subject) void get().open(e.subject);
          }
          get().notify(e.level, e.message);
          break;
      }
    },
    async loadRepositories() {
      const repositories = await attempt(() => call('repositories.list', { namespace: ns() }));
      if (repositories) set({ repositories });
    },
    async register(r) {
      const key = runningKey('sync', r.name);
      set({ running: { ...get().running, [key]: { operation: 'sync', subject: r.name, phase: 'Registering', loaded: 0 } } });
      const out = await attempt(() => call('repositories.register', r));
      stopRunning(key);
      if (!out) return false;
      if ('code' in out.sync) get().notify('error', `registered ${r.name}, but its first sync failed: ${out.sync.message}`);
      else get().notify('info', `registered ${r.name}: ${out.sync.externalOnly} package revisions`);
      for (const w of out.warnings) get().notify('warning', w);
      await Promise.all([get().loadRepositories(), get().loadRevisions()]);
      return true;
    },
    async tryDemo() {
      const key = runningKey('sync', 'demo');
      set({ running: { ...get().running, [key]: { operation: 'sync', subject: 'the demo workspace', phase: 'Writing the demo repositories', loaded: 0 } } });
      const out = await attempt(() => call('demo.create', { namespace: ns() }));
      stopRunning(key);
      if (!out) return;
      get().notify(
        'info',
        out.created.length
          ? 'The demo workspace is ready: a blueprint catalog and a deployment repository with a draft (team-a) and a proposal (staging/web) waiting.'
          : 'The demo workspace was already set up.',
      );
      await Promise.all([get().loadRepositories(), get().loadRevisions()]);
      get().show('packages');
    },
    async sync(name) {
      const key = runningKey('sync', name);
      set({ running: { ...get().running, [key]: { operation: 'sync', subject: name, phase: 'Listing refs', loaded: 0 } } });
      const stats = await attempt(() => call('repositories.sync', { namespace: ns(), name }));
      stopRunning(key);
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
    async updateSync(r) {
      const updated = await attempt(() => call('repositories.update', { namespace: ns(), ...r }));
      if (!updated) return false;
      set({ repositories: get().repositories.map((x) => (x.metadata.name === updated.metadata.name ? updated : x)) });
      get().notify(
        'info',
        `${r.name}: sync ${updated.spec.sync?.schedule ? `on cron ${updated.spec.sync.schedule}` : updated.status.syncIntervalSeconds ? `every ${updated.status.syncIntervalSeconds} s` : 'on demand only'}`,
      );
      return true;
    },
    async loadRevisions() {
      const generation = ++listGeneration;
      const page = await attempt(() => call('revisions.page', pageQuery()));
      if (page && generation === listGeneration) set({ revisions: page.items, next: page.next, loadingMore: false, listStale: false });
    },
    async loadMore() {
      const { next, loadingMore } = get();
      if (!next || loadingMore) return;
      const generation = listGeneration;
      set({ loadingMore: true });
      const page = await attempt(() => call('revisions.page', { ...pageQuery(), after: next }));
      if (generation !== listGeneration) return;
      set({ loadingMore: false, ...(page ? { revisions: [...get().revisions, ...page.items], next: page.next } : {}) });
    },
    setSearch(search) {
      set({ search });
      void get().loadRevisions();
    },
    setFilter(f) {
      set(f);
      void get().loadRevisions();
    },
    async open(name) {
      const out = await attempt(() => call('revisions.resources', { namespace: ns(), name }));
      if (!out) return;
      const files = out.files.map((f) => ({ path: f.path, text: decode(f.base64) }));
      const family = await attempt(() => call('revisions.list', { namespace: ns(), packageName: out.revision.spec.packageName }));
      const siblings = (family ?? [])
        .filter((r) => r.spec.repository === out.revision.spec.repository && r.metadata.name !== name)
        .sort((a, b) => (b.spec.revision ?? 0) - (a.spec.revision ?? 0) || a.metadata.name.localeCompare(b.metadata.name));
      const current = get().activeFile;
      set({
        view: 'revision',
        revision: out.revision,
        siblings,
        files,
        activeFile:
          files.some((f) => f.path === current) && get().revision?.metadata.name === name
            ? current
            : (files.find((f) => f.path === 'Kptfile')?.path ?? files[0]?.path),
      });
    },
    select: (path) => set({ activeFile: path }),
    async save(path, text) {
      const rev = get().revision;
      // A file renamed or deleted meanwhile is not brought back by a late autosave.
      if (!rev || rev.spec.lifecycle !== 'Draft' || !get().files.some((f) => f.path === path)) return;
      set({ saving: true, files: get().files.map((f) => (f.path === path ? { ...f, text } : f)) });
      const saved = await attempt(() =>
        call('revisions.save', {
          namespace: ns(),
          name: rev.metadata.name,
          resourceVersion: rev.metadata.resourceVersion!,
          files: [{ path, base64: encode(text) }],
        }),
      );
      set({ saving: false, ...(saved ? { revision: saved } : {}) });
    },
    async addFile(path) {
      if (get().files.some((f) => f.path === path)) return get().notify('error', `${path} exists already; pick another name`);
      await flushEdits();
      const version = get().revision?.metadata.resourceVersion;
      set({ files: [...get().files, { path, text: '' }] });
      await get().save(path, '');
      // Refused (a bad name, say): the service said why, and the file is not shown as if it existed.
      if (get().revision?.metadata.resourceVersion === version) set({ files: get().files.filter((f) => f.path !== path) });
      else set({ activeFile: path });
    },
    async removeFile(path) {
      await flushEdits();
      const rev = get().revision;
      if (!rev) return;
      const saved = await attempt(() =>
        call('revisions.save', { namespace: ns(), name: rev.metadata.name, resourceVersion: rev.metadata.resourceVersion!, remove: [path] }),
      );
      if (saved) set({ revision: saved, files: get().files.filter((f) => f.path !== path), activeFile: undefined });
    },
    async renameFile(from, to) {
      await flushEdits();
      const rev = get().revision;
      const file = get().files.find((f) => f.path === from);
      if (!rev || !file) return;
      if (get().files.some((f) => f.path === to)) return get().notify('error', `${to} exists already; pick another name`);
      const saved = await attempt(() =>
        call('revisions.save', {
          namespace: ns(),
          name: rev.metadata.name,
          resourceVersion: rev.metadata.resourceVersion!,
          files: [{ path: to, base64: encode(file.text) }],
          remove: [from],
        }),
      );
      if (saved) set({ revision: saved, files: get().files.map((f) => (f.path === from ? { ...f, path: to } : f)), activeFile: to });
    },
    async lifecycleAction(verb) {
      await flushEdits();
      const rev = get().revision;
      if (!rev) return;
      // The service refuses the same; asking first spares a round trip and says it in the same words.
      const gate = verb === 'propose' || verb === 'approve' ? verb : undefined;
      const problems = gate ? checkPackage(get().files) : [];
      if (gate && problems.length) return get().notify('error', packageProblemsMessage(gate, rev.metadata.name, problems));
      const key = runningKey('publish', rev.metadata.name);
      if (verb === 'approve')
        set({ running: { ...get().running, [key]: { operation: 'publish', subject: rev.metadata.name, phase: 'Starting', loaded: 0, total: 4 } } });
      try {
        const out = await call('revisions.lifecycle', { namespace: ns(), name: rev.metadata.name, verb });
        if (verb === 'approve' || verb === 'delete') set({ gitOffline: false });
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
      } finally {
        stopRunning(key);
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
    async clone(request) {
      await flushEdits();
      const created = await attempt(() => call('revisions.clone', { namespace: ns(), ...request }));
      if (!created) return false;
      get().notify('info', `cloned into ${created.metadata.name}`);
      await get().loadRevisions();
      await get().open(created.metadata.name);
      return true;
    },
    async init(request) {
      const created = await attempt(() => call('revisions.init', { namespace: ns(), ...request }));
      if (!created) return false;
      get().notify('info', `created ${created.metadata.name}`);
      await get().loadRevisions();
      await get().open(created.metadata.name);
      return true;
    },
    async upgrade({ workspace, revision, strategy }) {
      const rev = get().revision;
      if (!rev) return;
      const created = await attempt(() => call('revisions.upgrade', { namespace: ns(), source: rev.metadata.name, workspace, revision, strategy }));
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

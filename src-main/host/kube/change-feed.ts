// What watches are fed from: the service's own events (revision.changed,
// repository.status), writes made through this door, and, while anyone
// watches, a periodic rescan of revision summaries (the service tells no door
// about creations, nor about changes made by another process on a shared
// PostgreSQL). Each change becomes ADDED / MODIFIED / DELETED against what the
// feed last saw, numbered, and kept in a ring so a watch can resume.
//
// A list's resourceVersion is this feed's number at the time of the list (the
// first list starts the tracking). A watch resumes from it only if every
// change since is still in the ring and the feed was tracking when they
// happened; otherwise it gets 410 Expired and the client lists again. The
// service's per-row resource versions are not comparable across rows, so
// nothing finer is promised; a change-feed channel with one sequence would be.
import type { PackageRevision, Repository, RevisionSummary } from '../../../src-shared/domain.ts';
import type { ServiceEvent } from '../../../src-shared/contract.ts';
import { isPorchlightError } from '../../../src-shared/errors.ts';
import type { ServiceClient } from './service-client.ts';

export type WatchedResource = 'packagerevisions' | 'repositories';
export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export type KubeObject = {
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
} & Record<string, unknown>;

export interface FeedEvent {
  seq: number;
  resource: WatchedResource;
  type: EventType;
  object: KubeObject;
}

export interface ChangeFeedOptions {
  /** How often a watched feed rescans what the service does not announce (ms). */
  resyncMs?: number;
  /** Changes kept for resuming watches. */
  capacity?: number;
  log?: (message: string) => void;
}

const LATEST_LABEL = 'kpt.dev/latest-revision';
const PAGE = 1000;

interface KnownRevision {
  namespace: string;
  repository: string;
  summary: string;
  rv: string;
  light: KubeObject;
}

/** The object a table row or a DELETED event needs, from a summary. */
export function lightRevision(namespace: string, s: RevisionSummary): KubeObject {
  return {
    apiVersion: 'porch.kpt.dev/v1alpha1',
    kind: 'PackageRevision',
    metadata: { name: s.name, namespace, ...(s.latest ? { labels: { [LATEST_LABEL]: 'true' } } : {}) },
    spec: {
      packageName: s.packageName,
      repository: s.repository,
      ...(s.revision !== 0 ? { revision: s.revision } : {}),
      workspaceName: s.workspaceName,
      lifecycle: s.lifecycle,
    },
  };
}

const summaryKey = (s: Pick<RevisionSummary, 'packageName' | 'workspaceName' | 'revision' | 'latest' | 'lifecycle' | 'repository'>) =>
  JSON.stringify([s.packageName, s.workspaceName, s.revision, s.latest, s.lifecycle, s.repository]);

function summaryOf(pr: PackageRevision): RevisionSummary {
  return {
    name: pr.metadata.name,
    packageName: pr.spec.packageName,
    workspaceName: pr.spec.workspaceName,
    revision: pr.spec.revision ?? 0,
    latest: pr.metadata.labels?.[LATEST_LABEL] === 'true',
    lifecycle: pr.spec.lifecycle,
    repository: pr.spec.repository,
  };
}

const isNotFound = (e: unknown) => isPorchlightError(e) && e.code === 'NOT_FOUND';

export class ChangeFeed {
  private readonly epoch = BigInt(Date.now()) * 1_000_000n;
  private seq = 0;
  /** Every change after this number is in the ring. */
  private oldestKnown = 0;
  private readonly ring: FeedEvent[] = [];
  private readonly listeners = new Set<(e: FeedEvent) => void>();
  private readonly revisions = new Map<string, KnownRevision>();
  private readonly repositories = new Map<string, Repository>();
  private tracking = false;
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  private timer?: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private readonly capacity: number;
  private readonly resyncMs: number;
  private readonly log: (m: string) => void;

  constructor(
    private readonly service: ServiceClient,
    opts: ChangeFeedOptions = {},
  ) {
    this.capacity = opts.capacity ?? 4096;
    this.resyncMs = opts.resyncMs ?? 5000;
    this.log = opts.log ?? (() => {});
    this.unsubscribe = service.onEvent((e) => this.onServiceEvent(e));
  }

  /** The resourceVersion of a list made now; from the first one on, the feed tracks changes, so a watch can resume from it. */
  rv(): string {
    this.track();
    return String(this.epoch + BigInt(this.seq));
  }

  private track(): void {
    if (this.tracking) return;
    this.tracking = true;
    void this.enqueue(() => this.resync(false));
  }

  /** The changes after `rv` that a watch must replay, or 'expired' when they are not all known. */
  since(rv: string): FeedEvent[] | 'expired' {
    let n: bigint;
    try {
      n = BigInt(rv) - this.epoch;
    } catch {
      return 'expired';
    }
    if (n < BigInt(this.oldestKnown) || n > BigInt(this.seq)) return 'expired';
    return this.ring.filter((e) => e.seq > Number(n));
  }

  /** Adds a watch's listener; resolves once the feed knows what exists (and, after a time nobody watched, what changed unannounced meanwhile). */
  async subscribe(listener: (e: FeedEvent) => void): Promise<() => void> {
    this.track();
    this.listeners.add(listener);
    if (!this.timer) {
      void this.enqueue(() => this.resync(true));
      this.timer = setInterval(() => {
        if (this.pending === 0) void this.enqueue(() => this.resync(true));
      }, this.resyncMs);
      this.timer.unref?.();
    }
    await this.queue;
    return () => {
      this.listeners.delete(listener);
      if (!this.listeners.size && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  /** A write made through this door: its effect reaches watches without waiting for the service to tell. */
  revisionChanged(namespace: string, name: string): Promise<void> {
    return this.enqueue(() => this.refreshRevision(namespace, name));
  }

  repositoryChanged(namespace: string, name: string, removed = false): Promise<void> {
    return this.enqueue(async () => {
      const key = `${namespace}/${name}`;
      if (removed) {
        const prev = this.repositories.get(key);
        if (prev) {
          this.repositories.delete(key);
          this.record('repositories', 'DELETED', prev as unknown as KubeObject);
        }
      } else {
        const repo = await this.service.call('repositories.get', { namespace, name }).catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e)));
        if (repo) this.noteRepository(repo);
      }
      await this.rescanRevisions(namespace, removed ? undefined : name);
    });
  }

  close(): void {
    this.unsubscribe();
    if (this.timer) clearInterval(this.timer);
    this.listeners.clear();
  }

  private onServiceEvent(e: ServiceEvent): void {
    if (e.type !== 'revision.changed' && e.type !== 'repository.status') return;
    if (!this.tracking) {
      // Not recorded: a watch resuming from before this must list again.
      this.oldestKnown = ++this.seq;
      return;
    }
    if (e.type === 'revision.changed') {
      void this.enqueue(() => (e.name ? this.refreshRevision(e.namespace, e.name) : this.rescanRevisions(e.namespace)));
    } else {
      const { namespace, name } = e.repository.metadata;
      void this.enqueue(async () => {
        this.noteRepository(e.repository);
        await this.rescanRevisions(namespace, name);
      });
    }
  }

  /** One job at a time, in arrival order; a failed job is logged and the next runs. */
  private enqueue(job: () => Promise<void>): Promise<void> {
    this.pending++;
    const run = this.queue.then(job).catch((e: unknown) => this.log(`watch feed: ${e instanceof Error ? e.message : String(e)}`));
    this.queue = run.finally(() => this.pending--);
    return this.queue;
  }

  private record(resource: WatchedResource, type: EventType, object: KubeObject): void {
    const event: FeedEvent = { seq: ++this.seq, resource, type, object };
    this.ring.push(event);
    if (this.ring.length > this.capacity) this.oldestKnown = this.ring.shift()!.seq;
    for (const l of this.listeners) l(event);
  }

  private noteRepository(repo: Repository): void {
    const key = `${repo.metadata.namespace}/${repo.metadata.name}`;
    const prev = this.repositories.get(key);
    if (prev && prev.metadata.resourceVersion === repo.metadata.resourceVersion) return;
    this.repositories.set(key, repo);
    this.record('repositories', prev ? 'MODIFIED' : 'ADDED', repo as unknown as KubeObject);
  }

  private noteRevision(pr: PackageRevision): void {
    const { namespace, name } = pr.metadata;
    const key = `${namespace}/${name}`;
    const prev = this.revisions.get(key);
    const s = summaryOf(pr);
    const summary = summaryKey(s);
    const rv = pr.metadata.resourceVersion ?? '';
    if (prev && prev.rv === rv && prev.summary === summary) return;
    this.revisions.set(key, { namespace, repository: s.repository, summary, rv, light: lightRevision(namespace, s) });
    this.record('packagerevisions', prev ? 'MODIFIED' : 'ADDED', pr as unknown as KubeObject);
  }

  private forgetRevision(key: string): void {
    const prev = this.revisions.get(key);
    if (!prev) return;
    this.revisions.delete(key);
    this.record('packagerevisions', 'DELETED', prev.light);
  }

  private async refreshRevision(namespace: string, name: string): Promise<void> {
    const pr = await this.service.call('revisions.get', { namespace, name }).catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e)));
    if (pr) this.noteRevision(pr);
    else this.forgetRevision(`${namespace}/${name}`);
  }

  /** A namespace's (or one repository's) summaries against what the feed knows: new, changed and gone revisions. */
  private async rescanRevisions(namespace: string, repository?: string): Promise<void> {
    const seen = new Set<string>();
    let after: string | undefined;
    do {
      const page = await this.service
        .call('revisions.page', { namespace, limit: PAGE, ...(after ? { after } : {}), ...(repository ? { repository } : {}) })
        .catch((e: unknown) => (isNotFound(e) ? { items: [] as RevisionSummary[], next: undefined } : Promise.reject(e)));
      for (const s of page.items) {
        const key = `${namespace}/${s.name}`;
        seen.add(key);
        const prev = this.revisions.get(key);
        if (prev?.summary === summaryKey(s)) continue;
        await this.refreshRevision(namespace, s.name);
      }
      after = page.next;
    } while (after);
    for (const [key, known] of this.revisions) {
      if (known.namespace === namespace && (!repository || known.repository === repository) && !seen.has(key)) this.forgetRevision(key);
    }
  }

  /** Everything again: repositories of every namespace, and each namespace's revisions. `announce` false fills the feed silently (its first look). */
  private async resync(announce: boolean): Promise<void> {
    const repos = await this.service.call('repositories.list', { allNamespaces: true });
    const namespaces = new Set(repos.map((r) => r.metadata.namespace));
    if (!announce) {
      for (const r of repos) this.repositories.set(`${r.metadata.namespace}/${r.metadata.name}`, r);
      for (const ns of namespaces) await this.fill(ns);
      return;
    }
    const present = new Set(repos.map((r) => `${r.metadata.namespace}/${r.metadata.name}`));
    for (const r of repos) this.noteRepository(r);
    for (const [key, r] of this.repositories) {
      if (!present.has(key)) {
        this.repositories.delete(key);
        this.record('repositories', 'DELETED', r as unknown as KubeObject);
      }
    }
    for (const known of this.revisions.values()) namespaces.add(known.namespace);
    for (const ns of namespaces) await this.rescanRevisions(ns);
  }

  /** What exists in a namespace, taken from summaries without events (resource versions are read when something changes). */
  private async fill(namespace: string): Promise<void> {
    let after: string | undefined;
    do {
      const page = await this.service.call('revisions.page', { namespace, limit: PAGE, ...(after ? { after } : {}) });
      for (const s of page.items) {
        this.revisions.set(`${namespace}/${s.name}`, {
          namespace,
          repository: s.repository,
          summary: summaryKey(s),
          rv: '',
          light: lightRevision(namespace, s),
        });
      }
      after = page.next;
    } while (after);
  }
}

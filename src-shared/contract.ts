// The contract between the window (or the browser page) and the service:
// every channel named once, `<area>.<verb>`, with the zod schema its request
// must pass and the type of its answer. Both front doors (Electron IPC and
// browser mode over HTTP) carry exactly these, and both validate on arrival.
import { z } from 'zod';
import type { PackageRevision, Repository, RevisionSummary, SyncStats } from './domain.ts';
import type { ErrorShape } from './errors.ts';
import {
  catalogRefSchema,
  createCatalogSchema,
  listCatalogsSchema,
  resolveInCatalogSchema,
  setCatalogRepositoriesSchema,
  type Catalog,
  type CatalogResolution,
} from './catalogs.ts';
import {
  clonePackageSchema,
  copyPackageSchema,
  initPackageSchema,
  listRevisionsSchema,
  registerRepositorySchema,
  repositoryRefSchema,
  unregisterRepositorySchema,
  updateRepositorySchema,
  setCleanupPolicySchema,
} from './requests.ts';

/** Resource contents cross the boundary as base64: JSON and structured clone both carry strings safely. */
const fileSchema = z.object({ path: z.string(), base64: z.string() });
export type WireFile = z.infer<typeof fileSchema>;

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//i, 'a PostgreSQL URL starts with postgres:// or postgresql://');

const revisionRef = z.object({ namespace: z.string().optional(), name: z.string().min(1) });

export const CHANNELS = {
  'repositories.list': { request: z.object({ namespace: z.string().optional(), allNamespaces: z.boolean().optional() }) },
  'repositories.register': { request: registerRepositorySchema },
  'repositories.sync': { request: repositoryRefSchema.extend({ force: z.boolean().optional() }) },
  'repositories.unregister': { request: unregisterRepositorySchema },
  'repositories.update': { request: updateRepositorySchema },
  'revisions.list': { request: listRevisionsSchema },
  'revisions.page': {
    request: z.object({
      namespace: z.string().optional(),
      after: z.string().optional(),
      limit: z.number().int().min(1).max(1000).optional(),
      search: z.string().max(200).optional(),
      /** Only revisions holding a file whose path contains this. */
      filePath: z.string().max(200).optional(),
      lifecycle: z.enum(['', 'Draft', 'Proposed', 'Published', 'DeletionProposed']).optional(),
      latestOnly: z.boolean().optional(),
      /** One repository's revisions (one partition), or every repository's. */
      repository: z.string().min(1).optional(),
    }),
  },
  'revisions.get': { request: revisionRef },
  'revisions.resources': { request: revisionRef },
  /** The files of the revision's upstream at its upstreamLock commit: a registered revision's, else read from Git. */
  'revisions.upstreamResources': { request: revisionRef },
  'revisions.save': {
    request: revisionRef.extend({
      resourceVersion: z.string().min(1),
      files: z.array(fileSchema).default([]),
      remove: z.array(z.string()).default([]),
    }),
  },
  'revisions.init': { request: initPackageSchema },
  'revisions.clone': { request: clonePackageSchema },
  'revisions.copy': { request: copyPackageSchema },
  'revisions.upgrade': {
    request: z.object({
      namespace: z.string().optional(),
      source: z.string().min(1),
      workspace: z.string().min(1),
      revision: z.number().int().optional(),
      strategy: z.string().optional(),
    }),
  },
  'revisions.lifecycle': { request: revisionRef.extend({ verb: z.enum(['propose', 'reject', 'approve', 'propose-delete', 'delete']) }) },
  'settings.get': { request: z.object({}) },
  'settings.testDatabase': { request: z.object({ url: postgresUrl }) },
  /** The database the next start opens (this one stays open until then). */
  'settings.setDatabase': {
    request: z.discriminatedUnion('kind', [z.object({ kind: z.literal('pglite') }), z.object({ kind: z.literal('postgres'), url: postgresUrl })]),
  },
  'approvals.list': { request: z.object({ namespace: z.string().optional() }) },
  'catalogs.list': { request: listCatalogsSchema },
  'catalogs.create': { request: createCatalogSchema },
  'catalogs.setRepositories': { request: setCatalogRepositoriesSchema },
  'catalogs.delete': { request: catalogRefSchema },
  'catalogs.resolve': { request: resolveInCatalogSchema },
  'cache.stats': { request: z.object({ namespace: z.string().optional() }) },
  'database.backgroundMigrations': { request: z.object({}) },
  /** The demo workspace: made, registered, or left as it is when already there. */
  'demo.create': { request: z.object({ namespace: z.string().optional() }) },
  'cache.setPolicy': { request: setCleanupPolicySchema },
  /** Runs the namespace's cleanup policy now. */
  'cache.runPolicy': { request: z.object({ namespace: z.string().optional() }) },
  'approvals.enqueue': { request: revisionRef },
  'approvals.cancel': { request: revisionRef },
  'approvals.retry': { request: z.object({}) },
} as const;

export type Channel = keyof typeof CHANNELS;
export type RequestOf<C extends Channel> = z.input<(typeof CHANNELS)[C]['request']>;

export interface AnswerOf {
  'repositories.list': Repository[];
  'repositories.register': { repository: Repository; sync: SyncStats | ErrorShape; warnings: string[] };
  'repositories.sync': SyncStats;
  'repositories.unregister': { draftsDestroyed: number };
  'repositories.update': Repository;
  'revisions.list': PackageRevision[];
  'revisions.page': { items: RevisionSummary[]; next?: string };
  'revisions.get': PackageRevision;
  'revisions.resources': { revision: PackageRevision; files: WireFile[] };
  'revisions.upstreamResources': { source: string; files: WireFile[] };
  'revisions.save': PackageRevision;
  'revisions.init': PackageRevision;
  'revisions.clone': PackageRevision;
  'revisions.copy': PackageRevision;
  'revisions.upgrade': PackageRevision;
  'revisions.lifecycle': { outcome: string; revision?: PackageRevision };
  'settings.get': ServiceInfo;
  'settings.testDatabase': { serverVersion: string };
  'settings.setDatabase': ServiceInfo;
  'approvals.list': QueuedApprovalView[];
  'approvals.enqueue': QueuedApprovalView[];
  'approvals.cancel': QueuedApprovalView[];
  'approvals.retry': { approved: string[]; waiting: string[] };
  'catalogs.list': Catalog[];
  'catalogs.create': Catalog;
  'catalogs.setRepositories': Catalog;
  'catalogs.delete': { deleted: string };
  'catalogs.resolve': CatalogResolution;
  'cache.stats': CacheStatsView;
  'demo.create': { repositories: Record<string, string>; created: string[] };
  'database.backgroundMigrations': BackgroundMigrationView[];
  'cache.setPolicy': CacheStatsView['policy'];
  'cache.runPolicy': CacheStatsView['lastRuns'];
}

/** Where this service keeps its data, as the settings screen shows it (no secrets). */
export interface ServiceInfo {
  dataHome: string;
  database: { kind: 'pglite' | 'postgres'; location: string };
  /** What the next start opens, when the settings chose another database (a restart applies it). */
  next?: { kind: 'pglite' | 'postgres'; location: string };
  /** Set by PORCHLIGHT_DB or --db: the saved choice does not apply while it is. */
  overriddenBy?: string;
}

/** What the cache holds in a namespace, its cleanup policy and what the last runs freed. */
export interface CacheStatsView {
  namespace: string;
  policy: { namespace: string; enabled: boolean; evictAfterDays: number; saved: boolean };
  revisions: number;
  evictedRevisions: number;
  pendingRows: number;
  resourceBytes: number;
  fileBytes?: number;
  fileBytesProgress?: number;
  lastRuns: { namespace: string; startedAt: string; finishedAt?: string; revisionsEvicted: number; rowsFreed: number; bytesFreed: number; error?: string }[];
}

/** A data change done in batches after an upgrade, and how far it is. */
export interface BackgroundMigrationView {
  name: string;
  description: string;
  status: 'active' | 'finished' | 'failed';
  rowsDone: number;
  /** An estimate, made when the job first ran. */
  rowsTotal?: number;
  /** 0-100, from the estimate. */
  percent: number;
  error?: string;
  finishedAt?: string;
}

/** An approval waiting for Git, as the window shows it. */
export interface QueuedApprovalView {
  namespace: string;
  name: string;
  since: string;
  by: string;
  lastError?: string;
}

export type Answer<T> = { ok: true; value: T } | { ok: false; error: ErrorShape };

/** Events the service pushes to every window. */
export type ServiceEvent =
  /** A long operation's progress: sync (and a registration's first clone) per repository, publish per revision. */
  | { type: 'progress'; operation: 'sync' | 'publish'; subject: string; phase: string; loaded: number; total?: number }
  /** Something that finished in the background (a scheduled sync, a queued approval) and the user should hear of. */
  | { type: 'notification'; level: 'info' | 'error'; source: 'sync' | 'approval' | 'cleanup' | 'migration'; subject: string; message: string }
  | { type: 'repository.status'; repository: Repository }
  | { type: 'revision.changed'; name: string; namespace: string }
  | { type: 'git.reachable'; reachable: boolean };

/** A progress report as an event: one shape for every operation that reports progress. */
export function progressEvent(operation: 'sync' | 'publish', subject: string, p: { phase: string; loaded: number; total?: number }): ServiceEvent {
  return { type: 'progress', operation, subject, phase: p.phase, loaded: p.loaded, ...(p.total ? { total: p.total } : {}) };
}

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(CHANNELS, name);
}

// The contract between every door (the window, browser mode, the CLI, the
// Kubernetes API) and the service: every channel named once, `<area>.<verb>`,
// with the zod schema its request must pass and the type of its answer. The
// dispatcher parses each request once with these; the service never re-parses.
import { z } from 'zod';
import type { PackageRevision, Repository, RevisionSummary, RevisionTableRow, SyncStats } from './domain.ts';
import type { ErrorShape } from './errors.ts';
import { isDns1123Label } from './names.ts';
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
  DEFAULT_NAMESPACE,
  dnsLabelRule,
  initPackageSchema,
  listRevisionsSchema,
  namespaceField,
  namespaceFilterField,
  pushResourcesSchema,
  registerRepositorySchema,
  repositoryRefSchema,
  saveResourcesSchema,
  setCleanupPolicySchema,
  unregisterRepositorySchema,
  updateRepositorySchema,
  type WireFile,
} from './requests.ts';
import {
  LIFECYCLE_VERBS,
  type BackgroundMigrationView,
  type CacheStatsView,
  type CleanupPolicyView,
  type EvictionRunView,
  type LifecycleOutcome,
  type QueuedApprovalView,
  type RenderView,
  type ServiceInfo,
} from './views.ts';

export type { WireFile } from './requests.ts';
export type * from './views.ts';

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//i, 'a PostgreSQL URL starts with postgres:// or postgresql://');

/**
 * Requests about a namespace as a whole (its cache, its upgrades, the demo)
 * word a bad label without a field prefix ("namespace must be ..."), as the
 * CLI always has; `allNamespaces` skips the namespace.
 */
const bareLabels =
  (fields: Record<string, string>) =>
  (r: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    for (const [field, what] of Object.entries(fields)) {
      if (field === 'namespace' && r.allNamespaces === true) continue;
      if (!isDns1123Label(String(r[field]))) return void ctx.addIssue({ code: 'custom', message: dnsLabelRule(what) });
    }
  };
const wholeNamespace = z.string().default(DEFAULT_NAMESPACE);
const namespaceOnly = z.object({ namespace: wholeNamespace }).superRefine(bareLabels({ namespace: 'namespace' }));

/** A keyset cursor of a listing: the namespace and name of the previous page's last revision. */
const listCursor = z.string().regex(/^[^/]+\/[^/]+$/, 'after must be the "next" of the previous page (namespace/name)');

/** The window's page of a namespace's revisions: keyset (`after` is the previous page's `next`), filtered in the database. */
/** kubectl's chunks over a listing: keyset pages of at most `limit`, the next one `after` the last name. */
const listPageSchema = listRevisionsSchema.extend({ after: listCursor.optional(), limit: z.number().int().min(1).max(1_000_000).default(500) });

const pageRequest = z.object({
  namespace: namespaceField,
  after: z.string().optional(),
  limit: z.number().int().min(1).max(1000).default(100),
  search: z.string().max(200).optional(),
  /** Only revisions holding a file whose path contains this. */
  filePath: z.string().max(200).optional(),
  lifecycle: z.enum(['', 'Draft', 'Proposed', 'Published', 'DeletionProposed']).optional(),
  latestOnly: z.boolean().optional(),
  /** One repository's revisions (one partition), or every repository's. */
  repository: z.string().min(1).optional(),
});

export const CHANNELS = {
  'repositories.list': { request: z.object({ namespace: namespaceFilterField, allNamespaces: z.boolean().default(false) }) },
  'repositories.get': { request: repositoryRefSchema },
  'repositories.register': { request: registerRepositorySchema },
  'repositories.sync': { request: repositoryRefSchema.extend({ force: z.boolean().default(false) }) },
  'repositories.unregister': { request: unregisterRepositorySchema },
  'repositories.update': { request: updateRepositorySchema },
  'revisions.list': { request: listRevisionsSchema },
  /** Every matching revision a keyset chunk at a time (kubectl's --chunk-size): pass the previous chunk's `next` as `after`. */
  'revisions.listPage': { request: listPageSchema },
  'revisions.listTable': { request: listPageSchema },
  'revisions.page': { request: pageRequest },
  /** revisions.page with whole revisions instead of summaries. */
  'revisions.pageFull': { request: pageRequest },
  'revisions.get': { request: repositoryRefSchema },
  'revisions.resources': { request: repositoryRefSchema },
  /** The files of the revision's upstream at its upstreamLock commit: a registered revision's, else read from Git. */
  'revisions.upstreamResources': { request: repositoryRefSchema },
  'revisions.save': { request: saveResourcesSchema },
  'revisions.push': { request: pushResourcesSchema },
  'revisions.init': { request: initPackageSchema },
  'revisions.clone': { request: clonePackageSchema },
  'revisions.copy': { request: copyPackageSchema },
  'revisions.upgrade': {
    request: z
      .object({
        namespace: wholeNamespace,
        source: z.string().min(1),
        workspace: z.string().min(1),
        revision: z.number().int().optional(),
        strategy: z.string().optional(),
      })
      .superRefine(bareLabels({ namespace: 'namespace', workspace: 'workspace name' })),
  },
  /** Which packages can move to a newer upstream (`upstream`), or which downstreams a revision can move (`downstream`). */
  'revisions.discoverUpgrades': {
    request: z
      .object({
        namespace: wholeNamespace,
        allNamespaces: z.boolean().default(false),
        mode: z.enum(['upstream', 'downstream']),
        names: z.array(z.string()).default([]),
      })
      .superRefine(bareLabels({ namespace: 'namespace' })),
  },
  'revisions.lifecycle': { request: repositoryRefSchema.extend({ verb: z.enum(LIFECYCLE_VERBS) }) },
  'settings.get': { request: z.object({}) },
  'settings.testDatabase': { request: z.object({ url: postgresUrl }) },
  /** The database the next start opens (this one stays open until then). */
  'settings.setDatabase': {
    request: z.discriminatedUnion('kind', [z.object({ kind: z.literal('pglite') }), z.object({ kind: z.literal('postgres'), url: postgresUrl })]),
  },
  'approvals.list': { request: z.object({ namespace: namespaceFilterField, allNamespaces: z.boolean().default(false) }) },
  'approvals.enqueue': { request: repositoryRefSchema },
  'approvals.cancel': { request: repositoryRefSchema },
  'approvals.retry': { request: z.object({}) },
  'catalogs.list': { request: listCatalogsSchema },
  'catalogs.get': { request: catalogRefSchema },
  'catalogs.create': { request: createCatalogSchema },
  'catalogs.setRepositories': { request: setCatalogRepositoriesSchema },
  'catalogs.delete': { request: catalogRefSchema },
  'catalogs.resolve': { request: resolveInCatalogSchema },
  'cache.stats': { request: namespaceOnly },
  'cache.policy': { request: namespaceOnly },
  'cache.setPolicy': { request: setCleanupPolicySchema },
  /** Runs the namespace's cleanup policy now (every namespace's with allNamespaces); what it evicted is deleted. */
  'cache.runPolicy': {
    request: z.object({ namespace: wholeNamespace, allNamespaces: z.boolean().default(false) }).superRefine(bareLabels({ namespace: 'namespace' })),
  },
  'database.backgroundMigrations': { request: z.object({}) },
  /** Runs what is left of the background migrations now, to the end (progress as migration.progress events). */
  'database.runBackgroundMigrations': { request: z.object({}) },
  /** The demo workspace: made, registered, or left as it is when already there. */
  'demo.create': { request: namespaceOnly },
} as const;

export type Channel = keyof typeof CHANNELS;
/** A request as a door sends it (defaults may be left out). */
export type RequestOf<C extends Channel> = z.input<(typeof CHANNELS)[C]['request']>;
/** A request as the service receives it: parsed, defaults filled in. */
export type ParsedRequestOf<C extends Channel> = z.output<(typeof CHANNELS)[C]['request']>;

/** A keyset page: `next` is the cursor of the page after, absent on the last. */
export interface Page<T> {
  items: T[];
  next?: string;
}

export interface AnswerOf {
  'repositories.list': Repository[];
  'repositories.get': Repository;
  'repositories.register': { repository: Repository; sync: SyncStats | ErrorShape; warnings: string[] };
  'repositories.sync': SyncStats;
  'repositories.unregister': { draftsDestroyed: number };
  'repositories.update': Repository;
  'revisions.list': PackageRevision[];
  'revisions.listPage': Page<PackageRevision>;
  'revisions.listTable': Page<RevisionTableRow>;
  'revisions.page': Page<RevisionSummary>;
  'revisions.pageFull': Page<PackageRevision>;
  'revisions.get': PackageRevision;
  'revisions.resources': { revision: PackageRevision; files: WireFile[] };
  'revisions.upstreamResources': { source: string; files: WireFile[] };
  'revisions.save': PackageRevision;
  'revisions.push': { revision: PackageRevision; render: RenderView };
  'revisions.init': PackageRevision;
  'revisions.clone': PackageRevision;
  'revisions.copy': PackageRevision;
  'revisions.upgrade': PackageRevision;
  'revisions.discoverUpgrades': string[][];
  'revisions.lifecycle': { outcome: LifecycleOutcome; revision?: PackageRevision };
  'settings.get': ServiceInfo;
  'settings.testDatabase': { serverVersion: string };
  'settings.setDatabase': ServiceInfo;
  'approvals.list': QueuedApprovalView[];
  'approvals.enqueue': QueuedApprovalView[];
  'approvals.cancel': QueuedApprovalView[];
  'approvals.retry': { approved: string[]; waiting: string[] };
  'catalogs.list': Catalog[];
  'catalogs.get': Catalog;
  'catalogs.create': Catalog;
  'catalogs.setRepositories': Catalog;
  'catalogs.delete': { deleted: string };
  'catalogs.resolve': CatalogResolution;
  'cache.stats': CacheStatsView;
  'cache.policy': CleanupPolicyView;
  'cache.setPolicy': CleanupPolicyView;
  'cache.runPolicy': EvictionRunView[];
  'database.backgroundMigrations': BackgroundMigrationView[];
  'database.runBackgroundMigrations': BackgroundMigrationView[];
  /** `directory`: where the demo's repositories are on disk. */
  'demo.create': { repositories: Record<string, string>; created: string[]; directory: string; namespace: string };
}

export type Answer<T> = { ok: true; value: T } | { ok: false; error: ErrorShape };

/** Events the service pushes to every door that listens (the window, a CLI waiting on a call). */
export type ServiceEvent =
  /** A long operation's progress: sync (and a registration's first clone) per repository, publish per revision. */
  | { type: 'progress'; operation: 'sync' | 'publish'; subject: string; phase: string; loaded: number; total?: number }
  /** Something that finished in the background (a scheduled sync, a queued approval) and the user should hear of. */
  | { type: 'notification'; level: 'info' | 'error'; source: 'sync' | 'approval' | 'cleanup' | 'migration'; subject: string; message: string }
  | { type: 'repository.status'; repository: Repository }
  | { type: 'revision.changed'; name: string; namespace: string }
  | { type: 'git.reachable'; reachable: boolean }
  /** A background migration run on request moved on. */
  | { type: 'migration.progress'; migration: BackgroundMigrationView };

/** A progress report as an event: one shape for every operation that reports progress. */
export function progressEvent(operation: 'sync' | 'publish', subject: string, p: { phase: string; loaded: number; total?: number }): ServiceEvent {
  return { type: 'progress', operation, subject, phase: p.phase, loaded: p.loaded, ...(p.total ? { total: p.total } : {}) };
}

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(CHANNELS, name);
}

// What the service answers with, beside the domain objects (domain.ts): the
// shapes every door shows, defined once here and returned by the service as they are.

/** Where this service keeps its data, as the settings screen shows it (no secrets). */
export interface ServiceInfo {
  dataHome: string;
  database: { kind: 'pglite' | 'postgres'; location: string };
  /** What the next start opens, when the settings chose another database (a restart applies it). */
  next?: { kind: 'pglite' | 'postgres'; location: string };
  /** Set by PORCHLIGHT_DB or --db: the saved choice does not apply while it is. */
  overriddenBy?: string;
}

/** A namespace's cleanup policy: evict the resources of published revisions not read for `evictAfterDays`. */
export interface CleanupPolicyView {
  namespace: string;
  enabled: boolean;
  evictAfterDays: number;
  /** False when the namespace is on the defaults (no row). */
  saved: boolean;
}

/** One run of a cleanup policy and what it freed. */
export interface EvictionRunView {
  namespace: string;
  startedAt: string;
  finishedAt?: string;
  revisionsEvicted: number;
  rowsFreed: number;
  bytesFreed: number;
  error?: string;
}

/** What the cache holds in a namespace, its cleanup policy and what the last runs freed. */
export interface CacheStatsView {
  namespace: string;
  policy: CleanupPolicyView;
  revisions: number;
  evictedRevisions: number;
  pendingRows: number;
  /** Whole database: the resources table's size on disk. */
  resourceBytes: number;
  /** Bytes of the files this namespace keeps, once the resource_sizes background migration finished. */
  fileBytes?: number;
  /** While it runs: how far it is (0-99). */
  fileBytesProgress?: number;
  lastRuns: EvictionRunView[];
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

/** What a KRM function reported. */
export interface ResultItem {
  severity: 'info' | 'warning' | 'error';
  field?: string;
  message: string;
}

export interface FunctionResult {
  image: string;
  exitCode: number;
  items: ResultItem[];
}

/** How the render after a push went: `error` when the pipeline failed or could not run (the package is kept, marked Rendered=False). */
export interface RenderView {
  error?: string;
  results: FunctionResult[];
}

/** porchctl's lifecycle verbs. */
export const LIFECYCLE_VERBS = ['propose', 'reject', 'approve', 'propose-delete', 'delete'] as const;
export type LifecycleVerb = (typeof LIFECYCLE_VERBS)[number];

/** What a lifecycle verb did, as the CLI prints it after the revision's name. */
export type LifecycleOutcome =
  | 'proposed'
  | 'no longer proposed for approval'
  | 'no longer proposed for deletion'
  | 'proposed for deletion'
  | 'is already proposed for deletion'
  | 'deleted'
  | 'approved';

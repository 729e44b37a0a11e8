// The domain in Porch's API shape (porch.kpt.dev/v1alpha1 PackageRevision,
// config.porch.kpt.dev/v1alpha1 Repository), so `-o yaml` and `-o json`
// print what porchctl prints and tools written for Porch can read them.

export const LIFECYCLES = ['Draft', 'Proposed', 'Published', 'DeletionProposed'] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];

/** Revision number of a placeholder (branch) revision. */
export const PLACEHOLDER_REVISION = -1;
/** Revision number of drafts and proposals. */
export const UNPUBLISHED_REVISION = 0;

export interface ObjectMeta {
  name: string;
  namespace: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface GitLock {
  repo: string;
  directory: string;
  ref: string;
  commit: string;
}

export interface UpstreamLock {
  type: 'git';
  git: GitLock;
}

export interface Task {
  type: string;
  [key: string]: unknown;
}

export interface ReadinessGate {
  conditionType: string;
}

export interface PackageRevision {
  apiVersion: 'porch.kpt.dev/v1alpha1';
  kind: 'PackageRevision';
  metadata: ObjectMeta;
  spec: {
    packageName: string;
    repository: string;
    /** Omitted for drafts and proposals (revision 0), as Porch omits it. */
    revision?: number;
    workspaceName: string;
    lifecycle: Lifecycle;
    packageMetadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
    tasks?: Task[];
    readinessGates?: ReadinessGate[];
  };
  status: {
    /** `{}` when the package was not cloned from an upstream, as Porch prints it. */
    upstreamLock: UpstreamLock | Record<string, never>;
    /** Where this revision is in Git: repo, package directory, short ref, commit. */
    selfLock?: UpstreamLock;
    publishedBy?: string;
    /** Porch's key: null until the revision is published. */
    publishTimestamp: string | null;
    deployment?: boolean;
    conditions?: Condition[];
  };
}

/** A row of a package list: what a table shows, a small fraction of a whole PackageRevision. */
export interface RevisionSummary {
  name: string;
  packageName: string;
  workspaceName: string;
  revision: number;
  latest: boolean;
  lifecycle: Lifecycle;
  repository: string;
}

/** A row of porchctl's table of package revisions, with the namespace `-A` adds. */
export interface RevisionTableRow extends RevisionSummary {
  namespace: string;
}

export interface RepositoryGitSpec {
  repo: string;
  branch: string;
  directory: string;
  secretRef?: { name: string };
}

export interface Repository {
  apiVersion: 'config.porch.kpt.dev/v1alpha1';
  kind: 'Repository';
  metadata: ObjectMeta;
  spec: {
    description?: string;
    type: 'git';
    content: 'Package';
    deployment?: boolean;
    git: RepositoryGitSpec;
    sync?: { schedule?: string };
  };
  status: {
    conditions?: Condition[];
    lastFullSyncTime?: string;
    syncStats?: SyncStats;
    /** Porchlight's own: seconds between scheduled syncs when there is no cron schedule (0: none). */
    syncIntervalSeconds?: number;
  };
}

/** What one sync found, Porch's three sets plus timing. */
export interface SyncStats {
  cachedOnly: number;
  both: number;
  externalOnly: number;
  durationMs: number;
  remoteUnchanged: boolean;
  finishedAt: string;
}

/** One file of a package revision; bytes are kept exactly as Git had them. */
export interface ResourceFile {
  path: string;
  content: Uint8Array;
}

/** Porch's readiness rule: every gate's condition must be present and True. The gates not met, by condition type. */
export function unmetReadinessGates(gates: readonly ReadinessGate[], conditions: readonly Pick<Condition, 'type' | 'status'>[]): string[] {
  return gates.map((g) => g.conditionType).filter((type) => !conditions.some((c) => c.type === type && c.status === 'True'));
}

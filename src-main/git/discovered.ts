// A package revision as found in Git, before it is cached.
import type { Lifecycle, Task } from '../../src-shared/domain.ts';

export interface DiscoveredRevision {
  /** Package path relative to the registered directory, '/'-separated. */
  packagePath: string;
  workspace: string;
  revision: number;
  lifecycle: Lifecycle;
  /** The ref it was found on: refs/tags/<path>/v<N>, refs/heads/<branch>, drafts/... */
  gitRef: string;
  commit: string;
  treeOid: string;
  tasks: Task[];
  publishedBy?: string;
  publishedAt?: Date;
  createdAt: Date;
}

/** The identity sync compares on: same package, number and commit means nothing to do. */
export function revisionKey(r: { packagePath: string; revision: number; commit: string; workspace: string }): string {
  return r.revision === -1 ? `${r.packagePath}\u0000-1\u0000${r.workspace}\u0000${r.commit}` : `${r.packagePath}\u0000${r.revision}\u0000${r.commit}`;
}

// Upgrading a cloned package to a newer upstream revision, and discovering
// which packages can move (porchctl rpkg upgrade, docs/porch-upgrade.md §3–4).
// Everything is read from the database: an upgrade works offline.
import type { Database } from '../db/database.ts';
import type { PackageRevision, ResourceFile, Task } from '../../src-shared/domain.ts';
import { failedPrecondition, invalidArgument, notFound } from '../../src-shared/errors.ts';
import { listRepositories } from '../cache/repository-store.ts';
import { listRevisions, toPackageRevision, type RevisionRow } from '../cache/revision-store.ts';
import { normaliseRepoUrl } from './kpt-files.ts';
import { STRATEGIES, type Strategy } from './upgrade/strategies.ts';

const published = (lc: string) => lc === 'Published' || lc === 'DeletionProposed';

async function revisionNamed(db: Database, namespace: string, name: string): Promise<RevisionRow | undefined> {
  return (await listRevisions(db, { namespace, name }))[0];
}

/** The upstream a revision was last based on, from its first task (porchctl follows copies back to a clone or upgrade). */
export async function oldUpstreamOf(db: Database, namespace: string, row: RevisionRow): Promise<string | undefined> {
  const seen = new Set<string>();
  let current: RevisionRow | undefined = row;
  while (current && !seen.has(current.name)) {
    seen.add(current.name);
    const task = current.tasks[0] as
      | (Task & {
          clone?: { upstreamRef?: { upstreamRef?: { name?: string } } };
          upgrade?: { newUpstreamRef?: { name?: string } };
          edit?: { sourceRef?: { name?: string } };
        })
      | undefined;
    if (task?.type === 'clone') return task.clone?.upstreamRef?.upstreamRef?.name || undefined;
    if (task?.type === 'upgrade') return task.upgrade?.newUpstreamRef?.name || undefined;
    if (task?.type !== 'edit' || !task.edit?.sourceRef?.name) break;
    current = await revisionNamed(db, namespace, task.edit.sourceRef.name);
  }
  // A broken copy chain: porchctl falls back to a published revision with the same upstream lock.
  const lock = row.upstream_lock?.git;
  if (!lock?.ref) return undefined;
  const candidates = (await listRevisions(db, { namespace })).filter(
    (r) =>
      published(r.lifecycle) &&
      r.upstream_lock?.git?.repo === lock.repo &&
      r.upstream_lock.git.directory === lock.directory &&
      r.upstream_lock.git.ref === lock.ref,
  );
  return candidates.sort((a, b) => b.revision - a.revision)[0]?.name;
}

export interface UpgradePlan {
  local: RevisionRow;
  oldUpstream: RevisionRow;
  newUpstream: RevisionRow;
  strategy: Strategy;
}

/** porchctl's client-side checks and choice of the new upstream. */
export async function planUpgrade(db: Database, r: { namespace: string; source: string; revision?: number; strategy?: string }): Promise<UpgradePlan> {
  if (r.strategy && !(STRATEGIES as readonly string[]).includes(r.strategy)) {
    throw invalidArgument(`invalid strategy "${r.strategy}"; must be one of: [${STRATEGIES.join(' ')}]`);
  }
  if (r.revision !== undefined && r.revision < 0) throw invalidArgument('revision must be positive (and not main)');
  const local = await revisionNamed(db, r.namespace, r.source);
  if (!local) throw notFound(`could not find package revision ${r.source}`);
  if (!published(local.lifecycle)) throw failedPrecondition(`to upgrade a package, it must be in a published state, not "${local.lifecycle}"`);
  if (local.revision === -1) throw failedPrecondition(`source revision may not be the placeholder package revision ${local.repository_name}/${local.name}`);
  const oldName = await oldUpstreamOf(db, r.namespace, local);
  if (!oldName) {
    throw failedPrecondition(
      `upstream source not found for package revision "${local.package_path}": no clone or upgrade type package revision was found in the history of the package`,
    );
  }
  const oldUpstream = await revisionNamed(db, r.namespace, oldName);
  if (!oldUpstream) throw notFound(`upstream package revision ${oldName} no longer exists`);
  if (!published(oldUpstream.lifecycle)) throw failedPrecondition(`old upstream package revision ${oldName} is not published`);
  const siblings = (await listRevisions(db, { namespace: r.namespace, repositoryId: oldUpstream.repository_id, packagePath: oldUpstream.package_path })).filter(
    (x) => published(x.lifecycle) && x.revision > 0,
  );
  const newUpstream = r.revision ? siblings.find((x) => x.revision === r.revision) : siblings.sort((a, b) => b.revision - a.revision)[0];
  if (!newUpstream) {
    throw notFound(
      r.revision
        ? `revision ${r.revision} does not exist for package ${oldUpstream.package_path} in repo ${oldUpstream.repository_name}`
        : `failed to find latest published revision for package ${oldUpstream.package_path} in repo ${oldUpstream.repository_name} (--revision was 0)`,
    );
  }
  return { local, oldUpstream, newUpstream, strategy: (r.strategy || 'resource-merge') as Strategy };
}

/** The three packages of a merge, read through `read` (which brings evicted files back from Git). */
export async function threePackages(plan: UpgradePlan, read: (row: RevisionRow) => Promise<ResourceFile[]>) {
  return { original: await read(plan.oldUpstream), updated: await read(plan.newUpstream), local: await read(plan.local) };
}

export function upgradeTask(plan: UpgradePlan): Task {
  return {
    type: 'upgrade',
    upgrade: {
      oldUpstreamRef: { name: plan.oldUpstream.name },
      newUpstreamRef: { name: plan.newUpstream.name },
      localPackageRevisionRef: { name: plan.local.name },
      strategy: plan.strategy,
    },
  };
}

// ---- discovery -------------------------------------------------------------

interface Update {
  name: string;
  revision: number;
}

interface Upstream {
  repository: string;
  updates: Update[];
  /** What the lock pins: a revision number, or a draft's workspace. */
  current: number;
  draft?: string;
}

/** The updates available to a revision, found through its upstream lock as porchctl does. */
function upstreamOf(pr: PackageRevision, all: readonly PackageRevision[], repositories: Awaited<ReturnType<typeof listRepositories>>): Upstream | undefined {
  const lock = (pr.status.upstreamLock as { git?: { repo: string; ref: string } }).git;
  if (!lock) return undefined;
  const slash = lock.ref.lastIndexOf('/');
  if (slash < 0)
    throw failedPrecondition(`could not parse upstreamLock in Kptfile of package "${pr.metadata.name}": malformed upstreamLock.Git.Ref "${lock.ref}"`);
  const last = lock.ref.slice(slash + 1);
  const isDraft = lock.ref.startsWith('drafts');
  const current = isDraft ? 0 : /^v?\d+$/.test(last) ? Number(last.replace(/^v/, '')) : -1;
  const pkg = lock.ref
    .slice(0, slash)
    .replace(/^drafts/, '')
    .replace(/^\//, '');
  let found: Upstream | undefined;
  for (const repo of repositories) {
    if (normaliseRepoUrl(repo.spec.git.repo) !== normaliseRepoUrl(lock.repo)) continue;
    const dir = (repo.spec.git.directory ?? '').replace(/^\/+|\/+$/g, '');
    const wanted = dir && pkg.startsWith(`${dir}/`) ? pkg.slice(dir.length + 1) : pkg;
    const updates = all
      .filter((x) => x.spec.repository === repo.name && x.spec.packageName === wanted && published(x.spec.lifecycle) && (x.spec.revision ?? 0) > current)
      .map((x) => ({ name: x.metadata.name, revision: x.spec.revision ?? 0 }));
    found = { repository: repo.name, updates, current, ...(isDraft ? { draft: last } : {}) }; // the last match wins, as in porchctl
  }
  return found ?? { repository: '', updates: [], current };
}

export async function discoverUpstream(db: Database, namespace: string | undefined, names: readonly string[]): Promise<string[][]> {
  const all = (await listRevisions(db, { namespace })).map(toPackageRevision);
  const repositories = await listRepositories(db, undefined);
  const missing = names.filter((n) => !all.some((pr) => pr.metadata.name === n));
  if (missing.length) throw notFound(`errors:\n  ${missing.map((n) => `could not find package revision ${n}`).join('\n  ')}`);
  const chosen = names.length ? names.map((n) => all.find((pr) => pr.metadata.name === n)!) : all;
  const rows: string[][] = [];
  for (const pr of chosen) {
    const up = upstreamOf(pr, all, repositories);
    rows.push([pr.metadata.name, up?.repository ?? '', up?.updates.length ? up.updates.map((u) => `v${u.revision}`).join(', ') : 'No update available']);
  }
  return rows;
}

export async function discoverDownstream(db: Database, namespace: string | undefined, names: readonly string[]): Promise<string[][]> {
  const all = (await listRevisions(db, { namespace })).map(toPackageRevision);
  const repositories = await listRepositories(db, undefined);
  const groups = new Map<string, string[][]>();
  for (const pr of all) {
    const up = upstreamOf(pr, all, repositories);
    if (!up) continue;
    const lock = (pr.status.upstreamLock as { git: { ref: string } }).git;
    const v = lock.ref.lastIndexOf('v');
    for (const u of up.updates) {
      if (v < 0 && !up.draft) continue;
      const from = up.draft ? `(draft "${up.draft}")` : lock.ref.slice(v);
      const key = `${u.name}\u0000${u.revision}\u0000${up.draft ?? ''}`;
      groups.set(key, [...(groups.get(key) ?? []), [u.name, pr.metadata.name, `${from}->v${u.revision}`]]);
    }
  }
  const rows = [...groups.values()].flat();
  return names.length ? names.flatMap((n) => rows.filter((r) => r[0] === n)) : rows;
}

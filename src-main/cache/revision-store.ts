// SQL for packages, package_revisions and resources. Every query carries
// repository_id, the partition key, so it touches one partition; reads join the
// live repository row, so an unregistered repository vanishes in one statement.
import { hash } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import type { Lifecycle, PackageRevision, Task, UpstreamLock, ReadinessGate, RevisionTableRow } from '../../src-shared/domain.ts';
import type { KptfileSummary } from './kptfile.ts';
import { filesLeftOutCondition } from './left-out-files.ts';

export interface RevisionRow {
  repository_id: number;
  id: number;
  package_id: number;
  namespace: string;
  name: string;
  package_path: string;
  workspace: string;
  revision: number;
  lifecycle: Lifecycle;
  latest: boolean;
  meta: { uid?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { readinessGates?: ReadinessGate[] };
  tasks: Task[];
  upstream_lock: UpstreamLock | null;
  kptfile: Partial<KptfileSummary> | null;
  git_ref: string | null;
  git_commit: string | null;
  tree_id: string | null;
  published_by: string | null;
  published_at: Date | null;
  resource_version: number;
  /** A cleanup policy took its resources out of the database; Git (the local clone) still has them. */
  resources_evicted: boolean;
  created_at: Date;
  updated_at: Date;
  repository_name: string;
  repository_url: string;
  deployment: boolean;
}

const REVISION_ONLY_COLUMNS = `pr.repository_id, pr.id, pr.package_id, pr.namespace, pr.name, pr.package_path,
  pr.workspace, pr.revision, pr.lifecycle, pr.latest, pr.meta, pr.spec, pr.tasks, pr.upstream_lock, pr.kptfile,
  pr.git_ref, pr.git_commit, pr.tree_id, pr.published_by, pr.published_at, pr.resource_version, pr.resources_evicted, pr.created_at,
  pr.updated_at`;

const REVISION_COLUMNS = `${REVISION_ONLY_COLUMNS}, r.name AS repository_name, r.spec->'git'->>'repo' AS repository_url, r.deployment`;

const FROM_LIVE = `FROM package_revisions pr
  JOIN repositories r ON r.id = pr.repository_id AND r.status = 'default'`;

/**
 * Porch's timestamps: whole seconds, UTC. A Date from a row, or the text a
 * page has PostgreSQL write (a timestamptz in JSON, in the session's time
 * zone: 2025-01-13T07:13:00.123456+00:00), which in UTC needs no Date at all:
 * toISOString was a third of a page's JavaScript.
 */
function iso(d: Date | string): string {
  if (typeof d === 'string') {
    if (d.endsWith('+00:00') && d[10] === 'T' && (d[19] === '.' || d[19] === '+')) return `${d.slice(0, 19)}Z`;
    const parsed = new Date(d);
    return Number.isNaN(parsed.getTime()) ? d : iso(parsed);
  }
  const s = d.toISOString();
  return s.length === 24 ? `${s.slice(0, 19)}Z` : s.replace(/\.\d{3}Z$/, 'Z');
}

const LATEST_LABEL = 'kpt.dev/latest-revision';

/** Porch derives uids from namespace and name, so the same revision has the same uid everywhere. */
const PORCH_UID_NAMESPACE = 'aac71d91-5c67-456f-8fd2-902ef6da820e';
const UID_NAMESPACE_BYTES = Buffer.from(PORCH_UID_NAMESPACE.replaceAll('-', ''), 'hex');

/**
 * RFC 4122 version 5 (SHA-1 of the namespace uuid and the name), as uuid's v5
 * computes it (test/cache/revision-page.test.ts compares them), with Node's
 * native SHA-1: uuid's is plain JavaScript and cost about 1 ms per page of 100
 * revisions, half the budget of a page; this costs about 0.1 ms.
 */
export function packageRevisionUid(namespace: string, name: string): string {
  const key = `packagerevision:porch.kpt.dev/v1alpha1/${namespace.toLowerCase()}/${name.toLowerCase()}`;
  const x = hash('sha1', Buffer.concat([UID_NAMESPACE_BYTES, Buffer.from(key, 'utf8')]), 'hex');
  // Version 5 in the high nibble of byte 6, the RFC 4122 variant (10xx) in the high bits of byte 8.
  const variant = ((parseInt(x[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-5${x.slice(13, 16)}-${variant}${x.slice(17, 20)}-${x.slice(20, 32)}`;
}

/** `refs/tags/basens/v1` -> `basens/v1`, as Porch writes refs in locks. */
function shortRef(ref: string): string {
  return ref.replace(/^refs\/(tags|heads|remotes\/origin)\//, '');
}

/** What toPackageRevision reads of a row: all a page of whole revisions fetches. */
export type PackageRevisionFields = Pick<
  RevisionRow,
  | 'namespace'
  | 'name'
  | 'package_path'
  | 'workspace'
  | 'revision'
  | 'lifecycle'
  | 'latest'
  | 'meta'
  | 'tasks'
  | 'upstream_lock'
  | 'git_ref'
  | 'git_commit'
  | 'published_by'
  | 'resource_version'
  | 'repository_name'
  | 'repository_url'
  | 'deployment'
> & {
  spec: Pick<RevisionRow['spec'], 'readinessGates'>;
  kptfile: Pick<Partial<KptfileSummary>, 'packageMetadata' | 'conditions'> | null;
  /** A Date, or UTC text as a page reads it (see iso). */
  created_at: Date | string;
  published_at: Date | string | null;
};

/**
 * The API object of a row. Optional fields are assigned, not spread in: a
 * page maps 100 rows, and the temporary objects of spreads were most of the
 * JavaScript time. Keys keep Porch's order (printed as JSON and YAML).
 */
export function toPackageRevision(row: PackageRevisionFields): PackageRevision {
  const metadata: PackageRevision['metadata'] = {
    name: row.name,
    namespace: row.namespace,
    uid: packageRevisionUid(row.namespace, row.name),
    resourceVersion: String(row.resource_version),
    creationTimestamp: iso(row.created_at),
  };
  const labels = row.latest ? { ...row.meta.labels, [LATEST_LABEL]: 'true' } : row.meta.labels && { ...row.meta.labels };
  if (labels && Object.keys(labels).length) metadata.labels = labels;
  if (row.meta.annotations) metadata.annotations = row.meta.annotations;

  const spec: PackageRevision['spec'] = { packageName: row.package_path, repository: row.repository_name } as PackageRevision['spec'];
  if (row.revision !== 0) spec.revision = row.revision;
  spec.workspaceName = row.workspace;
  spec.lifecycle = row.lifecycle;
  spec.packageMetadata = row.kptfile?.packageMetadata ?? {};
  if (row.tasks.length) spec.tasks = row.tasks;
  if (row.spec.readinessGates?.length) spec.readinessGates = row.spec.readinessGates;

  const status: PackageRevision['status'] = { upstreamLock: row.upstream_lock ?? {} } as PackageRevision['status'];
  if (row.git_ref && row.git_commit) {
    status.selfLock = { type: 'git', git: { repo: row.repository_url, directory: row.package_path, ref: shortRef(row.git_ref), commit: row.git_commit } };
  }
  if (row.published_by) status.publishedBy = row.published_by;
  status.publishTimestamp = row.published_at ? iso(row.published_at) : null;
  if (row.deployment) status.deployment = true;
  const conditions = row.kptfile?.conditions;
  if (conditions?.length) status.conditions = conditions;
  // Only a revision with files left out has these annotations: the common row pays one lookup.
  const leftOut = row.meta.annotations && filesLeftOutCondition(row.meta.annotations);
  if (leftOut) status.conditions = [...(status.conditions ?? []), leftOut];
  return { apiVersion: 'porch.kpt.dev/v1alpha1', kind: 'PackageRevision', metadata, spec, status };
}

export interface RevisionFilter {
  namespace?: string;
  repositoryId?: number;
  name?: string;
  packagePath?: string;
  revision?: number;
  workspace?: string;
  /** Keyset: rows after this (namespace, name), in that order. */
  after?: { namespace: string; name: string };
  limit?: number;
}

/** Builds a parameterised WHERE clause; values never reach the SQL text. */
function where(filter: RevisionFilter): { sql: string; params: unknown[] } {
  const clauses = [`pr.status = 'default'`];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    clauses.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.repositoryId !== undefined) add('pr.repository_id = ?', filter.repositoryId);
  if (filter.namespace !== undefined) add('pr.namespace = ?', filter.namespace);
  if (filter.name !== undefined) add('pr.name = ?', filter.name);
  if (filter.packagePath !== undefined) add('pr.package_path = ?', filter.packagePath);
  if (filter.revision !== undefined) add('pr.revision = ?', filter.revision);
  if (filter.workspace !== undefined) add('pr.workspace = ?', filter.workspace);
  if (filter.after) {
    params.push(filter.after.namespace, filter.after.name);
    clauses.push(`(pr.namespace, pr.name) > ($${params.length - 1}, $${params.length})`);
  }
  return { sql: clauses.join(' AND '), params };
}

/**
 * The repository a revision name belongs to: names start with the repository's
 * (a DNS label, so no dots). Knowing it before the revision query lets the
 * planner keep to one partition instead of planning and scanning sixteen.
 */
export async function repositoryIdOfName(q: Queryable, namespace: string, name: string): Promise<number | undefined> {
  const res = await q.query<{ id: number }>(`SELECT id FROM repositories WHERE namespace = $1 AND name = $2 AND status = 'default'`, [
    namespace,
    name.split('.')[0],
  ]);
  return res.rows[0] ? Number(res.rows[0].id) : undefined;
}

/** A filter on one revision name reads one partition: its repository, found from the name; undefined when no repository has it. */
async function withRepositoryOfName(q: Queryable, filter: RevisionFilter): Promise<RevisionFilter | undefined> {
  if (filter.name === undefined || filter.namespace === undefined || filter.repositoryId !== undefined) return filter;
  const repositoryId = await repositoryIdOfName(q, filter.namespace, filter.name);
  return repositoryId === undefined ? undefined : { ...filter, repositoryId };
}

export async function listRevisions(q: Queryable, filter: RevisionFilter): Promise<RevisionRow[]> {
  const resolved = await withRepositoryOfName(q, filter);
  if (!resolved) return [];
  const w = where((filter = resolved));
  const limit = filter.limit === undefined ? '' : ` LIMIT $${w.params.push(filter.limit)}`;
  const res = await q.query<RevisionRow>(`SELECT ${REVISION_COLUMNS} ${FROM_LIVE} WHERE ${w.sql} ORDER BY pr.namespace, pr.name${limit}`, w.params);
  return res.rows;
}

/** porchctl's table columns of a listing, as one JSON value: what `rpkg get` prints, without building the objects. */
export async function listRevisionTable(q: Queryable, filter: RevisionFilter): Promise<RevisionTableRow[]> {
  const resolved = await withRepositoryOfName(q, filter);
  if (!resolved) return [];
  const w = where((filter = resolved));
  const limit = filter.limit === undefined ? '' : ` LIMIT $${w.params.push(filter.limit)}`;
  const res = await q.query<{ rows: [string, string, string, string, number, boolean, Lifecycle, string][] | null }>(
    `SELECT json_agg(json_build_array(namespace, name, package_path, workspace, revision, latest, lifecycle, repository) ORDER BY namespace, name) AS rows
       FROM (SELECT pr.namespace, pr.name, pr.package_path, pr.workspace, pr.revision, pr.latest, pr.lifecycle, r.name AS repository
             ${FROM_LIVE} WHERE ${w.sql} ORDER BY pr.namespace, pr.name${limit}) t`,
    w.params,
  );
  return (res.rows[0]?.rows ?? []).map(([namespace, name, packageName, workspaceName, revision, latest, lifecycle, repository]) => ({
    namespace,
    name,
    packageName,
    workspaceName,
    revision,
    latest,
    lifecycle,
    repository,
  }));
}

export async function readResources(q: Queryable, repositoryId: number, revisionId: number): Promise<{ path: string; content: Uint8Array }[]> {
  const res = await q.query<{ path: string; content: Uint8Array }>(
    `SELECT path, content FROM resources
      WHERE repository_id = $1 AND package_revision_id = $2 AND status = 'default' ORDER BY path`,
    [repositoryId, revisionId],
  );
  return res.rows;
}

/** The key sync compares on: Published and DeletionProposed rows only, as Porch's DB cache does. */
export interface CachedPublished {
  id: number;
  name: string;
  package_path: string;
  workspace: string;
  revision: number;
  lifecycle: Lifecycle;
  git_ref: string | null;
  git_commit: string | null;
  tree_id: string | null;
}

export async function listCachedPublished(q: Queryable, repositoryId: number): Promise<CachedPublished[]> {
  // One JSON value instead of thousands of rows: per-row result handling was
  // most of an incremental sync's database time on PGlite.
  const res = await q.query<{ rows: unknown[][] | null }>(
    `SELECT json_agg(json_build_array(id, name, package_path, workspace, revision, lifecycle, git_ref, git_commit, tree_id)) AS rows
       FROM package_revisions
      WHERE repository_id = $1 AND status = 'default' AND lifecycle IN ('Published', 'DeletionProposed')`,
    [repositoryId],
  );
  const rows = res.rows[0]?.rows ?? [];
  return rows.map(([id, name, package_path, workspace, revision, lifecycle, git_ref, git_commit, tree_id]) => ({
    id: Number(id),
    name: name as string,
    package_path: package_path as string,
    workspace: workspace as string,
    revision: Number(revision),
    lifecycle: lifecycle as Lifecycle,
    git_ref: git_ref as string | null,
    git_commit: git_commit as string | null,
    tree_id: tree_id as string | null,
  }));
}

export async function listGitSourcedDrafts(q: Queryable, repositoryId: number) {
  const res = await q.query<{ id: number; git_ref: string; git_commit: string; resource_version: number }>(
    `SELECT id, git_ref, git_commit, resource_version FROM package_revisions
      WHERE repository_id = $1 AND status = 'default' AND lifecycle IN ('Draft', 'Proposed') AND git_ref IS NOT NULL`,
    [repositoryId],
  );
  return res.rows;
}

/** `<path>\0<revision>` of every live published number of these packages. */
export async function liveRevisionNumbers(q: Queryable, repositoryId: number, packagePaths: readonly string[]): Promise<Set<string>> {
  if (packagePaths.length === 0) return new Set();
  const res = await q.query<{ package_path: string; revision: number }>(
    `SELECT package_path, revision FROM package_revisions
      WHERE repository_id = $1 AND status = 'default' AND revision > 0 AND package_path = ANY($2::text[])`,
    [repositoryId, packagePaths],
  );
  return new Set(res.rows.map((r) => `${r.package_path}\u0000${r.revision}`));
}

/** Which of `names` are taken by live revisions of the repository, with what they are. */
export async function liveNamesAmong(
  q: Queryable,
  repositoryId: number,
  names: readonly string[],
): Promise<Map<string, { id: number; lifecycle: Lifecycle; fromGit: boolean }>> {
  if (names.length === 0) return new Map();
  const res = await q.query<{ id: number; name: string; lifecycle: Lifecycle; from_git: boolean }>(
    `SELECT id, name, lifecycle, git_ref IS NOT NULL AS from_git FROM package_revisions
      WHERE repository_id = $1 AND status = 'default' AND name = ANY($2::text[])`,
    [repositoryId, names],
  );
  return new Map(res.rows.map((r) => [r.name, { id: Number(r.id), lifecycle: r.lifecycle, fromGit: r.from_git }]));
}

/** Drafts and proposals that exist only in the database: made or changed here, not mirrored from a Git branch. */
export async function countDrafts(q: Queryable, repositoryId: number): Promise<number> {
  const res = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM package_revisions
      WHERE repository_id = $1 AND status = 'default' AND lifecycle IN ('Draft', 'Proposed')
        AND (git_ref IS NULL OR resource_version > 1)`,
    [repositoryId],
  );
  return res.rows[0]?.n ?? 0;
}

/** Marks rows for the cleanup worker; a status update, not a delete. */
export async function markRevisionsForDestruction(q: Queryable, repositoryId: number, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await q.query(
    `UPDATE package_revisions SET status = 'pending_destruction', updated_at = now()
      WHERE repository_id = $1 AND id = ANY($2::bigint[]) AND status = 'default'`,
    [repositoryId, ids],
  );
}

export interface PageRequest {
  namespace: string;
  /** The last name of the previous page; absent for the first. */
  after?: string;
  limit: number;
  search?: string;
  lifecycle?: string;
  latestOnly?: boolean;
  /** One repository's revisions: the page reads one partition. */
  repositoryId?: number;
  /** Only revisions with a file whose path contains this. */
  filePath?: string;
}

/** `%text%` with LIKE's own characters taken literally: a search for "a_b" finds "a_b", not "axb". */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The WHERE clauses of a page. Both page queries read package_revisions alone
 * (no join): without planner statistics, which PGlite often lacks, a join made
 * the planner hash-join and sort every row after the cursor (300 ms for the
 * first page instead of a few).
 */
function pageClauses(p: PageRequest): { clauses: string[]; params: unknown[] } {
  const clauses = [`pr.status = 'default'`];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    clauses.push(sql.replaceAll('?', `$${params.length}`));
  };
  if (p.repositoryId !== undefined) {
    // The caller resolved it as a live repository of the namespace. Its
    // partition key alone walks (repository_id, name); adding the namespace
    // steered PGlite to the (namespace, name) index, filtering 6,000 rows.
    add('pr.repository_id = ?', p.repositoryId);
  } else {
    add('pr.namespace = ?', p.namespace);
    // Rows of a repository being unregistered stay 'default' until the
    // cleanup worker marks them: leave them out. Almost always there are
    // none, and the array is empty.
    clauses.push(`pr.repository_id <> ALL (ARRAY(SELECT id FROM repositories WHERE namespace = $1 AND status <> 'default'))`);
  }
  if (p.after !== undefined) add('pr.name > ?', p.after);
  if (p.search) add(`(pr.name ILIKE ? OR pr.package_path ILIKE ?)`, likePattern(p.search));
  // Packages holding a file whose path matches: a semi-join through the trigram index on resources.path.
  if (p.filePath) {
    add(
      `EXISTS (SELECT 1 FROM resources rs WHERE rs.repository_id = pr.repository_id AND rs.package_revision_id = pr.id AND rs.status = 'default' AND rs.path ILIKE ?)`,
      likePattern(p.filePath),
    );
  }
  if (p.lifecycle) add('pr.lifecycle = ?', p.lifecycle);
  if (p.latestOnly) clauses.push('pr.latest');
  return { clauses, params };
}

function cut<R extends { name: string }>(rows: R[], limit: number): { rows: R[]; next?: string } {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { rows: kept, ...(more ? { next: kept.at(-1)!.name } : {}) };
}

/** Repository fields a revision shows, for the repositories of one page. */
export async function repositoriesByIds(q: Queryable, ids: readonly number[]): Promise<Map<number, { name: string; url: string; deployment: boolean }>> {
  if (ids.length === 0) return new Map();
  const res = await q.query<{ id: number; name: string; url: string; deployment: boolean }>(
    `SELECT id, name, spec->'git'->>'repo' AS url, deployment FROM repositories WHERE id = ANY($1::bigint[])`,
    [[...new Set(ids)]],
  );
  return new Map(res.rows.map((r) => [Number(r.id), r]));
}

// A page of whole revisions as one JSON value, a column at a time: each
// json_agg(column) is an array of that column over the page. PGlite decodes
// results a field at a time in JavaScript: 100 rows of 24 columns cost ~3.5
// ms of a 5 ms page, one value ~0.3 ms. Column-wise because json_agg looks up
// how to write its type once, json_build_array once per row and value. Only
// what toPackageRevision reads: two fields of the Kptfile summary, not the
// whole document it keeps, and not the namespace, which the page's WHERE
// fixes (a repository's revisions are in its namespace).
// The arrays line up with each other and keep the page's order because every
// aggregate reads the subquery's rows as they come: no aggregate here may
// have ORDER BY or DISTINCT, which makes PostgreSQL 16+ sort the input of all
// of them (a DISTINCT one sorted a page by repository id). An ORDER BY in
// each would hold the order too, at 0.15 ms a page.
const PAGE_COLUMNS = [
  'pr.name',
  'pr.package_path',
  'pr.workspace',
  'pr.revision',
  'pr.lifecycle',
  'pr.latest',
  'pr.meta',
  `pr.spec->'readinessGates'`,
  'pr.tasks',
  'pr.upstream_lock',
  `pr.kptfile->'packageMetadata'`,
  `pr.kptfile->'conditions'`,
  'pr.git_ref',
  'pr.git_commit',
  'pr.published_by',
  // As text, for iso().
  'pr.published_at',
  'pr.resource_version',
  'pr.created_at',
  // Last, and only when the page spans repositories (one repository's page knows it).
  'pr.repository_id',
] as const;

// What the aggregates read: the page's rows carry no more (0.1 ms a page).
const PAGE_SOURCE = `pr.repository_id, pr.name, pr.package_path, pr.workspace, pr.revision, pr.lifecycle, pr.latest, pr.meta, pr.spec,
  pr.tasks, pr.upstream_lock, pr.kptfile, pr.git_ref, pr.git_commit, pr.published_by, pr.published_at, pr.resource_version, pr.created_at`;

type PageColumns = [
  string[],
  string[],
  string[],
  number[],
  Lifecycle[],
  boolean[],
  RevisionRow['meta'][],
  (ReadinessGate[] | null)[],
  Task[][],
  (UpstreamLock | null)[],
  (KptfileSummary['packageMetadata'] | null)[],
  (KptfileSummary['conditions'] | null)[],
  (string | null)[],
  (string | null)[],
  (string | null)[],
  (string | null)[],
  number[],
  string[],
  number[]?,
];

export type PageRevisionRow = PackageRevisionFields & { repository_id: number };

interface PageRepository {
  name: string;
  url: string;
  deployment: boolean;
}

// The repository fields a page shows, by repository id, per database. A
// repository row's name, Git URL and deployment flag never change while it
// lives (an update changes only its sync settings; registering again makes a
// new id), so the next page of a repository already seen skips the lookup,
// 0.2 ms of a 2 ms page on PGlite. Bounded: cleared when full.
const pageRepositories = new WeakMap<Queryable, Map<number, PageRepository>>();
const PAGE_REPOSITORIES_MAX = 1000;

/**
 * One keyset page of whole revisions in name order, and the cursor for the
 * next page: one statement, which also brings the repository fields unless
 * they are known (a second query cost a round trip, 0.8 ms on PGlite).
 */
export async function listRevisionsPage(q: Queryable, p: PageRequest): Promise<{ rows: PageRevisionRow[]; next?: string }> {
  const { clauses, params } = pageClauses(p);
  params.push(p.limit + 1);
  const page = `SELECT ${PAGE_SOURCE} FROM package_revisions pr WHERE ${clauses.join(' AND ')} ORDER BY pr.name LIMIT $${params.length}`;
  const columns = p.repositoryId === undefined ? PAGE_COLUMNS : PAGE_COLUMNS.slice(0, -1);
  let known = pageRepositories.get(q);
  if (!known) pageRepositories.set(q, (known = new Map()));
  // The page's repositories: the one asked for, or those its rows name.
  const fields = `json_build_array(r.id, r.name, r.spec->'git'->>'repo', r.deployment)`;
  const lookup =
    p.repositoryId === undefined
      ? `(SELECT json_agg(${fields}) FROM repositories r WHERE r.id = ANY(array_agg(pr.repository_id)))`
      : known.has(p.repositoryId)
        ? 'NULL'
        : `json_build_array((SELECT ${fields} FROM repositories r WHERE r.id = $${params.push(p.repositoryId)}))`;
  const res = await q.query<{ cols: PageColumns | null[]; repositories: ([number, string, string | null, boolean] | null)[] | null }>(
    `SELECT json_build_array(${columns.map((c) => `json_agg(${c})`).join(', ')}) AS cols, ${lookup} AS repositories
       FROM (${page}) pr`,
    params,
  );
  if (known.size > PAGE_REPOSITORIES_MAX) known.clear();
  for (const r of res.rows[0]?.repositories ?? []) if (r) known.set(Number(r[0]), { name: r[1], url: r[2] ?? '', deployment: r[3] });
  const cols = res.rows[0]?.cols;
  if (!cols?.[0]) return { rows: [] };
  const [
    names,
    paths,
    workspaces,
    revisions,
    lifecycles,
    latest,
    metas,
    gates,
    tasks,
    locks,
    packageMetadata,
    conditions,
    refs,
    commits,
    publishers,
    publishedAt,
    versions,
    createdAt,
    repositoryIds,
  ] = cols as PageColumns;
  const n = Math.min(names.length, p.limit);
  const rows: PageRevisionRow[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const repositoryId = p.repositoryId ?? Number(repositoryIds![i]);
    const repository = known.get(repositoryId);
    rows[i] = {
      repository_id: repositoryId,
      namespace: p.namespace,
      name: names[i]!,
      package_path: paths[i]!,
      workspace: workspaces[i]!,
      revision: revisions[i]!,
      lifecycle: lifecycles[i]!,
      latest: latest[i]!,
      meta: metas[i]!,
      spec: { readinessGates: gates[i] ?? undefined },
      tasks: tasks[i]!,
      upstream_lock: locks[i]!,
      kptfile: { packageMetadata: packageMetadata[i] ?? undefined, conditions: conditions[i] ?? undefined },
      git_ref: refs[i]!,
      git_commit: commits[i]!,
      published_by: publishers[i]!,
      published_at: publishedAt[i] ?? null,
      resource_version: versions[i]!,
      created_at: createdAt[i]!,
      repository_name: repository?.name ?? '',
      repository_url: repository?.url ?? '',
      deployment: repository?.deployment ?? false,
    };
  }
  return { rows, ...(names.length > p.limit ? { next: names[p.limit - 1] } : {}) };
}

export interface SummaryRow {
  repository_id: number;
  name: string;
  package_path: string;
  workspace: string;
  revision: number;
  latest: boolean;
  lifecycle: Lifecycle;
}

/** The window's page: the seven columns a row shows. */
export async function listSummaryPage(q: Queryable, p: PageRequest): Promise<{ rows: SummaryRow[]; next?: string }> {
  const { clauses, params } = pageClauses(p);
  params.push(p.limit + 1);
  const res = await q.query<SummaryRow>(
    `SELECT pr.repository_id, pr.name, pr.package_path, pr.workspace, pr.revision, pr.latest, pr.lifecycle
       FROM package_revisions pr WHERE ${clauses.join(' AND ')} ORDER BY pr.name LIMIT $${params.length}`,
    params,
  );
  return cut(res.rows, p.limit);
}

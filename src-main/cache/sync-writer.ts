// Writes newly discovered revisions with their resources. Reading is content
// addressed: a package tree already cached in this repository is copied inside
// the database, and a blob read once in a sync is not read again.
import type { Queryable } from '../db/database.ts';
import type { DiscoveredRevision } from '../git/discovered.ts';
import type { GitObjectReader as ObjectReader } from '../git/object-reader.ts';
import { packageName, packageRevisionName } from '../../src-shared/names.ts';
import { parseKptfile } from './kptfile.ts';
import { leftOutMeta, REFUSED_PATHS_ANNOTATION, UNREADABLE_NAMES_ANNOTATION } from './left-out-files.ts';

export { UNREADABLE_NAMES_ANNOTATION } from './left-out-files.ts';

export interface RepositoryRef {
  id: number;
  namespace: string;
  name: string;
}

const ROWS_PER_STATEMENT = 200;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Multi-row INSERT with numbered parameters, so values never reach the SQL text. */
export async function insertRows(q: Queryable, table: string, columns: readonly string[], rows: readonly unknown[][], suffix = ''): Promise<void> {
  for (const batch of chunks(rows, ROWS_PER_STATEMENT)) {
    const params: unknown[] = [];
    const tuples = batch.map((row) => `(${row.map((v) => (params.push(v), `$${params.length}`)).join(', ')})`);
    await q.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')} ${suffix}`, params);
  }
}

export async function ensurePackages(q: Queryable, repo: RepositoryRef, paths: readonly string[], by: string): Promise<Map<string, number>> {
  const unique = [...new Set(paths)];
  await insertRows(
    q,
    'packages',
    ['repository_id', 'namespace', 'name', 'package_path', 'updated_by'],
    unique.map((p) => [repo.id, repo.namespace, packageName(repo.name, p), p, by]),
    `ON CONFLICT (repository_id, package_path) WHERE status = 'default' DO NOTHING`,
  );
  const res = await q.query<{ id: number; package_path: string }>(
    `SELECT id, package_path FROM packages WHERE repository_id = $1 AND status = 'default' AND package_path = ANY($2::text[])`,
    [repo.id, unique],
  );
  return new Map(res.rows.map((r) => [r.package_path, r.id]));
}

async function allocateIds(q: Queryable, n: number): Promise<number[]> {
  const res = await q.query<{ id: number }>(`SELECT nextval('porchlight_id_seq') AS id FROM generate_series(1, $1)`, [n]);
  return res.rows.map((r) => Number(r.id));
}

/** Live revisions of this repository by tree id whose resources are in the database (not evicted): the ones that can be copied. */
async function cachedTrees(
  q: Queryable,
  repositoryId: number,
  trees: readonly string[],
): Promise<Map<string, { id: number; kptfile: unknown; meta: { annotations?: Record<string, string> } }>> {
  if (trees.length === 0) return new Map();
  const res = await q.query<{ tree_id: string; id: number; kptfile: unknown; meta: { annotations?: Record<string, string> } }>(
    `SELECT DISTINCT ON (tree_id) tree_id, id, kptfile, meta FROM package_revisions
      WHERE repository_id = $1 AND status = 'default' AND NOT resources_evicted AND tree_id = ANY($2::text[])
      ORDER BY tree_id, id`,
    [repositoryId, [...new Set(trees)]],
  );
  return new Map(res.rows.map((r) => [r.tree_id, { id: r.id, kptfile: r.kptfile, meta: r.meta }]));
}

export type PackageFiles = { path: string; content: Uint8Array }[];

/**
 * A package tree as read from Git: its files, and what it holds that is left
 * out of them: names that are not UTF-8, and paths no package file may have.
 */
export interface PackageTree {
  files: PackageFiles;
  unreadableNames: string[];
  refusedPaths: string[];
}

/**
 * Reads the files of package trees, outside any transaction (PGlite has one
 * connection, and a transaction held open over Git reads would stall every
 * other query). Requests go out together, so a native reader pipelines them.
 * Symlinks are not package files and are left out, and so are files whose
 * names are not UTF-8 or whose paths are refused (listed instead).
 */
export async function readPackageTrees(
  reader: ObjectReader,
  trees: Iterable<string>,
  blobMemo: Map<string, Uint8Array> = new Map(),
): Promise<Map<string, PackageTree>> {
  const unique = [...new Set(trees)];
  const listings = await Promise.all(unique.map((t) => reader.files(t)));
  const kept = listings.map((l) => l.filter((f) => f.mode !== '120000' && !f.nameUnreadable && !f.nameRefused));
  const wanted = [
    ...new Set(
      kept
        .flat()
        .filter((f) => !blobMemo.has(f.oid))
        .map((f) => f.oid),
    ),
  ];
  const blobs = await Promise.all(wanted.map((oid) => reader.blob(oid)));
  wanted.forEach((oid, i) => blobMemo.set(oid, blobs[i]!));
  return new Map(
    unique.map((tree, i) => [
      tree,
      {
        files: kept[i]!.map((f) => ({ path: f.path, content: blobMemo.get(f.oid)! })),
        unreadableNames: listings[i]!.filter((f) => f.nameUnreadable).map((f) => f.path),
        refusedPaths: listings[i]!.filter((f) => f.nameRefused).map((f) => f.path),
      },
    ]),
  );
}

/** Trees already cached in this repository, whose resources can be copied in the database. */
export async function cachedTreeIds(q: Queryable, repositoryId: number, trees: readonly string[]): Promise<Set<string>> {
  return new Set((await cachedTrees(q, repositoryId, trees)).keys());
}

export async function insertDiscovered(
  q: Queryable,
  repo: RepositoryRef,
  revisions: readonly DiscoveredRevision[],
  files: ReadonlyMap<string, PackageTree>,
  reader: ObjectReader,
  updatedBy: string,
): Promise<void> {
  if (revisions.length === 0) return;
  const packages = await ensurePackages(
    q,
    repo,
    revisions.map((r) => r.packagePath),
    updatedBy,
  );
  const ids = await allocateIds(q, revisions.length);
  const copyFrom = await cachedTrees(
    q,
    repo.id,
    revisions.map((r) => r.treeOid),
  );
  const readTrees = new Map<string, number>(); // tree written in this batch -> revision id holding it

  const revisionRows: unknown[][] = [];
  const resourceRows: unknown[][] = [];
  const copies: { to: number; from: number }[] = [];
  for (const [i, r] of revisions.entries()) {
    const id = ids[i]!;
    let summary: ReturnType<typeof parseKptfile>;
    let unreadable: string[];
    let refused: string[];
    const cached = copyFrom.get(r.treeOid);
    const sameBatch = readTrees.get(r.treeOid);
    if (cached) {
      copies.push({ to: id, from: cached.id });
      summary = cached.kptfile as ReturnType<typeof parseKptfile>;
      const carried = (key: string) => JSON.parse(cached.meta.annotations?.[key] ?? '[]') as string[];
      unreadable = carried(UNREADABLE_NAMES_ANNOTATION);
      refused = carried(REFUSED_PATHS_ANNOTATION);
    } else {
      // Read beforehand unless it was cached then and has gone since (a
      // cleanup in between): read it now rather than lose its resources.
      const { files: tree, unreadableNames, refusedPaths } = files.get(r.treeOid) ?? (await readPackageTrees(reader, [r.treeOid])).get(r.treeOid)!;
      unreadable = unreadableNames;
      refused = refusedPaths;
      if (sameBatch !== undefined) copies.push({ to: id, from: sameBatch });
      else {
        readTrees.set(r.treeOid, id);
        for (const f of tree) resourceRows.push([repo.id, id, f.path, f.content, f.content.length]);
      }
      summary = parseKptfile(tree.find((f) => f.path === 'Kptfile')?.content);
    }
    revisionRows.push([
      repo.id,
      id,
      packages.get(r.packagePath),
      repo.namespace,
      packageRevisionName(repo.name, r.packagePath, r.workspace),
      r.packagePath,
      r.workspace,
      r.revision,
      r.lifecycle,
      JSON.stringify(summary.readinessGates?.length ? { readinessGates: summary.readinessGates } : {}),
      JSON.stringify(r.tasks),
      summary.upstreamLock ? JSON.stringify(summary.upstreamLock) : null,
      JSON.stringify(summary),
      r.gitRef,
      r.commit,
      r.treeOid,
      r.publishedBy ?? null,
      r.publishedAt ?? null,
      r.createdAt,
      updatedBy,
      leftOutMeta(unreadable, refused),
    ]);
  }
  await insertRows(
    q,
    'package_revisions',
    [
      'repository_id',
      'id',
      'package_id',
      'namespace',
      'name',
      'package_path',
      'workspace',
      'revision',
      'lifecycle',
      'spec',
      'tasks',
      'upstream_lock',
      'kptfile',
      'git_ref',
      'git_commit',
      'tree_id',
      'published_by',
      'published_at',
      'created_at',
      'updated_by',
      'meta',
    ],
    revisionRows,
  );
  await insertRows(q, 'resources', ['repository_id', 'package_revision_id', 'path', 'content', 'size_bytes'], resourceRows);
  for (const batch of chunks(copies, ROWS_PER_STATEMENT)) {
    await q.query(
      `INSERT INTO resources (repository_id, package_revision_id, path, content, size_bytes)
       SELECT $1, c.to_id, s.path, s.content, s.size_bytes
         FROM unnest($2::bigint[], $3::bigint[]) AS c(to_id, from_id)
         JOIN resources s ON s.repository_id = $1 AND s.package_revision_id = c.from_id AND s.status = 'default'`,
      [repo.id, batch.map((c) => c.to), batch.map((c) => c.from)],
    );
  }
}

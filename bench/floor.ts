// The floor for the sync benchmark: native tools doing the same work a first
// sync does. `git clone --mirror` over the same HTTP server, `git for-each-ref`
// plus `git cat-file --batch` reading the same commits, package trees and
// blobs, and one bulk insert of the same rows into the same database.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import type { Database, Queryable } from '../src-main/db/database.ts';
import { timed } from './measure.ts';

const execFileAsync = promisify(execFile);

const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1' };

export interface FloorFile {
  path: string;
  content: Buffer;
}

/** One package revision as native git reads it: a tag or the package on the branch (placeholder). */
export interface FloorRevision {
  packagePath: string;
  revision: number; // -1 for the placeholder
  ref: string;
  commit: string;
  tree: string;
  message: string;
  files: FloorFile[];
}

export interface FloorTimes {
  cloneMs: number;
  readMs: number;
  insertMs: number;
  totalMs: number;
  revisions: number;
  resourceRows: number;
  objectsRead: { commits: number; trees: number; blobs: number };
}

export async function mirrorClone(url: string, dir: string): Promise<number> {
  const { ms } = await timed(() => execFileAsync('git', ['clone', '--quiet', '--mirror', url, dir], { env: GIT_ENV }));
  return ms;
}

interface BatchObject {
  oid: string;
  type: string;
  content: Buffer;
}

/** Feeds object names to one `git cat-file --batch` and parses every answer, in order. */
async function catFileBatch(gitdir: string, names: readonly string[]): Promise<(BatchObject | undefined)[]> {
  if (names.length === 0) return [];
  const child = spawn('git', ['-c', 'safe.directory=*', 'cat-file', '--batch'], { cwd: gitdir, env: GIT_ENV, stdio: ['pipe', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const closed = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
  child.stdin.end(`${names.join('\n')}\n`);
  const code = await closed;
  if (code !== 0) throw new Error(`git cat-file --batch failed (${code}): ${stderr}`);
  const out = Buffer.concat(chunks);
  const objects: (BatchObject | undefined)[] = [];
  let pos = 0;
  for (let i = 0; i < names.length; i++) {
    const nl = out.indexOf(10, pos);
    const header = out.toString('latin1', pos, nl);
    pos = nl + 1;
    const [oid, type, size] = header.split(' ');
    if (type === 'missing' || type === 'ambiguous' || size === undefined) {
      objects.push(undefined);
      continue;
    }
    const n = Number(size);
    objects.push({ oid: oid!, type: type!, content: out.subarray(pos, pos + n) });
    pos += n + 1; // content, then a newline
  }
  return objects;
}

interface TreeEntry {
  mode: string;
  name: string;
  oid: string;
}

/** Git's binary tree format: `<mode> <name>\0<20-byte id>` repeated. */
function parseTree(buf: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const space = buf.indexOf(32, pos);
    const nul = buf.indexOf(0, space);
    entries.push({
      mode: buf.toString('latin1', pos, space),
      name: buf.toString('utf8', space + 1, nul),
      oid: buf.toString('hex', nul + 1, nul + 21),
    });
    pos = nul + 21;
  }
  return entries;
}

/**
 * Reads what a first sync reads, with native git: every ref, each tag's commit
 * and package tree, the branch's packages (placeholders), and every blob of
 * those trees. Blobs and trees are read once each, as the sync memoises them.
 */
export async function readWithNativeGit(gitdir: string, branch = 'main'): Promise<{ revisions: FloorRevision[]; objects: FloorTimes['objectsRead'] }> {
  const { stdout } = await execFileAsync('git', ['-c', 'safe.directory=*', 'for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads', 'refs/tags'], {
    cwd: gitdir,
    env: GIT_ENV,
    maxBuffer: 256 * 1024 * 1024,
  });
  const tags: { ref: string; oid: string; path: string; revision: number }[] = [];
  let branchOid: string | undefined;
  for (const line of stdout.split('\n')) {
    const [oid, ref] = line.split(' ');
    if (!oid || !ref) continue;
    if (ref === `refs/heads/${branch}`) branchOid = oid;
    const m = /^refs\/tags\/(.+)\/v(\d+)$/.exec(ref);
    if (m) tags.push({ ref, oid, path: m[1]!, revision: Number(m[2]) });
  }

  // Pass 1: commits of every tag and of the branch, each tag's package tree, the branch's root tree.
  const names: string[] = [];
  for (const t of tags) names.push(`${t.oid}^{commit}`, `${t.oid}:${t.path}`);
  if (branchOid) names.push(`${branchOid}^{commit}`, `${branchOid}^{tree}`);
  const first = await catFileBatch(gitdir, names);
  const trees = new Map<string, TreeEntry[]>();
  const revisions: FloorRevision[] = [];
  tags.forEach((t, i) => {
    const commit = first[2 * i];
    const tree = first[2 * i + 1];
    if (!commit || !tree || tree.type !== 'tree') return;
    trees.set(tree.oid, parseTree(tree.content));
    revisions.push({
      packagePath: t.path,
      revision: t.revision,
      ref: t.ref,
      commit: commit.oid,
      tree: tree.oid,
      message: commitMessage(commit.content),
      files: [],
    });
  });
  let commits = revisions.length;
  if (branchOid) {
    const commit = first[2 * tags.length];
    const root = first[2 * tags.length + 1];
    if (commit) commits++;
    // Pass 2: package trees on the branch not already read through a tag.
    const packageDirs = root ? parseTree(root.content).filter((e) => e.mode === '40000') : [];
    const unread = [...new Set(packageDirs.map((e) => e.oid).filter((oid) => !trees.has(oid)))];
    for (const obj of await catFileBatch(gitdir, unread)) if (obj) trees.set(obj.oid, parseTree(obj.content));
    for (const e of packageDirs) {
      const entries = trees.get(e.oid);
      if (!entries?.some((x) => x.name === 'Kptfile')) continue;
      revisions.push({ packagePath: e.name, revision: -1, ref: `refs/heads/${branch}`, commit: commit?.oid ?? branchOid, tree: e.oid, message: '', files: [] });
    }
  }

  // Pass 3: every distinct blob of those package trees.
  const blobIds = new Set<string>();
  for (const entries of trees.values()) for (const e of entries) if (e.mode.startsWith('100')) blobIds.add(e.oid);
  const blobList = [...blobIds];
  const blobs = new Map<string, Buffer>();
  (await catFileBatch(gitdir, blobList)).forEach((obj, i) => {
    if (obj) blobs.set(blobList[i]!, obj.content);
  });
  for (const r of revisions) {
    for (const e of trees.get(r.tree) ?? []) {
      const content = blobs.get(e.oid);
      if (content && e.mode.startsWith('100')) r.files.push({ path: e.name, content });
    }
  }
  return { revisions, objects: { commits, trees: trees.size + (branchOid ? 1 : 0), blobs: blobs.size } };
}

function commitMessage(raw: Buffer): string {
  const i = raw.indexOf('\n\n');
  return i < 0 ? '' : raw.toString('utf8', i + 2);
}

const FLOOR_REVISIONS = 'porchlight_floor_package_revisions';
const FLOOR_RESOURCES = 'porchlight_floor_resources';

/** Our two big tables' columns, without partitions, triggers or secondary indexes: the floor. */
const CREATE_SCRATCH = `
  DROP TABLE IF EXISTS ${FLOOR_RESOURCES};
  DROP TABLE IF EXISTS ${FLOOR_REVISIONS};
  CREATE UNLOGGED TABLE ${FLOOR_REVISIONS} (
    repository_id bigint NOT NULL, id bigint NOT NULL, package_id bigint NOT NULL,
    namespace text NOT NULL, name text NOT NULL, package_path text NOT NULL, workspace text NOT NULL,
    revision integer NOT NULL, lifecycle text NOT NULL, latest boolean NOT NULL DEFAULT false,
    meta jsonb NOT NULL DEFAULT '{}', spec jsonb NOT NULL DEFAULT '{}', tasks jsonb NOT NULL DEFAULT '[]',
    upstream_lock jsonb, kptfile jsonb, git_ref text, git_commit text, tree_id text,
    published_by text, published_at timestamptz, resource_version bigint NOT NULL DEFAULT 1,
    status text NOT NULL DEFAULT 'default', created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(), updated_by text NOT NULL,
    PRIMARY KEY (repository_id, id));
  CREATE UNLOGGED TABLE ${FLOOR_RESOURCES} (
    repository_id bigint NOT NULL, id bigint NOT NULL, package_revision_id bigint NOT NULL,
    path text NOT NULL, content bytea NOT NULL, status text NOT NULL DEFAULT 'default',
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (repository_id, id));`;

const ROWS_PER_INSERT = 500;

async function multiRowInsert(q: Queryable, table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const params: unknown[] = [];
    const tuples = rows.slice(i, i + ROWS_PER_INSERT).map((row) => `(${row.map((v) => (params.push(v), `$${params.length}`)).join(',')})`);
    await q.query(`INSERT INTO ${table} (${columns.join(',')}) VALUES ${tuples.join(',')}`, params);
  }
}

/**
 * One bulk insert of the same rows the sync writes (one per revision and one
 * per file, similar JSON sizes) into unlogged scratch tables in the same
 * database, in one transaction. Returns the milliseconds of the insert only.
 */
export async function bulkInsert(db: Database, revisions: readonly FloorRevision[]): Promise<{ ms: number; resourceRows: number }> {
  await db.exec(CREATE_SCRATCH);
  try {
    const by = 'bench@floor';
    const packageIds = new Map<string, number>();
    let nextId = 1_000_000;
    const revisionRows: unknown[][] = [];
    const resourceRows: unknown[][] = [];
    for (const r of revisions) {
      let pkg = packageIds.get(r.packagePath);
      if (pkg === undefined) packageIds.set(r.packagePath, (pkg = nextId++));
      const id = nextId++;
      const workspace = r.revision === -1 ? 'main' : `v${r.revision}`;
      const kptfile = r.files.find((f) => f.path === 'Kptfile')?.content.toString('utf8') ?? null;
      const when = new Date();
      revisionRows.push([
        1,
        id,
        pkg,
        'default',
        `bench.${r.packagePath}.${workspace}`,
        r.packagePath,
        workspace,
        r.revision,
        'Published',
        JSON.stringify({ uid: '00000000-0000-4000-8000-000000000000' }),
        '{}',
        '[]',
        null,
        JSON.stringify({ document: kptfile, packageMetadata: {}, readinessGates: [], conditions: [], upstreamLock: null }),
        r.ref,
        r.commit,
        r.tree,
        'porch@kpt.dev',
        when,
        when,
        by,
      ]);
      for (const f of r.files) resourceRows.push([1, nextId++, id, f.path, f.content]);
    }
    const { ms } = await timed(() =>
      db.transaction(async (tx) => {
        await multiRowInsert(
          tx,
          FLOOR_REVISIONS,
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
            'meta',
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
          ],
          revisionRows,
        );
        await multiRowInsert(tx, FLOOR_RESOURCES, ['repository_id', 'id', 'package_revision_id', 'path', 'content'], resourceRows);
      }),
    );
    return { ms, resourceRows: resourceRows.length };
  } finally {
    await db.exec(`DROP TABLE IF EXISTS ${FLOOR_RESOURCES}; DROP TABLE IF EXISTS ${FLOOR_REVISIONS};`);
  }
}

/** The whole floor: clone, read, insert. */
export async function measureFloor(opts: { url: string; cloneDir: string; db: Database; branch?: string }): Promise<FloorTimes> {
  const cloneMs = await mirrorClone(opts.url, opts.cloneDir);
  const read = await timed(() => readWithNativeGit(opts.cloneDir, opts.branch));
  const insert = await bulkInsert(opts.db, read.value.revisions);
  return {
    cloneMs,
    readMs: read.ms,
    insertMs: insert.ms,
    totalMs: cloneMs + read.ms + insert.ms,
    revisions: read.value.revisions.length,
    resourceRows: insert.resourceRows,
    objectsRead: read.value.objects,
  };
}

/** `git ls-remote` of the same URL: the native cost of "did anything change?". */
export async function lsRemote(url: string): Promise<number> {
  const { ms } = await timed(() => execFileAsync('git', ['ls-remote', url], { env: GIT_ENV, maxBuffer: 64 * 1024 * 1024 }));
  return ms;
}

/** `git fetch` into the floor's mirror: the native cost of bringing one new tag over. */
export async function mirrorFetch(dir: string): Promise<number> {
  const { ms } = await timed(() => execFileAsync('git', ['-c', 'safe.directory=*', '--git-dir', dir, 'fetch', '--quiet', '--prune'], { env: GIT_ENV }));
  return ms;
}

// A fast synthetic seeder: writes registered repositories, packages, package
// revisions and (optionally) resources straight into a Porchlight database
// with set-based SQL (INSERT ... SELECT FROM generate_series, values only as
// parameters), through the project's own Database interface, so it runs
// unchanged on PGlite and PostgreSQL. No Git is involved: the rows look like
// what a sync of Porch-layout repositories leaves behind, so the real service
// lists, pages and reads them (see verifySeeded).
//
// Shape, per repository (`<prefix>-NNNN`, spec.git.repo on the never-resolving
// `.invalid` domain, Ready=True, sync interval 0 so nothing ever syncs them):
//   packages `pkg-NNNNN`, one in eight under `apps/`, one in eight under
//   `infra/network/`; each package gets `slotsPerPackage` revisions (the last
//   package of a repository fewer, so the total is exact):
//   - slot 0: the placeholder revision of branch `main` (revision -1),
//   - then published revisions v1, v2, ... (tags `<path>/v<N>`, workspace `v<N>`),
//   - the last slot of some packages is a Draft or Proposed (revision 0,
//     workspace `v<next>`, database only), per `lifecycleMix`;
//   - the latest published revision of some packages is DeletionProposed.
//   `latest` is written correct (the trigger then finds nothing to change).
//   Names are `<repo>.<path with / as .>.<workspace>`, as Porch names them.
// Resources: `Kptfile` (consistent with the kptfile column) and
// `resource-NNN.yaml` ConfigMaps, `resourcesPerRevision` in all.
//
// Batching: one transaction per repository, one statement per table per chunk
// of at most `batchRevisions` revisions, so 100,000 revisions in one repository
// or 500 repositories of 200 both stay bounded.
//
// CLI (for the scale benchmark):
//   node --import tsx test/support/seed-revisions.ts --db DIR|postgres://... \
//     --repositories 500 --revisions-per-repository 200 --resources-per-revision 15
import { pathToFileURL } from 'node:url';
import { runUpkeep } from '../../src-main/cache/pglite-upkeep.ts';
import { parseArgs } from 'node:util';
import type { Database, Queryable } from '../../src-main/db/database.ts';

export interface LifecycleMix {
  /** Fraction of all revisions that are Drafts (default 0.03). */
  draft?: number;
  /** Fraction that are Proposed (default 0.02). */
  proposed?: number;
  /** Fraction that are DeletionProposed (default 0.005). The rest is Published. */
  deletionProposed?: number;
}

export interface SeedOptions {
  namespace?: string;
  /** Number of repositories to create. */
  repositories: number;
  revisionsPerRepository: number;
  /** Resource rows per revision (default 0); the first is the Kptfile. */
  resourcesPerRevision?: number;
  /** Revisions per package, placeholder included (default 4, minimum 2). */
  slotsPerPackage?: number;
  lifecycleMix?: LifecycleMix;
  /** Repository names are `<prefix>-NNNN` (default 'synthetic'); they must not exist yet. */
  repositoryPrefix?: string;
  /** Most revisions written by one INSERT (default 20,000). */
  batchRevisions?: number;
  /**
   * Planner statistics afterwards. 'like-sync' (default) does what a sync does
   * after caching 500 or more revisions of a repository (a small ANALYZE of
   * package_revisions' key columns), and nothing if no repository is that big;
   * 'like-app' adds what the app's PGlite upkeep does within seconds of the
   * database going idle (src-main/cache/pglite-upkeep.ts; PostgreSQL's
   * autovacuum does its own); 'full' analyzes the four tables; 'none' leaves
   * it to autovacuum (PostgreSQL) or to nobody (PGlite has no autovacuum).
   */
  analyze?: 'like-sync' | 'like-app' | 'full' | 'none';
  /** updated_by of every row (default 'seed-revisions'). */
  updatedBy?: string;
  /** Called after each repository is committed. */
  onProgress?: (p: { repositoriesDone: number; revisions: number; resources: number; ms: number }) => void;
}

export interface SeedResult {
  namespace: string;
  repositories: { id: number; name: string }[];
  packages: number;
  revisions: number;
  resources: number;
  byLifecycle: Record<string, number>;
  ms: number;
  analyzeMs: number;
  revisionsPerSecond: number;
  resourcesPerSecond: number;
}

/** What a sync does after a big first sync (src-main/cache/sync.ts, ANALYZE_AFTER_ROWS). */
const SYNC_ANALYZE_AFTER_ROWS = 500;

// The package path of package index g, zero-padded to $width so names sort like numbers.
const PATH_SQL = `(CASE g % 8 WHEN 3 THEN 'apps/' WHEN 7 THEN 'infra/network/' ELSE '' END) || 'pkg-' || lpad(g::text, $width::int, '0')`;

function fractions(mix: LifecycleMix | undefined, slots: number, placeholders: boolean): { draft: number; proposed: number; deletion: number } {
  const draft = mix?.draft ?? 0.03;
  const proposed = mix?.proposed ?? 0.02;
  const deletion = mix?.deletionProposed ?? 0.005;
  for (const [k, v] of Object.entries({ draft, proposed, deletion })) {
    if (!(v >= 0 && v <= 1)) throw new Error(`lifecycleMix.${k} must be between 0 and 1, not ${v}`);
  }
  // One unpublished revision per chosen package, so a package is chosen with
  // probability fraction x revisions per package.
  const perPackage = { draft: draft * slots, proposed: proposed * slots, deletion: deletion * slots };
  const publishedSlots = slots - (placeholders ? 1 : 0);
  const sum = perPackage.draft + perPackage.proposed + perPackage.deletion;
  if (sum > 1 || (publishedSlots < 1 && sum > 0)) {
    throw new Error(`lifecycleMix asks for more unpublished revisions than one per package of ${slots}: lower it or raise slotsPerPackage`);
  }
  return perPackage;
}

/** Numbered parameters by name: `$name` in the SQL text becomes `$<n>`; values never reach the text. */
function named(sql: string, values: Record<string, unknown>): { sql: string; params: unknown[] } {
  const order: string[] = [];
  const text = sql.replace(/\$([a-zA-Z_]\w*)/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`no value for $${name}`);
    let i = order.indexOf(name);
    if (i < 0) i = order.push(name) - 1;
    return `$${i + 1}`;
  });
  return { sql: text, params: order.map((n) => values[n]) };
}

async function run(q: Queryable, sql: string, values: Record<string, unknown>) {
  const n = named(sql, values);
  return q.query(n.sql, n.params);
}

// One row per (package g, slot s) of the chunk, with what it is. u is a
// deterministic uniform number per package deciding its lifecycle mix.
const SLOTS_SQL = `
  SELECT g, s, n, path, regexp_replace(path, '^.*/', '') AS leaf, f,
         CASE
           WHEN $placeholders::boolean AND s = 0 THEN 'placeholder'
           WHEN s = n - 1 AND s >= f AND u < $pDraft::float8 THEN 'Draft'
           WHEN s = n - 1 AND s >= f AND u < $pDraft::float8 + $pProposed::float8 THEN 'Proposed'
           ELSE 'Published'
         END AS kind,
         u
    FROM (
      SELECT g, s, least($slots::int, $total::int - g * $slots::int) AS n, ${PATH_SQL} AS path,
             CASE WHEN $placeholders::boolean THEN 1 ELSE 0 END AS f,
             (abs(hashint8(g::bigint * 1000003 + $repoIndex::bigint)) % 1000000) / 1000000.0 AS u
        FROM generate_series($g0::int, $g1::int - 1) AS g
        CROSS JOIN generate_series(0, $slots::int - 1) AS s
       WHERE g * $slots::int + s < $total::int
    ) x`;

const REVISIONS_SQL = `
  INSERT INTO package_revisions (repository_id, package_id, namespace, name, package_path, workspace, revision,
    lifecycle, latest, spec, tasks, kptfile, git_ref, git_commit, tree_id, published_by, published_at,
    created_at, updated_at, updated_by)
  SELECT $repoId::bigint, p.id, $namespace::text, $repoName::text || '.' || replace(r.path, '/', '.') || '.' || r.workspace,
         r.path, r.workspace, r.revision, r.lifecycle, r.latest, '{}'::jsonb,
         CASE WHEN r.revision = 0
              THEN jsonb_build_array(jsonb_build_object('type', 'init', 'init', jsonb_build_object('description', 'synthetic package ' || r.leaf)))
              ELSE '[]'::jsonb END,
         jsonb_build_object(
           'document', jsonb_build_object('apiVersion', 'kpt.dev/v1', 'kind', 'Kptfile',
             'metadata', jsonb_build_object('name', r.leaf, 'annotations', jsonb_build_object('config.kubernetes.io/local-config', 'true')),
             'info', jsonb_build_object('description', 'synthetic package ' || r.leaf)),
           'packageMetadata', jsonb_build_object('annotations', jsonb_build_object('config.kubernetes.io/local-config', 'true')),
           'readinessGates', '[]'::jsonb, 'conditions', '[]'::jsonb, 'upstreamLock', NULL),
         CASE WHEN r.revision = -1 THEN 'refs/heads/main'
              WHEN r.revision > 0 THEN 'refs/tags/' || r.path || '/v' || r.revision END,
         CASE WHEN r.revision = -1 THEN md5($repoName::text || ' head') || left(md5($repoName::text), 8)
              WHEN r.revision > 0 THEN md5(r.path || r.revision || ' commit') || left(md5(r.path), 8) END,
         md5($repoName::text || r.path || r.workspace || ' tree') || left(md5(r.path || ' tree'), 8),
         CASE WHEN r.revision > 0 THEN 'porch@kpt.dev' END,
         CASE WHEN r.revision > 0 THEN r.at END,
         r.at, r.at, $updatedBy::text
    FROM (
      SELECT sl.*,
             CASE sl.kind WHEN 'placeholder' THEN -1 WHEN 'Published' THEN sl.s - sl.f + 1 ELSE 0 END AS revision,
             CASE sl.kind WHEN 'placeholder' THEN 'main' ELSE 'v' || (sl.s - sl.f + 1) END AS workspace,
             CASE WHEN sl.kind IN ('Draft', 'Proposed') THEN sl.kind
                  WHEN sl.kind = 'Published' AND sl.s = sl.best AND sl.u >= $pDraft::float8 + $pProposed::float8 AND sl.u < $pDraft::float8 + $pProposed::float8 + $pDeletion::float8
                    THEN 'DeletionProposed'
                  ELSE 'Published' END AS lifecycle,
             sl.kind = 'Published' AND sl.s = sl.best AS latest,
             $baseTime::timestamptz + make_interval(secs => (sl.g * $slots::int + sl.s) * 60) AS at
        FROM (
          SELECT x.*,
                 -- the highest published slot: the last, unless the last is a draft or proposal
                 CASE WHEN x.u < $pDraft::float8 + $pProposed::float8 AND x.n - 1 >= x.f THEN x.n - 2 ELSE x.n - 1 END AS best
            FROM (${SLOTS_SQL}) x
        ) sl
    ) r
    JOIN packages p ON p.repository_id = $repoId::bigint AND p.package_path = r.path AND p.status = 'default'`;

const PACKAGES_SQL = `
  INSERT INTO packages (repository_id, namespace, name, package_path, created_at, updated_at, updated_by)
  SELECT $repoId::bigint, $namespace::text, $repoName::text || '.' || replace(path, '/', '.'), path, $baseTime::timestamptz, $baseTime::timestamptz, $updatedBy::text
    FROM (SELECT ${PATH_SQL} AS path FROM generate_series($g0::int, $g1::int - 1) AS g) s
  RETURNING id`;

const resourcesSql = (withSizes: boolean) => `
  INSERT INTO resources (repository_id, package_revision_id, path, content, created_at${withSizes ? ', size_bytes' : ''})
  SELECT pr.repository_id, pr.id, c.path, c.content, pr.created_at${withSizes ? ', octet_length(c.content)' : ''}
    FROM package_revisions pr
    CROSS JOIN LATERAL (SELECT regexp_replace(pr.package_path, '^.*/', '') AS leaf) l
    CROSS JOIN generate_series(0, $perRevision::int - 1) AS k
    CROSS JOIN LATERAL (SELECT
         CASE WHEN k = 0 THEN 'Kptfile' ELSE 'resource-' || lpad(k::text, 3, '0') || '.yaml' END AS path,
         convert_to(CASE WHEN k = 0 THEN
           'apiVersion: kpt.dev/v1' || chr(10) || 'kind: Kptfile' || chr(10) || 'metadata:' || chr(10) ||
           '  name: ' || l.leaf || chr(10) || '  annotations:' || chr(10) ||
           '    config.kubernetes.io/local-config: "true"' || chr(10) || 'info:' || chr(10) ||
           '  description: synthetic package ' || l.leaf || chr(10)
         ELSE
           'apiVersion: v1' || chr(10) || 'kind: ConfigMap' || chr(10) || 'metadata:' || chr(10) ||
           '  name: ' || l.leaf || '-' || k || chr(10) || '  namespace: ' || l.leaf || chr(10) ||
           '  labels:' || chr(10) || '    app.kubernetes.io/part-of: ' || l.leaf || chr(10) ||
           'data:' || chr(10) || '  revision: "' || pr.workspace || '"' || chr(10) ||
           '  checksum: ' || md5(pr.name || k) || chr(10) ||
           '  setting-a: "' || (pr.id % 997) || '"' || chr(10) || '  setting-b: enabled' || chr(10)
         END, 'UTF8') AS content) c
   WHERE pr.repository_id = $repoId::bigint AND pr.status = 'default' AND pr.package_id = ANY($packageIds::bigint[])`;

/**
 * Seeds `repositories` x `revisionsPerRepository` package revisions. Repository
 * names must be free in the namespace (the unique index refuses otherwise).
 */
export async function seedRevisions(db: Database, opts: SeedOptions): Promise<SeedResult> {
  const namespace = opts.namespace ?? 'default';
  // Sizes are written with the files, as the app writes them (migration 008), when the schema has the column.
  const withSizes = (await db.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'resources' AND column_name = 'size_bytes'`)).rows.length > 0;
  const slots = opts.slotsPerPackage ?? 4;
  const perRevision = opts.resourcesPerRevision ?? 0;
  const prefix = opts.repositoryPrefix ?? 'synthetic';
  const batch = Math.max(slots, opts.batchRevisions ?? 20_000);
  const updatedBy = opts.updatedBy ?? 'seed-revisions';
  const total = opts.revisionsPerRepository;
  if (!Number.isInteger(opts.repositories) || opts.repositories < 1) throw new Error('repositories must be a positive integer');
  if (!Number.isInteger(total) || total < 1) throw new Error('revisionsPerRepository must be a positive integer');
  if (!Number.isInteger(slots) || slots < 2) throw new Error('slotsPerPackage must be an integer of at least 2');
  if (!Number.isInteger(perRevision) || perRevision < 0) throw new Error('resourcesPerRevision must be a non-negative integer');
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(prefix) || prefix.length > 50) throw new Error(`repositoryPrefix "${prefix}" must be a short DNS label`);
  const placeholders = true;
  const p = fractions(opts.lifecycleMix, slots, placeholders);
  const packagesPerRepository = Math.ceil(total / slots);
  const width = Math.max(5, String(packagesPerRepository).length);
  const repoWidth = Math.max(4, String(opts.repositories).length);
  const chunkPackages = Math.max(1, Math.floor(batch / slots));
  // Every run the same timestamps, so runs compare; an hour apart per repository.
  const baseTime = new Date(Date.UTC(2025, 0, 1));

  const started = performance.now();
  const created: { id: number; name: string }[] = [];
  let revisions = 0;
  let resources = 0;
  let packages = 0;
  for (let ri = 0; ri < opts.repositories; ri++) {
    const repoName = `${prefix}-${String(ri + 1).padStart(repoWidth, '0')}`;
    const repoStarted = performance.now();
    const counts = await db.transaction(async (tx) => {
      const repo = await run(
        tx,
        `INSERT INTO repositories (namespace, name, meta, spec, deployment, sync_interval_s, conditions, updated_by)
         VALUES ($namespace::text, $repoName::text, jsonb_build_object('uid', gen_random_uuid()::text), $spec::jsonb, false, 0, $conditions::jsonb, $updatedBy::text)
         RETURNING id`,
        {
          namespace,
          repoName,
          updatedBy,
          spec: JSON.stringify({
            description: 'synthetic repository (test/support/seed-revisions.ts)',
            type: 'git',
            content: 'Package',
            deployment: false,
            git: { repo: `https://git.invalid/synthetic/${repoName}.git`, branch: 'main', directory: '/' },
          }),
          conditions: JSON.stringify([
            { type: 'Ready', status: 'True', reason: 'Ready', message: 'seeded by test/support/seed-revisions.ts', lastTransitionTime: baseTime.toISOString() },
          ]),
        },
      );
      const repoId = Number((repo.rows[0] as { id: number }).id);
      const values = { repoId, namespace, repoName, updatedBy, width, baseTime: new Date(baseTime.getTime() + ri * 3_600_000) };
      let revs = 0;
      let res = 0;
      let pkgs = 0;
      for (let g0 = 0; g0 < packagesPerRepository; g0 += chunkPackages) {
        const g1 = Math.min(packagesPerRepository, g0 + chunkPackages);
        const pk = await run(tx, PACKAGES_SQL, { ...values, g0, g1 });
        pkgs += pk.affectedRows;
        const ins = await run(tx, REVISIONS_SQL, {
          ...values,
          g0,
          g1,
          total,
          slots,
          placeholders,
          repoIndex: ri,
          pDraft: p.draft,
          pProposed: p.proposed,
          pDeletion: p.deletion,
        });
        revs += ins.affectedRows;
        if (perRevision > 0) {
          const r = await run(tx, resourcesSql(withSizes), { repoId, perRevision, packageIds: pk.rows.map((row) => Number((row as { id: number }).id)) });
          res += r.affectedRows;
        }
      }
      const stats = {
        cachedOnly: 0,
        both: 0,
        externalOnly: revs,
        durationMs: Math.round(performance.now() - repoStarted),
        remoteUnchanged: false,
        finishedAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      };
      await run(tx, `UPDATE repositories SET sync_stats = $stats::jsonb, last_sync_at = now() WHERE id = $repoId::bigint`, {
        repoId,
        stats: JSON.stringify(stats),
      });
      return { repoId, revs, res, pkgs };
    });
    if (counts.revs !== total) throw new Error(`seeded ${counts.revs} revisions into ${repoName}, expected ${total}`);
    created.push({ id: counts.repoId, name: repoName });
    revisions += counts.revs;
    resources += counts.res;
    packages += counts.pkgs;
    opts.onProgress?.({ repositoriesDone: ri + 1, revisions, resources, ms: performance.now() - started });
  }
  const seededMs = performance.now() - started;

  const analyzeStarted = performance.now();
  const analyze = opts.analyze ?? 'like-sync';
  if (analyze === 'full') {
    await db.exec('ANALYZE repositories; ANALYZE packages; ANALYZE package_revisions; ANALYZE resources');
  } else if ((analyze === 'like-sync' || analyze === 'like-app') && total >= SYNC_ANALYZE_AFTER_ROWS) {
    await db.transaction(async (tx) => {
      await tx.exec('SET LOCAL default_statistics_target = 10');
      await tx.exec('ANALYZE package_revisions (repository_id, name)');
    });
  }
  if (analyze === 'like-app') {
    const upkeep = await runUpkeep(db);
    if (upkeep.failed.length) throw new Error(`upkeep failed: ${upkeep.failed.map((f) => `${f.step.action} ${f.step.table}: ${f.error}`).join('; ')}`);
  }
  const analyzeMs = performance.now() - analyzeStarted;

  const lc = await db.query<{ lifecycle: string; n: number }>(
    `SELECT lifecycle, count(*)::int AS n FROM package_revisions WHERE repository_id = ANY($1::bigint[]) AND status = 'default' GROUP BY lifecycle ORDER BY lifecycle`,
    [created.map((r) => r.id)],
  );
  const seconds = seededMs / 1000;
  return {
    namespace,
    repositories: created,
    packages,
    revisions,
    resources,
    byLifecycle: Object.fromEntries(lc.rows.map((r) => [r.lifecycle, r.n])),
    ms: seededMs,
    analyzeMs,
    revisionsPerSecond: revisions / seconds,
    resourcesPerSecond: resources / seconds,
  };
}

/**
 * Reads seeded rows back through the real service (the first and a
 * late keyset page, one revision by name, its resources) and checks what a
 * sync would guarantee: one latest per package with a published revision, the
 * placeholder never latest. Throws on the first mismatch.
 */
export async function verifySeeded(db: Database, seeded: SeedResult, opts: { dataHome: string }): Promise<{ checked: string[] }> {
  const { openService } = await import('../../src-main/service/service.ts');
  const service = openService({ db, dataHome: opts.dataHome });
  const checked: string[] = [];
  const fail = (m: string): never => {
    throw new Error(`seeded rows do not read back: ${m}`);
  };
  const first = await service.call('revisions.pageFull', { namespace: seeded.namespace, limit: 100 });
  if (first.items.length === 0) fail('the first page is empty');
  // (Order is the database's collation, not JavaScript's: compare pages, not strings.)
  const names = new Set(first.items.map((i) => i.metadata.name));
  if (names.size !== first.items.length) fail('the first page repeats a name');
  if (first.next) {
    const second = await service.call('revisions.pageFull', { namespace: seeded.namespace, limit: 100, after: first.next });
    if (second.items.length === 0 || second.items.some((i) => names.has(i.metadata.name))) fail('the second page is empty or repeats the first');
  }
  checked.push(`first page: ${first.items.length} revisions, next=${first.next ?? 'none'}`);

  // A revision of the last repository, reached by a keyset cursor, then read by name.
  const repo = seeded.repositories.at(-1)!;
  const late = await service.call('revisions.pageFull', { namespace: seeded.namespace, limit: 100, after: `${repo.name}.` });
  const lateItem =
    late.items.find((i) => i.spec.repository === repo.name && (i.spec.revision ?? 0) > 0) ?? late.items.find((i) => i.spec.repository === repo.name);
  if (!lateItem) return fail(`no revision of ${repo.name} on the page after "${repo.name}."`);
  const got = await service.call('revisions.get', { namespace: seeded.namespace, name: lateItem.metadata.name });
  if (got.metadata.name !== lateItem.metadata.name || got.spec.repository !== repo.name)
    fail(`getPackageRevision(${lateItem.metadata.name}) returned ${got.metadata.name}`);
  if (got.metadata.name !== `${repo.name}.${got.spec.packageName.split('/').join('.')}.${got.spec.workspaceName}`)
    fail(`name ${got.metadata.name} is not <repo>.<path>.<workspace>`);
  const revision = got.spec.revision ?? 0;
  const expectedRef = revision > 0 ? `${got.spec.packageName}/v${revision}` : revision === -1 ? 'main' : undefined;
  if (got.status.selfLock?.git.ref !== expectedRef) fail(`selfLock ref of ${got.metadata.name} is ${got.status.selfLock?.git.ref}, expected ${expectedRef}`);
  checked.push(
    `getPackageRevision(${got.metadata.name}): revision ${revision}, ${got.spec.lifecycle}, latest=${got.metadata.labels?.['kpt.dev/latest-revision'] ?? 'false'}`,
  );

  const read = await service.call('revisions.resources', { namespace: seeded.namespace, name: got.metadata.name });
  const perRevision = seeded.revisions ? Math.round(seeded.resources / seeded.revisions) : 0;
  if (read.files.length !== perRevision) fail(`${got.metadata.name} has ${read.files.length} resources, expected ${perRevision}`);
  if (
    perRevision > 0 &&
    !Buffer.from(read.files.find((r) => r.path === 'Kptfile')?.base64 ?? '', 'base64')
      .toString()
      .includes('kind: Kptfile')
  )
    fail('the Kptfile resource is missing');
  checked.push(`readResources: ${read.files.length} files`);

  // The latest flag as the trigger defines it.
  const ids = seeded.repositories.map((r) => r.id);
  const bad = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (
       SELECT pr.repository_id, pr.package_id,
              count(*) FILTER (WHERE pr.latest) AS latest,
              count(*) FILTER (WHERE pr.latest AND (pr.revision < 1 OR pr.lifecycle NOT IN ('Published', 'DeletionProposed'))) AS wrong,
              max(pr.revision) FILTER (WHERE pr.lifecycle IN ('Published', 'DeletionProposed')) AS top,
              max(pr.revision) FILTER (WHERE pr.latest) AS latest_revision
         FROM package_revisions pr WHERE pr.repository_id = ANY($1::bigint[]) AND pr.status = 'default'
        GROUP BY 1, 2) x
      WHERE wrong > 0 OR (top > 0 AND (latest <> 1 OR latest_revision <> top)) OR (coalesce(top, -1) < 1 AND latest > 0)`,
    [ids],
  );
  if ((bad.rows[0]?.n ?? 0) > 0) fail(`${bad.rows[0]!.n} packages have a wrong latest flag`);
  checked.push('latest flags: one per package, on the highest published revision');
  return { checked };
}

// ---- CLI -------------------------------------------------------------------

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' },
      namespace: { type: 'string', default: 'default' },
      repositories: { type: 'string', default: '1' },
      'revisions-per-repository': { type: 'string', default: '1000' },
      'resources-per-revision': { type: 'string', default: '0' },
      'slots-per-package': { type: 'string', default: '4' },
      prefix: { type: 'string', default: 'synthetic' },
      analyze: { type: 'string', default: 'like-app' },
      'no-verify': { type: 'boolean', default: false },
    },
  });
  if (!values.db?.trim()) {
    process.stderr.write(
      'usage: node --import tsx test/support/seed-revisions.ts --db DIR|postgres://... [--namespace NS] [--repositories N] [--revisions-per-repository N]\n' +
        '         [--resources-per-revision N] [--slots-per-package N] [--prefix NAME] [--analyze like-sync|full|none] [--no-verify]\n',
    );
    return 1;
  }
  const { openDatabase } = await import('../../src-main/db/open-database.ts');
  const os = await import('node:os');
  const db = await openDatabase({ db: values.db, env: {} });
  try {
    const repositories = Number(values.repositories);
    const result = await seedRevisions(db, {
      namespace: values.namespace,
      repositories,
      revisionsPerRepository: Number(values['revisions-per-repository']),
      resourcesPerRevision: Number(values['resources-per-revision']),
      slotsPerPackage: Number(values['slots-per-package']),
      repositoryPrefix: values.prefix,
      analyze: values.analyze as SeedOptions['analyze'],
      onProgress: (p) => {
        if (p.repositoriesDone % Math.max(1, Math.floor(repositories / 20)) === 0 || p.repositoriesDone === repositories) {
          process.stderr.write(
            `  ${p.repositoriesDone}/${repositories} repositories, ${p.revisions} revisions, ${p.resources} resources, ${(p.ms / 1000).toFixed(1)} s\n`,
          );
        }
      },
    });
    process.stdout.write(
      `${result.revisions} revisions (${JSON.stringify(result.byLifecycle)}), ${result.packages} packages, ${result.resources} resources in ${result.repositories.length} repositories: ` +
        `${(result.ms / 1000).toFixed(1)} s (${Math.round(result.revisionsPerSecond)} revisions/s, ${Math.round(result.resourcesPerSecond)} resources/s), analyze ${Math.round(result.analyzeMs)} ms\n`,
    );
    if (!values['no-verify']) {
      const v = await verifySeeded(db, result, { dataHome: os.tmpdir() });
      for (const line of v.checked) process.stdout.write(`  ok: ${line}\n`);
    }
    return 0;
  } finally {
    await db.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`seed failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}

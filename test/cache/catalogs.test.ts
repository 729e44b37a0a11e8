// Catalogs (issue 6) on both engines, over repositories registered and synced
// from a real Git server: priority order, fallthrough, revision pinning,
// not-found with the repositories searched, validation, unregistered members
// dropping out, `rpkg clone --catalog` end to end, and proof that a resolve
// reads only the member repositories' partitions (EXPLAIN of the generic
// plans, and the per-partition scan counters of a real resolve).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../../src-main/db/database.ts';
import { runCli } from '../../src-main/cli/main.ts';
import { openTestService, type TestService } from '../support/service.ts';
import type { ServiceContext } from '../../src-main/service/context.ts';
import { catalogOperations } from '../../src-main/service/operations/catalogs.ts';
import { PorchlightError } from '../../src-shared/errors.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';
import { createEmptyRepo, git, unpackBundle, unpackTarRepo } from '../support/fixtures.ts';
import { startGitServer, type GitServer } from '../support/git-server.ts';

/** The rejection of `p` as { code, message, data }, or a failure if it resolved. */
async function failure(p: Promise<unknown>): Promise<{ code: string; message: string; data: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PorchlightError) return { code: e.code, message: e.message, data: e.data };
    throw e;
  }
  throw new Error('expected a rejection');
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Subplans Removed'?: number;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

function walk(node: PlanNode, visit: (n: PlanNode) => void): void {
  visit(node);
  for (const child of node.Plans ?? []) walk(child, visit);
}

const PARTITION = /^package_revisions_p\d+$/;

describe.each(testEngines())('catalogs on $kind', (engine) => {
  useTestEngine(engine);
  let work: string;
  let home: string;
  let server: GitServer;
  let service: TestService;
  const db = (): Database => service.db;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-catalogs-'));
    home = path.join(work, 'home');
    const served = path.join(work, 'served');
    await unpackBundle('test-blueprints', served, 'blueprints');
    await unpackTarRepo('simple-repository', served, 'simple');
    await unpackTarRepo('drafts-repository', served, 'drafts');
    await createEmptyRepo('deploy', served);
    server = await startGitServer({ root: served });
    service = openTestService({ db: await engine.open(), dataHome: home });
    // `extra` and `spare` are the simple repository registered again under other names.
    for (const [name, repo] of [
      ['blueprints', 'blueprints'],
      ['simple', 'simple'],
      ['drafts', 'drafts'],
      ['deploy', 'deploy'],
      ['extra', 'simple'],
    ] as const) {
      const { sync } = await service.registerRepository({ url: server.baseUrl(repo), name });
      expect(sync, `sync of ${name}`).not.toBeInstanceOf(Error);
    }
  });
  afterAll(async () => {
    await service?.close();
    await server?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('resolves from the highest-priority repository, and from the other once reordered', async () => {
    const created = await service.createCatalog({ name: 'bp', repositories: ['simple', 'blueprints'], description: 'team first' });
    expect(created).toMatchObject({
      kind: 'Catalog',
      metadata: { name: 'bp', namespace: 'default' },
      spec: { description: 'team first', repositories: ['simple', 'blueprints'] },
    });
    expect(await service.resolveInCatalog({ catalog: 'bp', packagePath: 'basens' })).toEqual({
      revisionName: 'simple.basens.v2',
      repository: 'simple',
      revision: 2,
      packagePath: 'basens',
      workspace: 'v2',
      searched: ['simple'],
    });

    const reordered = await service.setCatalogRepositories({ name: 'bp', repositories: ['blueprints', 'simple'] });
    expect(reordered.spec.repositories).toEqual(['blueprints', 'simple']);
    expect(await service.resolveInCatalog({ catalog: 'bp', packagePath: 'basens' })).toMatchObject({
      revisionName: 'blueprints.basens.v4',
      repository: 'blueprints',
      revision: 4,
      searched: ['blueprints'],
    });
    expect((await service.call('catalogs.get', { name: 'bp' })).spec.repositories).toEqual(['blueprints', 'simple']);
    expect((await service.listCatalogs()).map((c) => c.metadata.name)).toEqual(['bp']);
  });

  it('falls through to a lower repository, past drafts and revisions proposed for deletion', async () => {
    // istions is only in simple.
    expect(await service.resolveInCatalog({ catalog: 'bp', packagePath: 'istions' })).toMatchObject({
      revisionName: 'simple.istions.v2',
      repository: 'simple',
      searched: ['blueprints', 'simple'],
    });
    // drafts has bucket only as a Draft: not Published, so blueprints answers.
    await service.createCatalog({ name: 'drafts-first', repositories: ['drafts', 'blueprints'] });
    expect(await service.resolveInCatalog({ catalog: 'drafts-first', packagePath: 'bucket' })).toMatchObject({
      revisionName: 'blueprints.bucket.v1',
      searched: ['drafts', 'blueprints'],
    });
    // The latest of drafts proposed for deletion: still latest, no longer Published.
    expect((await service.resolveInCatalog({ catalog: 'drafts-first', packagePath: 'basens' })).revisionName).toBe('drafts.basens.v2');
    expect(await service.changeLifecycle({ name: 'drafts.basens.v2', verb: 'propose-delete' })).toBeDefined();
    expect((await service.resolveInCatalog({ catalog: 'drafts-first', packagePath: 'basens' })).revisionName).toBe('blueprints.basens.v4');
    await service.changeLifecycle({ name: 'drafts.basens.v2', verb: 'reject' });
    expect((await service.resolveInCatalog({ catalog: 'drafts-first', packagePath: 'basens' })).revisionName).toBe('drafts.basens.v2');
  });

  it('pins a revision number: the first repository that has that revision answers', async () => {
    await service.setCatalogRepositories({ name: 'bp', repositories: ['simple', 'blueprints'] });
    expect(await service.resolveInCatalog({ catalog: 'bp', packagePath: 'basens', revision: 1 })).toMatchObject({
      revisionName: 'simple.basens.v1',
      revision: 1,
      searched: ['simple'],
    });
    expect(await service.resolveInCatalog({ catalog: 'bp', packagePath: 'basens', revision: 3 })).toMatchObject({
      revisionName: 'blueprints.basens.v3',
      revision: 3,
      searched: ['simple', 'blueprints'],
    });
    const missing = await failure(service.resolveInCatalog({ catalog: 'bp', packagePath: 'basens', revision: 9 }));
    expect(missing).toMatchObject({ code: 'NOT_FOUND', data: { catalog: 'bp', packagePath: 'basens', revision: 9, searched: ['simple', 'blueprints'] } });
    expect(missing.message).toContain('no Published revision 9 of package "basens" in catalog "bp": searched simple, blueprints (in that order)');
  });

  it('says which repositories it searched, in order, when nothing has the package', async () => {
    await service.createCatalog({ name: 'all', repositories: ['drafts', 'simple', 'blueprints'] });
    const err = await failure(service.resolveInCatalog({ catalog: 'all', packagePath: 'team/web' }));
    expect(err).toMatchObject({
      code: 'NOT_FOUND',
      data: { namespace: 'default', catalog: 'all', packagePath: 'team/web', searched: ['drafts', 'simple', 'blueprints'] },
    });
    expect(err.message).toMatch(
      /^no Published revision of package "team\/web" in catalog "all": searched drafts, simple, blueprints \(in that order\); check the path/,
    );
    // A Draft is not a hit either: `none` exists only as a draft in drafts.
    expect((await failure(service.resolveInCatalog({ catalog: 'all', packagePath: 'none' }))).data.searched).toEqual(['drafts', 'simple', 'blueprints']);
    expect(await failure(service.resolveInCatalog({ catalog: 'nope', packagePath: 'basens' }))).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('catalog "nope" not found in namespace "default"'),
    });
  });

  it('refuses bad requests, saying what was wrong and what to do, and writes nothing', async () => {
    const before = await service.listCatalogs();
    expect(await failure(service.createCatalog({ name: 'Bad_Name', repositories: ['simple'] }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/^name: catalog name must be a lowercase RFC 1123 label/),
    });
    expect(await failure(service.createCatalog({ name: 'empty', repositories: [] }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('a catalog needs at least one repository'),
    });
    expect(await failure(service.createCatalog({ name: 'twice', repositories: ['simple', 'blueprints', 'simple'] }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'repositories.2: repository "simple" is listed more than once; list each repository once, highest priority first',
    });
    expect(await failure(service.createCatalog({ name: 'bad-repo', repositories: ['simple', 'Blue'] }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/^repositories\.1: repository name must be/),
    });
    expect(await failure(service.createCatalog({ name: 'ghosts', repositories: ['simple', 'ghost', 'phantom'] }))).toMatchObject({
      code: 'NOT_FOUND',
      message:
        'repositories "ghost", "phantom" are not registered in namespace "default"; register them first (porchlight repo register URL --name NAME -n default) or leave them out',
      data: { missing: ['ghost', 'phantom'] },
    });
    // Repositories belong to a namespace: simple is registered in default, not in team.
    expect(await failure(service.createCatalog({ namespace: 'team', name: 'bp', repositories: ['simple'] }))).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('repository "simple" is not registered in namespace "team"'),
    });
    expect(await failure(service.createCatalog({ name: 'bp', repositories: ['simple'] }))).toMatchObject({
      code: 'ALREADY_EXISTS',
      message: 'catalog "bp" already exists in namespace "default"; change its repositories with porchlight catalog set-repositories bp, or delete it first',
    });
    expect(await failure(service.setCatalogRepositories({ name: 'bp', repositories: ['ghost'] }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(service.setCatalogRepositories({ name: 'nope', repositories: ['simple'] }))).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('catalog "nope" not found'),
    });
    expect(await failure(service.resolveInCatalog({ catalog: 'bp', packagePath: 'Bad Path' }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/^packagePath: package path must be DNS-1123 labels/),
    });
    expect(await failure(service.resolveInCatalog({ catalog: 'bp', packagePath: 'basens', revision: 0 }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/^revision: revision must be a published revision number/),
    });
    expect(await failure(service.call('catalogs.delete', { name: 'nope' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await service.listCatalogs()).toEqual(before);
    expect((await service.call('catalogs.get', { name: 'bp' })).spec.repositories).toEqual(['simple', 'blueprints']);
  });

  it('drops an unregistered repository from its catalogs', async () => {
    await service.createCatalog({ name: 'temp', repositories: ['extra', 'blueprints'] });
    await service.createCatalog({ name: 'lonely', repositories: ['extra'] });
    expect((await service.resolveInCatalog({ catalog: 'temp', packagePath: 'basens' })).revisionName).toBe('extra.basens.v2');

    await service.unregisterRepository({ name: 'extra' });
    expect((await service.call('catalogs.get', { name: 'temp' })).spec.repositories).toEqual(['blueprints']);
    expect(await service.resolveInCatalog({ catalog: 'temp', packagePath: 'basens' })).toMatchObject({
      revisionName: 'blueprints.basens.v4',
      searched: ['blueprints'],
    });
    expect(await failure(service.resolveInCatalog({ catalog: 'lonely', packagePath: 'basens' }))).toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: expect.stringContaining('catalog "lonely" has no registered repositories left to search'),
    });
    // Once the cleanup worker has deleted the repository row, the membership row is gone too.
    await service.cleanup();
    const members = await db().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM catalog_members m JOIN catalogs c ON c.id = m.catalog_id WHERE c.name = ANY($1::text[])`,
      [['temp', 'lonely']],
    );
    expect(members.rows[0]!.n).toBe(1);
    // Registered again under the same name, it is a new repository: not a member until added.
    await service.registerRepository({ url: server.baseUrl('simple'), name: 'extra' });
    expect((await service.call('catalogs.get', { name: 'temp' })).spec.repositories).toEqual(['blueprints']);
  });

  it('deletes a catalog with its member list, and the name can be used again', async () => {
    await service.call('catalogs.delete', { name: 'temp' });
    expect(await failure(service.call('catalogs.get', { name: 'temp' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(service.call('catalogs.delete', { name: 'temp' }))).toMatchObject({ code: 'NOT_FOUND' });
    const orphans = await db().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM catalog_members m WHERE NOT EXISTS (SELECT 1 FROM catalogs c WHERE c.id = m.catalog_id)`,
    );
    expect(orphans.rows[0]!.n).toBe(0);
    await service.createCatalog({ name: 'temp', repositories: ['extra'] });
    expect((await service.resolveInCatalog({ catalog: 'temp', packagePath: 'basens' })).revisionName).toBe('extra.basens.v2');
    expect((await service.call('catalogs.get', { name: 'temp' })).spec).toEqual({ repositories: ['extra'] });
  });

  describe('reads only the partitions of the member repositories', () => {
    const partitionOf = async (q: Queryable, repository: string) => {
      const res = await q.query<{ part: string; id: number }>(
        `SELECT pr.tableoid::regclass::text AS part, r.id FROM package_revisions pr JOIN repositories r ON r.id = pr.repository_id
          WHERE r.name = $1 AND r.status = 'default' LIMIT 1`,
        [repository],
      );
      return { id: Number(res.rows[0]!.id), partition: res.rows[0]!.part };
    };

    /** Three members in three different partitions, blueprints first: registers copies of simple until they are. */
    async function membersInDistinctPartitions(): Promise<{ name: string; id: number; partition: string }[]> {
      const chosen: { name: string; id: number; partition: string }[] = [];
      const candidates = ['blueprints', 'simple', 'drafts'];
      for (let i = 0; chosen.length < 3; i++) {
        let name = candidates[i];
        if (name === undefined) {
          name = `spare-${i}`;
          await service.registerRepository({ url: server.baseUrl('simple'), name });
        }
        const p = await partitionOf(db(), name);
        if (!chosen.some((c) => c.partition === p.partition)) chosen.push({ name, ...p });
        if (i > 40) throw new Error('no three repositories in distinct partitions');
      }
      return chosen;
    }

    /** The probes of porchlight_catalog_resolve as prepared statements: member id $1, path $2, revision $3. */
    async function probeStatements(q: Queryable): Promise<{ latest: string; revision: string }> {
      const src = (await q.query<{ prosrc: string }>(`SELECT prosrc FROM pg_proc WHERE proname = 'porchlight_catalog_resolve'`)).rows[0]!.prosrc;
      const probes = [...src.matchAll(/SELECT (pr\.id, pr\.name, pr\.workspace, pr\.revision) INTO [^\n]*\n([\s\S]*?LIMIT 1);/g)].map((m) =>
        `SELECT ${m[1]}\n${m[2]}`.replaceAll('member.id', '$1').replaceAll('p_path', '$2').replaceAll('p_revision', '$3'),
      );
      expect(probes).toHaveLength(2);
      return { latest: probes[0]!, revision: probes[1]! };
    }

    it('EXPLAIN of the generic plans: one partition per probe, the other fifteen removed', async () => {
      const members = await membersInDistinctPartitions();
      await service.createCatalog({ name: 'parts', repositories: members.map((m) => m.name) });
      const { latest, revision } = await probeStatements(db());
      const seen: string[] = [];
      // EXECUTE takes no bind parameters: its arguments are literals, checked here to be plain ids, paths and numbers.
      const literal = (v: number | string) => {
        if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
        if (typeof v === 'string' && /^[a-z0-9/-]+$/.test(v)) return `'${v}'`;
        throw new Error(`not a plain literal: ${v}`);
      };
      const suffix = Math.random().toString(36).slice(2, 8);
      const latestName = `catalog_probe_latest_${suffix}`;
      const revisionName = `catalog_probe_revision_${suffix}`;
      await db().transaction(async (tx) => {
        // As the function runs them (SET plan_cache_mode on the function), and as PREPARE/EXECUTE runs them.
        await tx.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
        await tx.query(`PREPARE ${latestName}(bigint, text) AS ${latest}`);
        await tx.query(`PREPARE ${revisionName}(bigint, text, integer) AS ${revision}`);
        for (const m of members) {
          for (const [statement, args] of [
            [latestName, [m.id, 'basens']],
            [revisionName, [m.id, 'basens', 4]],
          ] as const) {
            const res = await tx.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) EXECUTE ${statement}(${args.map(literal).join(', ')})`);
            const raw = res.rows[0]!['QUERY PLAN'];
            const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
            const relations: string[] = [];
            let removed = 0;
            let generic = false;
            walk(plan[0]!.Plan, (n) => {
              if (n['Relation Name'] && PARTITION.test(n['Relation Name'])) relations.push(n['Relation Name']);
              removed += n['Subplans Removed'] ?? 0;
              if (n['Index Cond']?.includes('$1')) generic = true;
            });
            expect(generic, `${statement} is planned generically`).toBe(true);
            expect(relations, `${statement}(${m.name})`).toEqual([m.partition]);
            expect(removed, `${statement}(${m.name})`).toBe(15);
            seen.push(...relations);
          }
        }
        // Prepared statements outlive the transaction; on an error they go with the test database.
        await tx.query(`DEALLOCATE ${latestName}`);
        await tx.query(`DEALLOCATE ${revisionName}`);
      });
      console.log(
        `[${engine.kind}] catalog probes scan only ${[...new Set(seen)].join(', ')} (members ${members.map((m) => `${m.name}=${m.partition}`).join(', ')})`,
      );
    });

    it('a real resolve scans the member partitions and no other', async () => {
      const members = (await service.call('catalogs.get', { name: 'parts' })).spec.repositories;
      const partitions = await Promise.all(members.map((m) => partitionOf(db(), m).then((p) => p.partition)));
      const counters = async (tx: Queryable) =>
        new Map(
          (
            await tx.query<{ relname: string; n: number }>(
              `SELECT relname, (seq_scan + COALESCE(idx_scan, 0))::int AS n FROM pg_stat_xact_user_tables WHERE relname ~ '^package_revisions_p[0-9]+$'`,
            )
          ).rows.map((r) => [r.relname, Number(r.n)]),
        );
      // Revision 4 is only in blueprints, so every member's partition is probed before the hit.
      await service.setCatalogRepositories({ name: 'parts', repositories: [...members.filter((m) => m !== 'blueprints'), 'blueprints'] });
      const touched = await db().transaction(async (tx) => {
        const before = await counters(tx);
        const resolved = await catalogOperations['catalogs.resolve']({ ...service.ctx, db: tx } as unknown as ServiceContext, {
          namespace: 'default',
          catalog: 'parts',
          packagePath: 'basens',
          revision: 4,
        });
        expect(resolved).toMatchObject({ revisionName: 'blueprints.basens.v4', searched: [...members.filter((m) => m !== 'blueprints'), 'blueprints'] });
        const after = await counters(tx);
        return [...after]
          .filter(([rel, n]) => n !== (before.get(rel) ?? 0))
          .map(([rel]) => rel)
          .sort();
      });
      expect(touched).toEqual([...partitions].sort());
    });

    it(`resolves in well under 2 ms`, async () => {
      const time = async (label: string, fn: () => Promise<unknown>) => {
        for (let i = 0; i < 20; i++) await fn();
        const ms: number[] = [];
        for (let i = 0; i < 200; i++) {
          const t = performance.now();
          await fn();
          ms.push(performance.now() - t);
        }
        ms.sort((a, b) => a - b);
        const median = ms[100]!;
        console.log(`[${engine.kind}] resolve ${label}: median ${median.toFixed(3)} ms, p95 ${ms[190]!.toFixed(3)} ms`);
        return median;
      };
      const members = (await service.call('catalogs.get', { name: 'parts' })).spec.repositories;
      expect(members).toHaveLength(3);
      expect(members[2]).toBe('blueprints');
      expect(await time('hit at the first member', () => service.resolveInCatalog({ catalog: 'parts', packagePath: 'basens' }))).toBeLessThan(2);
      expect(await time('hit at the third member', () => service.resolveInCatalog({ catalog: 'parts', packagePath: 'basens', revision: 4 }))).toBeLessThan(2);
      expect(
        await time('miss after three members', () => service.resolveInCatalog({ catalog: 'parts', packagePath: 'basens', revision: 9 }).catch(() => undefined)),
      ).toBeLessThan(2);
    });
  });

  describe('the CLI', () => {
    async function cli(...args: string[]) {
      let stdout = '';
      let stderr = '';
      const code = await runCli(['--db', engine.target, ...args], {
        stdout: (s) => (stdout += s),
        stderr: (s) => (stderr += s),
        env: { ...process.env, PORCHLIGHT_HOME: home, PORCHLIGHT_DB: '' },
      });
      return { code, stdout, stderr };
    }
    // PGlite takes one process at a time: the CLI opens the database itself.
    beforeAll(async () => {
      await service.close();
    });
    afterAll(async () => {
      service = openTestService({ db: await engine.open(), dataHome: home });
    });

    it('creates, lists, reorders, resolves and deletes catalogs', async () => {
      expect(await cli('catalog', 'create', 'web', '--repositories', 'simple,blueprints', '--description', 'team first')).toEqual({
        code: 0,
        stdout: 'web created\n',
        stderr: '',
      });
      const table = await cli('catalog', 'get');
      expect(table.code).toBe(0);
      expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+REPOSITORIES\s+AGE$/);
      expect(table.stdout).toMatch(/\nweb\s+simple,blueprints\s+\d+s\n/);
      expect(JSON.parse((await cli('catalog', 'get', 'web', '-o', 'json')).stdout)).toMatchObject({
        kind: 'Catalog',
        spec: { description: 'team first', repositories: ['simple', 'blueprints'] },
      });
      expect((await cli('catalog', 'resolve', 'web', 'basens', '--no-headers')).stdout).toMatch(
        /^simple\.basens\.v2\s+basens\s+v2\s+2\s+true\s+Published\s+simple\n$/,
      );
      expect((await cli('catalog', 'resolve', 'web', 'basens', '--revision', '3', '-o', 'jsonpath={.metadata.name}')).stdout).toBe('blueprints.basens.v3\n');
      expect(await cli('catalog', 'set-repositories', 'web', '--repositories', 'blueprints,simple')).toEqual({ code: 0, stdout: 'web updated\n', stderr: '' });
      expect((await cli('catalog', 'resolve', 'web', 'basens', '-o', 'custom-columns=NAME:.metadata.name', '--no-headers')).stdout).toBe(
        'blueprints.basens.v4\n',
      );

      expect(await cli('catalog', 'resolve', 'web', 'nope')).toEqual({
        code: 1,
        stdout: '',
        stderr: expect.stringMatching(/^Error: no Published revision of package "nope" in catalog "web": searched blueprints, simple \(in that order\);/),
      });
      expect(await cli('catalog', 'resolve', 'web', 'basens', '--revision', 'latest')).toMatchObject({
        code: 1,
        stderr: expect.stringMatching(/^error: --revision must be a published revision number/),
      });
      expect(await cli('catalog', 'create', 'x')).toMatchObject({ code: 1, stderr: expect.stringMatching(/^error: --repositories is required/) });
      expect(await cli('catalog', 'create', 'x', '--repositories', 'simple,,blueprints')).toMatchObject({
        code: 1,
        stderr: expect.stringMatching(/^error: repositories\.1: repository name must be/),
      });
      expect(await cli('catalog', 'create', 'x', '--repositories', 'ghost')).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('Error: repository "ghost" is not registered in namespace "default"'),
      });
      expect(await cli('catalog', 'get', 'x')).toMatchObject({ code: 1, stderr: expect.stringContaining('catalog "x" not found in namespace "default"') });
      expect((await cli('catalog', 'get', '-A')).stdout.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+REPOSITORIES\s+AGE$/);
    });

    it('rpkg clone --catalog clones the resolved revision with its upstream lock', async () => {
      expect(await cli('rpkg', 'clone', '--catalog', 'web', 'basens', 'team-ns', '--repository', 'deploy', '--workspace', 'v1')).toEqual({
        code: 0,
        stdout: 'deploy.team-ns.v1 created\n',
        stderr: 'basens resolved in catalog web to blueprints.basens.v4\n',
      });
      const upstream = JSON.parse((await cli('rpkg', 'get', 'blueprints.basens.v4', '-o', 'json')).stdout);
      const commit = (await git(path.join(work, 'served', 'blueprints.git'), ['rev-parse', 'basens/v4^{commit}'])).trim();
      expect(upstream.status.selfLock).toEqual({ type: 'git', git: { repo: server.baseUrl('blueprints'), directory: 'basens', ref: 'basens/v4', commit } });

      const draft = JSON.parse((await cli('rpkg', 'get', 'deploy.team-ns.v1', '-o', 'json')).stdout);
      expect(draft.spec).toMatchObject({ lifecycle: 'Draft', repository: 'deploy', packageName: 'team-ns' });
      expect(draft.spec.tasks[0]).toEqual({ type: 'clone', clone: { upstreamRef: { upstreamRef: { name: 'blueprints.basens.v4' } } } });
      expect(draft.status.upstreamLock).toEqual(upstream.status.selfLock);
      const list = YAML.parse((await cli('rpkg', 'pull', 'deploy.team-ns.v1')).stdout);
      const kptfile = list.items.find((i: { kind: string }) => i.kind === 'Kptfile');
      expect(kptfile.upstreamLock).toEqual({ type: 'git', git: { repo: server.baseUrl('blueprints'), directory: 'basens', ref: 'basens/v4', commit } });
      expect(kptfile.upstream).toMatchObject({ type: 'git', git: { repo: server.baseUrl('blueprints'), directory: 'basens', ref: 'basens/v4' } });

      // Reordered, the same command clones from the other repository.
      await cli('catalog', 'set-repositories', 'web', '--repositories', 'simple,blueprints');
      expect(await cli('rpkg', 'clone', '--catalog', 'web', 'basens', 'team-ns2', '--repository', 'deploy')).toMatchObject({
        code: 0,
        stderr: 'basens resolved in catalog web to simple.basens.v2\n',
      });
      expect(JSON.parse((await cli('rpkg', 'get', 'deploy.team-ns2.v1', '-o', 'json')).stdout).status.upstreamLock.git).toMatchObject({
        repo: server.baseUrl('simple'),
        ref: 'basens/v2',
      });
    });

    it('rpkg clone --catalog refuses a Git source and says what it searched', async () => {
      const gitUrl = `${server.baseUrl('blueprints')}/basens@main`;
      expect(await cli('rpkg', 'clone', '--catalog', 'web', gitUrl, 'x', '--repository', 'deploy')).toEqual({
        code: 1,
        stdout: '',
        stderr: `error: --catalog resolves SOURCE_PACKAGE as a package path (e.g. basens or team/web) in the catalog's repositories, so it cannot be combined with a Git source ("${gitUrl}"); clone from the Git URL without --catalog, or give the package path\n`,
      });
      expect(await cli('rpkg', 'clone', '--catalog', 'web', 'basens', 'x', '--repository', 'deploy', '--ref', 'main')).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('cannot be combined with a Git source (--ref)'),
      });
      expect(await cli('rpkg', 'clone', '--catalog', 'web', 'nope', 'x', '--repository', 'deploy')).toMatchObject({
        code: 1,
        stdout: '',
        stderr: expect.stringContaining('no Published revision of package "nope" in catalog "web": searched simple, blueprints (in that order)'),
      });
      expect(await cli('rpkg', 'clone', '--catalog', 'gone', 'basens', 'x', '--repository', 'deploy')).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('catalog "gone" not found'),
      });
      expect((await cli('rpkg', 'get', 'deploy.x.v1')).code).toBe(1);
      expect(await cli('catalog', 'delete', 'web')).toEqual({ code: 0, stdout: 'web deleted\n', stderr: '' });
      expect(await cli('catalog', 'delete', 'web')).toMatchObject({ code: 1, stderr: expect.stringContaining('catalog "web" not found') });
    });
  });
});

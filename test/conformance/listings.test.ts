// Conformance: every repository in ../shared/porch/git-repos, registered through
// a real Git server on loopback (with basic auth), lists exactly the package
// revisions Porch lists for it, on every branch variant and sub-directory that
// Porch's own Go tests use. Expected rows: expected-listings.json (see
// docs/porch-behaviour.md for the rules and where each case comes from).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestService, type TestService } from '../support/service.ts';
import { addBranchCopy, unpackBundle, unpackTarRepo } from '../support/fixtures.ts';
import { startGitServer, type GitServer } from '../support/git-server.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';

interface ExpectedRevision {
  name: string;
  package: string;
  workspace: string;
  revision: number;
  lifecycle: string;
  latest: boolean;
}
interface ExpectedCase {
  archive: string;
  repository: string;
  branch: string;
  directory: string;
  revisions: ExpectedRevision[];
  publishInfo?: Record<string, { publishedBy: string; publishTimestamp: string | null } | string>;
}

const expected = JSON.parse(fs.readFileSync(new URL('./expected-listings.json', import.meta.url), 'utf8')) as Record<string, ExpectedCase | unknown>;
const cases = Object.entries(expected).filter(([id]) => !id.startsWith('_')) as [string, ExpectedCase][];

/** Each case gets its own served repository and its own namespace. */
const namespaceOf = (id: string) =>
  id
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 63)
    .replace(/-+$/, '');

async function materialise(id: string, c: ExpectedCase, root: string): Promise<string> {
  const served = `case-${namespaceOf(id)}`;
  const dir = c.archive.endsWith('.bundle')
    ? await unpackBundle(c.archive.replace(/\.bundle$/, ''), root, served)
    : await unpackTarRepo(c.archive.replace(/\.tar$/, ''), root, served);
  const hasMain =
    fs.existsSync(path.join(dir, 'refs/heads/main')) ||
    fs.readFileSync(path.join(dir, 'packed-refs'), { encoding: 'utf8', flag: 'a+' }).includes('refs/heads/main');
  // As Porch's test helper: the branch is added as a copy of main, and main stays.
  if (c.branch !== 'main' && hasMain) await addBranchCopy(dir, 'main', c.branch);
  return served;
}

// The same cases registered by path: read and written in place, no server.
describe.each(testEngines().flatMap((engine) => (['http', 'path'] as const).map((via) => ({ engine, kind: engine.kind, via }))))(
  'Porch listing conformance on $kind, registered by $via',
  ({ engine, via }) => {
    useTestEngine(engine);
    let server: GitServer;
    let service: TestService;
    let work: string;

    beforeAll(async () => {
      work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-conformance-'));
      const root = path.join(work, 'served');
      fs.mkdirSync(root);
      const served = new Map<string, string>();
      for (const [id, c] of cases) served.set(id, await materialise(id, c, root));
      server = await startGitServer({ root, username: 'nephio', password: 'secret' });
      service = openTestService({ db: await engine.open(), dataHome: path.join(work, 'home') });
      for (const [id, c] of cases) {
        const address =
          via === 'http'
            ? { url: server.baseUrl(served.get(id)!), username: 'nephio', password: 'secret' }
            : { url: path.join(root, `${served.get(id)!}.git`) };
        const { sync } = await service.registerRepository({
          ...address,
          name: c.repository,
          namespace: namespaceOf(id),
          branch: c.branch,
          directory: c.directory || '/',
        });
        if (sync instanceof Error) throw new Error(`${id}: first sync failed: ${sync.message}`);
      }
    }, 300_000);

    afterAll(async () => {
      await service?.close();
      await server?.stop();
      fs.rmSync(work, { recursive: true, force: true });
    });

    it.each(cases)('%s lists what Porch lists', async (id, c) => {
      const listed = await service.listPackageRevisions({ namespace: namespaceOf(id) });
      const rows = listed.map((r) => ({
        name: r.metadata.name,
        package: r.spec.packageName,
        workspace: r.spec.workspaceName,
        revision: r.spec.revision ?? 0,
        lifecycle: r.spec.lifecycle,
        latest: r.metadata.labels?.['kpt.dev/latest-revision'] === 'true',
      }));
      const byName = (a: ExpectedRevision, b: ExpectedRevision) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
      expect(rows).toEqual([...c.revisions].sort(byName));
      // Listing order is Porch's: by name.
      expect(rows.map((r) => r.name)).toEqual(rows.map((r) => r.name).sort());

      for (const [name, info] of Object.entries(c.publishInfo ?? {})) {
        if (name.startsWith('_') || typeof info === 'string') continue;
        const r = listed.find((x) => x.metadata.name === name);
        expect(r, name).toBeDefined();
        if (r!.spec.lifecycle === 'Published' || r!.spec.lifecycle === 'DeletionProposed') {
          expect({ by: r!.status.publishedBy ?? '', at: r!.status.publishTimestamp }, name).toEqual({ by: info.publishedBy, at: info.publishTimestamp });
        }
      }
    });

    it.runIf(via === 'path')('keeps each repository where it is: no clone under the data directory', () => {
      const clones = path.join(work, 'home', 'repos');
      expect(fs.existsSync(clones) ? fs.readdirSync(clones) : []).toEqual([]);
    });

    it('serves every listing again with the Git server stopped', async () => {
      await server.pause();
      try {
        const listed = await service.listPackageRevisions({ allNamespaces: true });
        expect(listed.length).toBe(cases.reduce((n, [, c]) => n + c.revisions.length, 0));
      } finally {
        await server.resume();
      }
    });
  },
);

// The requests Porch's other clients make, replayed against the door of a real
// service: porchctl's (its controller-runtime client serialises whole Go
// structs: null timestamps, empty secretRefs, status objects) and the
// Configuration-as-Data web UI's (kpt-backstage-plugins PorchRestApi.ts: whole
// objects PUT back, approval through the subresource, Secrets then Repositories).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PackageRevision, Repository } from '../../../src-shared/domain.ts';
import { startKubeFixture, type KubeFixture } from './kube-harness.ts';

const PORCH = '/apis/porch.kpt.dev/v1alpha1/namespaces/default';
const CONFIG = '/apis/config.porch.kpt.dev/v1alpha1/namespaces/default';
const CORE = '/api/v1/namespaces/default';
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe("porchctl's requests", () => {
  let f: KubeFixture;
  beforeAll(async () => {
    f = await startKubeFixture({ register: false });
  }, 120_000);
  afterAll(async () => {
    await f?.close();
  });

  it('repo reg: a basic-auth Secret named <repo>-auth, then the Repository naming it', async () => {
    const secret = await f.raw('POST', `${CORE}/secrets`, {
      body: {
        kind: 'Secret',
        apiVersion: 'v1',
        metadata: { name: 'blueprints-auth', namespace: 'default', creationTimestamp: null },
        data: { username: b64('nephio'), password: b64('secret') },
        type: 'kubernetes.io/basic-auth',
      },
    });
    expect(secret.status).toBe(201);
    const repo = await f.raw('POST', `${CONFIG}/repositories`, {
      body: {
        kind: 'Repository',
        apiVersion: 'config.porch.kpt.dev/v1alpha1',
        metadata: { name: 'blueprints', namespace: 'default', creationTimestamp: null },
        spec: { type: 'git', git: { repo: f.blueprintsUrl, branch: 'main', directory: '/', secretRef: { name: 'blueprints-auth' } } },
        status: {},
      },
    });
    expect(repo.status).toBe(201);
    expect(repo.json().spec.git.secretRef).toEqual({ name: 'blueprints-auth' });
    const [registered] = await f.call<Repository[]>('repositories.list', {});
    expect(registered!.status.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  it('rpkg get and repo get: tables with field selectors', async () => {
    const accept = { Accept: 'application/json;as=Table;g=meta.k8s.io;v=v1,application/json' };
    const table = (await f.raw('GET', `${PORCH}/packagerevisions?fieldSelector=spec.packageName%3Dbasens`, { headers: accept })).json();
    expect(table.columnDefinitions.map((c: { name: string }) => c.name)).toEqual([
      'Name',
      'Package',
      'WorkspaceName',
      'Revision',
      'Latest',
      'Lifecycle',
      'Repository',
    ]);
    expect(table.rows.map((r: { cells: unknown[] }) => r.cells[0])).toEqual([
      'blueprints.basens.main',
      'blueprints.basens.v1',
      'blueprints.basens.v2',
      'blueprints.basens.v3',
      'blueprints.basens.v4',
    ]);
    const repos = (await f.raw('GET', `${CONFIG}/repositories`, { headers: accept })).json();
    expect(repos.rows.map((r: { cells: unknown[] }) => r.cells.slice(0, 3))).toEqual([['blueprints', 'git', 'Package']]);
  });

  it('rpkg init, propose, approve: create, then GET and PUT of the whole struct, the approval subresource', async () => {
    const created = await f.raw('POST', `${PORCH}/packagerevisions`, {
      body: {
        kind: 'PackageRevision',
        apiVersion: 'porch.kpt.dev/v1alpha1',
        metadata: { namespace: 'default', creationTimestamp: null },
        spec: {
          packageName: 'porchctl-made',
          repository: 'blueprints',
          workspaceName: 'v1',
          tasks: [{ type: 'init', init: { description: 'sample description' } }],
        },
        status: { publishTimestamp: null },
      },
    });
    expect(created.status).toBe(201);
    const name = created.json().metadata.name;
    expect(name).toBe('blueprints.porchctl-made.v1');
    const pr = (await f.raw('GET', `${PORCH}/packagerevisions/${name}`)).json();
    const proposed = await f.raw('PUT', `${PORCH}/packagerevisions/${name}`, { body: { ...pr, spec: { ...pr.spec, lifecycle: 'Proposed' } } });
    expect(proposed.status).toBe(200);
    const again = proposed.json();
    const approved = await f.raw('PUT', `${PORCH}/packagerevisions/${name}/approval`, { body: { ...again, spec: { ...again.spec, lifecycle: 'Published' } } });
    expect(approved.status).toBe(200);
    expect(approved.json().spec).toMatchObject({ lifecycle: 'Published', revision: 1 });
  });

  it('rpkg pull and push: GET and PUT of packagerevisionresources, with the render status back', async () => {
    const draft = await f.call<PackageRevision>('revisions.copy', { source: 'blueprints.porchctl-made.v1', workspace: 'v2' });
    const pulled = (await f.raw('GET', `${PORCH}/packagerevisionresources/${draft.metadata.name}`)).json();
    const resources = { ...pulled.spec.resources, 'added.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pushed\n' };
    const pushed = await f.raw('PUT', `${PORCH}/packagerevisionresources/${draft.metadata.name}`, {
      body: {
        kind: 'PackageRevisionResources',
        apiVersion: 'porch.kpt.dev/v1alpha1',
        metadata: { name: draft.metadata.name, namespace: 'default', resourceVersion: pulled.metadata.resourceVersion, creationTimestamp: null },
        spec: { resources },
        status: { renderStatus: { result: { metadata: { creationTimestamp: null }, exitCode: 0 }, error: '' } },
      },
    });
    expect(pushed.status).toBe(200);
    expect(pushed.json().status.renderStatus).toMatchObject({ error: '' });
    expect(Object.keys(pushed.json().spec.resources)).toContain('added.yaml');
  });

  it('rpkg upgrade: lists by package, repository and revision', async () => {
    const list = (
      await f.raw('GET', `${PORCH}/packagerevisions?fieldSelector=${encodeURIComponent('spec.packageName=basens,spec.repository=blueprints,spec.revision=3')}`)
    ).json();
    expect(list.items.map((i: PackageRevision) => i.metadata.name)).toEqual(['blueprints.basens.v3']);
  });

  it('rpkg del, repo sync and repo unreg: DELETE, PUT with spec.sync.runOnceAt, then the Repository and its Secret deleted', async () => {
    expect((await f.raw('DELETE', `${PORCH}/packagerevisions/blueprints.porchctl-made.v2`)).status).toBe(200);
    const repo = (await f.raw('GET', `${CONFIG}/repositories/blueprints`)).json();
    const runOnceAt = new Date(Date.now() + 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const synced = await f.raw('PUT', `${CONFIG}/repositories/blueprints`, { body: { ...repo, spec: { ...repo.spec, sync: { runOnceAt } } } });
    expect(synced.status).toBe(200);
    expect(synced.headers.warning).toContain('being synced now');
    expect((await f.raw('DELETE', `${CONFIG}/repositories/blueprints`)).status).toBe(200);
    expect((await f.raw('DELETE', `${CORE}/secrets/blueprints-auth`)).status).toBe(200);
    expect(await f.call('repositories.list', {})).toEqual([]);
    expect((await f.raw('GET', `${CORE}/secrets/blueprints-auth`)).status).toBe(404);
  });
}, 60_000);

describe("the Configuration-as-Data web UI's requests (PorchRestApi.ts)", () => {
  let f: KubeFixture;
  beforeAll(async () => {
    f = await startKubeFixture();
  }, 120_000);
  afterAll(async () => {
    await f?.close();
  });

  it('lists the API groups it needs', async () => {
    const groups = (await f.raw('GET', '/apis')).json().groups.map((g: { name: string }) => g.name);
    expect(groups).toEqual(expect.arrayContaining(['porch.kpt.dev', 'config.porch.kpt.dev']));
  });

  it('registers a team blueprint repository: the Secret (data in base64), then the Repository; lists and gets them', async () => {
    const secret = await f.raw('POST', `${CORE}/secrets`, {
      body: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'team-auth' },
        type: 'kubernetes.io/basic-auth',
        data: { username: b64('nephio'), password: b64('secret') },
      },
    });
    expect(secret.status).toBe(201);
    expect(secret.json()).not.toHaveProperty('data');
    const repo = await f.raw('POST', `${CONFIG}/repositories`, {
      body: {
        apiVersion: 'config.porch.kpt.dev/v1alpha1',
        kind: 'Repository',
        metadata: { name: 'team', labels: {} },
        spec: {
          description: 'Team blueprints',
          content: 'Package',
          type: 'git',
          git: { repo: f.blueprintsUrl, branch: 'main', directory: '/', secretRef: { name: 'team-auth' } },
        },
      },
    });
    expect(repo.status).toBe(201);
    const list = (await f.raw('GET', `${CONFIG}/repositories`)).json();
    expect(list.items.map((r: Repository) => r.metadata.name)).toEqual(['blueprints', 'team']);
    expect((await f.raw('GET', `${CONFIG}/repositories/team`)).json().spec.description).toBe('Team blueprints');
    expect((await f.raw('GET', `${CORE}/secrets`)).json().items.map((s: { metadata: { name: string } }) => s.metadata.name)).toEqual([
      'blueprints-auth',
      'team-auth',
    ]);
  });

  it('refuses an organizational blueprint repository (a label) with a Status the UI shows, registering nothing', async () => {
    const r = await f.raw('POST', `${CONFIG}/repositories`, {
      body: {
        apiVersion: 'config.porch.kpt.dev/v1alpha1',
        kind: 'Repository',
        metadata: { name: 'org', labels: { 'kpt.dev/repository-content': 'organizational-blueprints' } },
        spec: {
          description: 'Org',
          content: 'Package',
          type: 'git',
          git: { repo: f.blueprintsUrl, branch: 'main', directory: '/', secretRef: { name: 'team-auth' } },
        },
      },
    });
    expect(r.status).toBe(405);
    expect(r.text).toContain('"kind":"Status"');
    expect(r.json().message).toContain('labels and annotations of a repository');
    expect((await f.call<Repository[]>('repositories.list', {})).map((x) => x.metadata.name)).toEqual(['blueprints', 'team']);
  });
  it.todo('registers a repository with labels (needs the proposed repositories.setMetadata channel)');

  it('creates, edits, proposes, approves and copies a package revision as the UI does', async () => {
    const init = await f.raw('POST', `${PORCH}/packagerevisions`, {
      body: {
        apiVersion: 'porch.kpt.dev/v1alpha1',
        kind: 'PackageRevision',
        metadata: { name: '' },
        spec: {
          packageName: 'ui-made',
          workspaceName: 'v1',
          repository: 'team',
          lifecycle: 'Draft',
          tasks: [{ type: 'init', init: { description: 'from the UI', keywords: ['a', 'b'] } }],
        },
      },
    });
    expect(init.status).toBe(201);
    const name = init.json().metadata.name;
    const clone = await f.raw('POST', `${PORCH}/packagerevisions`, {
      body: {
        apiVersion: 'porch.kpt.dev/v1alpha1',
        kind: 'PackageRevision',
        metadata: { name: '' },
        spec: {
          packageName: 'ui-clone',
          workspaceName: 'v1',
          repository: 'team',
          lifecycle: 'Draft',
          tasks: [{ type: 'clone', clone: { upstreamRef: { upstreamRef: { name: 'blueprints.basens.v1' } } } }],
        },
      },
    });
    expect(clone.status).toBe(201);
    expect(clone.json().status.upstreamLock.git.ref).toBe('basens/v1');
    const listed = (await f.raw('GET', `${PORCH}/packagerevisions`)).json().items.filter((p: PackageRevision) => p.spec.repository === 'team');
    expect(listed.map((p: PackageRevision) => p.metadata.name)).toEqual(expect.arrayContaining([name, 'team.ui-clone.v1']));

    const resources = (await f.raw('GET', `${PORCH}/packagerevisionresources/${name}`)).json();
    resources.spec.resources['svc.yaml'] = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: from-the-ui\n';
    const saved = await f.raw('PUT', `${PORCH}/packagerevisionresources/${name}`, { body: resources });
    expect(saved.status).toBe(200);

    const pr = (await f.raw('GET', `${PORCH}/packagerevisions/${name}`)).json();
    const proposed = await f.raw('PUT', `${PORCH}/packagerevisions/${name}`, { body: { ...pr, spec: { ...pr.spec, lifecycle: 'Proposed' } } });
    expect(proposed.json().spec.lifecycle).toBe('Proposed');
    const approved = await f.raw('PUT', `${PORCH}/packagerevisions/${name}/approval`, {
      body: { ...proposed.json(), spec: { ...proposed.json().spec, lifecycle: 'Published' } },
    });
    expect(approved.status).toBe(200);
    expect(approved.json().spec).toMatchObject({ lifecycle: 'Published', revision: 1 });

    // "Create new revision": an edit task from the published one, workspace v2.
    const next = await f.raw('POST', `${PORCH}/packagerevisions`, {
      body: {
        apiVersion: 'porch.kpt.dev/v1alpha1',
        kind: 'PackageRevision',
        metadata: { name: '' },
        spec: { packageName: 'ui-made', workspaceName: 'v2', repository: 'team', lifecycle: 'Draft', tasks: [{ type: 'edit', edit: { sourceRef: { name } } }] },
      },
    });
    expect(next.status).toBe(201);
    const files = (await f.raw('GET', `${PORCH}/packagerevisionresources/team.ui-made.v2`)).json().spec.resources;
    expect(files['svc.yaml']).toContain('name: from-the-ui');
    expect((await f.raw('DELETE', `${PORCH}/packagerevisions/team.ui-made.v2`)).status).toBe(200);
    expect((await f.raw('GET', `${PORCH}/packagerevisionresources`)).json().items.length).toBeGreaterThan(10);
  });

  it('gets Status bodies for what fails, which the UI shows as messages', async () => {
    const draft = (await f.raw('GET', `${PORCH}/packagerevisions/team.ui-clone.v1`)).json();
    const r = await f.raw('PUT', `${PORCH}/packagerevisions/team.ui-clone.v1/approval`, {
      body: { ...draft, spec: { ...draft.spec, lifecycle: 'Published' } },
    });
    expect(r.status).toBe(422);
    expect(r.text).toContain('"kind":"Status"');
    expect(r.json().message).toContain('cannot approve package with Draft lifecycle value');
    // Porch no longer serves functions, nor does the door; nor Config Sync's kinds.
    expect((await f.raw('GET', `${PORCH}/functions`)).json()).toMatchObject({ kind: 'Status', code: 404 });
    expect((await f.raw('GET', '/apis/configsync.gke.io/v1beta1/namespaces/config-management-system/rootsyncs')).status).toBe(404);
  });

  it('unregisters the repository and deletes its Secret', async () => {
    await f.raw('DELETE', `${PORCH}/packagerevisions/team.ui-clone.v1`);
    expect((await f.raw('DELETE', `${CONFIG}/repositories/team`)).status).toBe(200);
    expect((await f.raw('DELETE', `${CORE}/secrets/team-auth`)).status).toBe(200);
    expect((await f.raw('GET', `${CORE}/secrets/team-auth`)).status).toBe(404);
    expect((await f.call<Repository[]>('repositories.list', {})).map((x) => x.metadata.name)).toEqual(['blueprints']);
  });
}, 60_000);

// The real kubectl against the Kubernetes door of a real service (worker
// thread, PGlite and PostgreSQL) with Porch's test-blueprints on a real Git
// server: get (Porch's table columns, -A, -o yaml|json|jsonpath|custom-columns,
// selectors, --chunk-size), describe, explain, create and apply of package
// revisions, lifecycle patches, edit, the approval subresource, delete,
// repositories and their Secret, packages, package resources, watch.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PackageRevision, Repository } from '../../../src-shared/domain.ts';
import { git } from '../../support/fixtures.ts';
import { testEngines, useTestEngine } from '../../support/databases.ts';
import { haveKubectl, KUBECTL, requireKubectl, startKubeFixture, type KubeFixture } from './kube-harness.ts';

const PR = 'packagerevisions.v1alpha1.porch.kpt.dev';
const cells = (line: string) => line.trim().split(/\s{2,}/);

describe.skipIf(!haveKubectl && !requireKubectl).each(testEngines())(
  'kubectl against the door ($kind)',
  (engine) => {
    useTestEngine(engine);
    let f: KubeFixture;
    const revisions = () => f.call<PackageRevision[]>('revisions.list', { namespace: 'default' });

    beforeAll(async () => {
      f = await startKubeFixture({ db: engine.target, door: { feed: { resyncMs: 300 } } });
    }, 120_000);
    afterAll(async () => {
      await f?.close();
    });

    it('lists package revisions in a table with Porch columns, the rows the service has', async () => {
      const out = (await f.ok(['get', 'packagerevisions'])).trim().split('\n');
      expect(cells(out[0]!)).toEqual(['NAME', 'PACKAGE', 'WORKSPACENAME', 'REVISION', 'LATEST', 'LIFECYCLE', 'REPOSITORY']);
      const expected = (await revisions()).map((r) => [
        r.metadata.name,
        r.spec.packageName,
        r.spec.workspaceName,
        String(r.spec.revision ?? 0),
        String(r.metadata.labels?.['kpt.dev/latest-revision'] === 'true'),
        r.spec.lifecycle,
        r.spec.repository,
      ]);
      expect(expected.length).toBeGreaterThan(10);
      expect(out.slice(1).map(cells)).toEqual(expected);
      const all = (await f.ok(['get', PR, '-A'])).trim().split('\n');
      expect(cells(all[0]!)[0]).toBe('NAMESPACE');
      expect(all.slice(1).map((l) => cells(l).slice(0, 2))).toEqual(expected.map((e) => ['default', e[0]]));
    });

    it('prints whole objects with -o json and yaml, and reads them with jsonpath and custom-columns', async () => {
      const list = JSON.parse(await f.ok(['get', 'packagerevisions', '-o', 'json'])) as { kind: string; items: PackageRevision[] };
      expect(list.kind).toBe('List');
      expect(list.items).toEqual(await revisions());
      const one = await f.ok(['get', 'packagerevision', 'blueprints.basens.v2', '-o', 'yaml']);
      expect(one).toMatch(/^apiVersion: porch.kpt.dev\/v1alpha1\nkind: PackageRevision\n/);
      expect(one).toContain('  revision: 2\n');
      expect(await f.ok(['get', 'packagerevision', 'blueprints.basens.v2', '-o', 'jsonpath={.spec.packageName}/{.status.selfLock.git.ref}'])).toBe(
        'basens/basens/v2',
      );
      const columns = (
        await f.ok(['get', 'packagerevisions', '-o', 'custom-columns=N:.metadata.name,R:.spec.revision', '--field-selector', 'spec.packageName=basens'])
      )
        .trim()
        .split('\n');
      expect(columns.map(cells)).toEqual([
        ['N', 'R'],
        ...(await revisions()).filter((r) => r.spec.packageName === 'basens').map((r) => [r.metadata.name, String(r.spec.revision ?? '<none>')]),
      ]);
    });

    it('filters with the field selectors porchctl sends and with labels, and refuses the rest as Porch does', async () => {
      const names = async (...args: string[]) => (await f.ok(['get', 'packagerevisions', '-o', 'name', ...args])).trim().split('\n').filter(Boolean);
      const all = await revisions();
      const named = (rs: PackageRevision[]) => rs.map((r) => `packagerevision.porch.kpt.dev/${r.metadata.name}`);
      expect(await names('--field-selector', 'spec.workspaceName=v1')).toEqual(named(all.filter((r) => r.spec.workspaceName === 'v1')));
      expect(await names('--field-selector', 'spec.revision=2')).toEqual(named(all.filter((r) => r.spec.revision === 2)));
      expect(await names('--field-selector', 'spec.packageName=basens,spec.repository=blueprints')).toEqual(
        named(all.filter((r) => r.spec.packageName === 'basens')),
      );
      expect(await names('-l', 'kpt.dev/latest-revision=true')).toEqual(named(all.filter((r) => r.metadata.labels?.['kpt.dev/latest-revision'] === 'true')));
      // The same selectors over the table path (summaries) as over whole objects.
      const table = (await f.ok(['get', 'packagerevisions', '-l', 'kpt.dev/latest-revision=true', '--no-headers'])).trim().split('\n');
      expect(table.map((l) => cells(l)[0])).toEqual(all.filter((r) => r.metadata.labels?.['kpt.dev/latest-revision'] === 'true').map((r) => r.metadata.name));
      const unknown = await f.kubectl(['get', 'packagerevisions', '--field-selector', 'spec.color=red']);
      expect(unknown.code).not.toBe(0);
      expect(unknown.stderr).toContain('unknown fieldSelector field "spec.color"');
      const notEqual = await f.kubectl(['get', 'packagerevisions', '--field-selector', 'spec.revision!=1']);
      expect(notEqual.stderr).toContain('unsupported fieldSelector operator "!="');
    });

    it('pages with --chunk-size through limit and continue, and gives the same rows', async () => {
      const whole = await f.ok(['get', 'packagerevisions', '-A', '-o', 'name']);
      expect(await f.ok(['get', 'packagerevisions', '-A', '-o', 'name', '--chunk-size=3'])).toBe(whole);
      const first = (await f.raw('GET', '/apis/porch.kpt.dev/v1alpha1/packagerevisions?limit=4')).json();
      expect(first.items).toHaveLength(4);
      expect(first.metadata.continue).toBeTruthy();
      const second = (
        await f.raw('GET', `/apis/porch.kpt.dev/v1alpha1/packagerevisions?limit=4&continue=${encodeURIComponent(first.metadata.continue)}`)
      ).json();
      const names = whole
        .trim()
        .split('\n')
        .map((l) => l.split('/')[1]);
      expect([...first.items, ...second.items].map((i: PackageRevision) => i.metadata.name)).toEqual(names.slice(0, 8));
      const bad = await f.raw('GET', '/apis/porch.kpt.dev/v1alpha1/packagerevisions?limit=4&continue=garbage');
      expect(bad.status).toBe(400);
      expect(bad.json()).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
    });

    it('describes a revision and explains the kind from the OpenAPI document', async () => {
      const described = await f.ok(['describe', 'packagerevision', 'blueprints.basens.v1']);
      expect(described).toMatch(/^Name:\s+blueprints\.basens\.v1$/m);
      expect(described).toMatch(/^\s+Lifecycle:\s+Published$/m);
      expect(described).toMatch(/^Events:\s+<none>$/m);
      const explained = await f.ok(['explain', 'packagerevisions.spec.workspaceName']);
      expect(explained).toContain('Unique among the package revisions of a package.');
    });

    it('creates a draft with kubectl create -f and kubectl apply -f, through the service', async () => {
      const manifest = (pkg: string) => `apiVersion: porch.kpt.dev/v1alpha1
kind: PackageRevision
metadata:
  name: blueprints.${pkg}.v1
  namespace: default
spec:
  packageName: ${pkg}
  repository: blueprints
  workspaceName: v1
  lifecycle: Draft
  tasks:
  - type: init
    init:
      description: made by kubectl
`;
      expect(await f.ok(['create', '-f', '-'], { input: manifest('created') })).toBe('packagerevision.porch.kpt.dev/blueprints.created.v1 created\n');
      const applied = await f.kubectl(['apply', '-f', '-'], { input: manifest('applied') });
      expect(applied.stdout).toBe('packagerevision.porch.kpt.dev/blueprints.applied.v1 created\n');
      // kubectl's last-applied record is not kept, and kubectl hears so.
      expect(applied.stderr).toContain('last-applied-configuration annotation is not kept');
      const made = await f.call<PackageRevision>('revisions.get', { name: 'blueprints.applied.v1' });
      expect(made.spec).toMatchObject({
        lifecycle: 'Draft',
        packageName: 'applied',
        workspaceName: 'v1',
        tasks: [{ type: 'init', init: { description: 'made by kubectl' } }],
      });
      expect(made.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toBeUndefined();
      // Applied again unchanged: nothing to do but the annotation kubectl adds back.
      expect((await f.kubectl(['apply', '-f', '-'], { input: manifest('applied') })).code).toBe(0);
      const again = await f.kubectl(['create', '-f', '-'], { input: manifest('created') });
      expect(again.code).not.toBe(0);
      expect(again.stderr).toContain('AlreadyExists');
    });

    it("refuses bad drafts with Porch's 422 and changes nothing", async () => {
      const before = (await revisions()).length;
      const bad = await f.kubectl(['create', '-f', '-'], {
        input: JSON.stringify({
          apiVersion: 'porch.kpt.dev/v1alpha1',
          kind: 'PackageRevision',
          metadata: { namespace: 'default' },
          spec: { packageName: 'ok', repository: 'blueprints', workspaceName: 'Bad_WS', lifecycle: 'Published' },
        }),
      });
      expect(bad.code).not.toBe(0);
      // kubectl words a 422 from its causes, one per line.
      expect(bad.stderr).toContain('The PackageRevision "" is invalid: \n* spec.workspaceName: Invalid value: "Bad_WS": a lowercase RFC 1123 label');
      expect(bad.stderr).toContain('* spec.lifecycle: Invalid value: "Published": value can be only created as Draft');
      const unknownField = await f.kubectl(['create', '-f', '-'], {
        input: JSON.stringify({
          apiVersion: 'porch.kpt.dev/v1alpha1',
          kind: 'PackageRevision',
          metadata: { namespace: 'default' },
          spec: { packageName: 'ok', repository: 'blueprints', workspaceName: 'v1', colour: 'red' },
        }),
      });
      expect(unknownField.stderr).toContain('unknown field "spec.colour"');
      const noRepo = await f.kubectl(['create', '-f', '-'], {
        input: JSON.stringify({
          apiVersion: 'porch.kpt.dev/v1alpha1',
          kind: 'PackageRevision',
          metadata: { namespace: 'default' },
          spec: { packageName: 'ok', repository: 'nowhere', workspaceName: 'v1' },
        }),
      });
      expect(noRepo.stderr).toContain('repositories.config.porch.kpt.dev "nowhere" not found');
      expect((await revisions()).length).toBe(before);
    });

    it('proposes and rejects with patches of spec.lifecycle, and refuses a stale resourceVersion with 409', async () => {
      await f.call('revisions.init', { repository: 'blueprints', name: 'lifecycle', workspace: 'v1' });
      await f.ok(['patch', PR, 'blueprints.lifecycle.v1', '--type=merge', '-p', '{"spec":{"lifecycle":"Proposed"}}']);
      expect((await f.call<PackageRevision>('revisions.get', { name: 'blueprints.lifecycle.v1' })).spec.lifecycle).toBe('Proposed');
      const skip = await f.kubectl(['patch', PR, 'blueprints.lifecycle.v1', '--type=merge', '-p', '{"spec":{"lifecycle":"Published"}}']);
      expect(skip.stderr).toContain('spec.lifecycle: Invalid value: "Proposed": value can be only updated to Draft,Proposed');
      const stale = await f.kubectl([
        'patch',
        PR,
        'blueprints.lifecycle.v1',
        '--type=merge',
        '-p',
        '{"metadata":{"resourceVersion":"1"},"spec":{"lifecycle":"Draft"}}',
      ]);
      expect(stale.stderr).toContain(
        'Operation cannot be fulfilled on packagerevisions.porch.kpt.dev "blueprints.lifecycle.v1": the object has been modified; please apply your changes to the latest version and try again',
      );
      expect((await f.call<PackageRevision>('revisions.get', { name: 'blueprints.lifecycle.v1' })).spec.lifecycle).toBe('Proposed');
      await f.ok(['patch', PR, 'blueprints.lifecycle.v1', '--type=json', '-p', '[{"op":"replace","path":"/spec/lifecycle","value":"Draft"}]']);
      expect((await f.call<PackageRevision>('revisions.get', { name: 'blueprints.lifecycle.v1' })).spec.lifecycle).toBe('Draft');
    });

    it('edits a revision with kubectl edit ($EDITOR a script)', async () => {
      await f.call('revisions.init', { repository: 'blueprints', name: 'edited', workspace: 'v1' });
      const editor = path.join(f.work, 'editor.sh');
      fs.writeFileSync(editor, `#!/bin/sh\nsed -i 's/lifecycle: Draft/lifecycle: Proposed/' "$1"\n`, { mode: 0o755 });
      const out = await f.ok(['edit', PR, 'blueprints.edited.v1'], { env: { EDITOR: editor } });
      expect(out).toBe('packagerevision.porch.kpt.dev/blueprints.edited.v1 edited\n');
      expect((await f.call<PackageRevision>('revisions.get', { name: 'blueprints.edited.v1' })).spec.lifecycle).toBe('Proposed');
    });

    it('approves through the approval subresource, which publishes to Git', async () => {
      await f.call('revisions.init', { repository: 'blueprints', name: 'approved', workspace: 'v1' });
      await f.call('revisions.lifecycle', { name: 'blueprints.approved.v1', verb: 'propose' });
      const obj = JSON.parse(await f.ok(['get', PR, 'blueprints.approved.v1', '-o', 'json'])) as PackageRevision;
      const published = { ...obj, spec: { ...obj.spec, lifecycle: 'Published' } };
      expect(await f.ok(['replace', '--subresource=approval', '-f', '-'], { input: JSON.stringify(published) })).toBe(
        'packagerevision.porch.kpt.dev/blueprints.approved.v1 replaced\n',
      );
      const now = await f.call<PackageRevision>('revisions.get', { name: 'blueprints.approved.v1' });
      expect(now.spec).toMatchObject({ lifecycle: 'Published', revision: 1 });
      const served = path.join(f.work, 'served', 'test-blueprints.git');
      expect(await git(served, ['tag', '--list', 'approved/*'])).toBe('approved/v1\n');
      // The same PUT again carries the old resourceVersion: Porch's 409.
      const stale = await f.kubectl(
        ['replace', '--raw', '/apis/porch.kpt.dev/v1alpha1/namespaces/default/packagerevisions/blueprints.approved.v1/approval', '-f', '-'],
        {
          input: JSON.stringify(published),
        },
      );
      expect(stale.stderr).toContain('the object has been modified; please apply your changes to the latest version and try again');
      const draft = await f.call<PackageRevision>('revisions.init', { repository: 'blueprints', name: 'unapproved', workspace: 'v1' });
      const refused = await f.kubectl(['replace', '--subresource=approval', '-f', '-'], {
        input: JSON.stringify({ ...draft, spec: { ...draft.spec, lifecycle: 'Published' } }),
      });
      expect(refused.stderr).toContain('cannot approve package with Draft lifecycle value; only Proposed packages can be approved');
    });

    it("deletes a draft, and refuses a published revision with Porch's message", async () => {
      await f.call('revisions.init', { repository: 'blueprints', name: 'doomed', workspace: 'v1' });
      expect(await f.ok(['delete', PR, 'blueprints.doomed.v1'])).toBe('packagerevision.porch.kpt.dev "blueprints.doomed.v1" deleted\n');
      expect((await f.call<PackageRevision[]>('revisions.list', { name: 'blueprints.doomed.v1' })).length).toBe(0);
      const refused = await f.kubectl(['delete', PR, 'blueprints.basens.v1']);
      expect(refused.stderr).toContain(
        `packagerevisions.porch.kpt.dev "blueprints.basens.v1" is forbidden: published PackageRevisions must be proposed for deletion by setting spec.lifecycle to 'DeletionProposed' prior to deletion`,
      );
      const missing = await f.kubectl(['get', PR, 'blueprints.nothing.v9']);
      expect(missing.stderr).toContain('packagerevisions.porch.kpt.dev "blueprints.nothing.v9" not found');
    });

    it('refuses label and annotate clearly while the service cannot keep them, and changes nothing', async () => {
      const before = await f.call<PackageRevision>('revisions.get', { name: 'blueprints.basens.v2' });
      const r = await f.kubectl(['annotate', PR, 'blueprints.basens.v2', 'porch.kpt.dev/push-on-render-failure=true']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('(no "revisions.setMetadata" operation); nothing was changed');
      expect((await f.kubectl(['label', PR, 'blueprints.basens.v2', 'team=a'])).stderr).toContain('revisions.setMetadata');
      expect(await f.call<PackageRevision>('revisions.get', { name: 'blueprints.basens.v2' })).toEqual(before);
    });
    it.todo('annotates and labels a package revision (needs the proposed revisions.setMetadata channel)');

    it('registers and unregisters a repository as objects, with its Secret, never returning the password', async () => {
      const manifest = `apiVersion: v1
kind: Secret
metadata:
  name: team-creds
  namespace: team
type: kubernetes.io/basic-auth
stringData:
  username: nephio
  password: secret
---
apiVersion: config.porch.kpt.dev/v1alpha1
kind: Repository
metadata:
  name: team-blueprints
  namespace: team
spec:
  type: git
  content: Package
  git:
    repo: ${f.blueprintsUrl}
    branch: main
    directory: /
    secretRef:
      name: team-creds
`;
      const applied = await f.ok(['apply', '-f', '-'], { input: manifest });
      expect(applied).toBe('secret/team-creds created\nrepository.config.porch.kpt.dev/team-blueprints created\n');
      const repos = await f.call<Repository[]>('repositories.list', { namespace: 'team' });
      expect(repos.map((r) => r.metadata.name)).toEqual(['team-blueprints']);
      expect(repos[0]!.status.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
      const table = (await f.ok(['get', 'repositories', '-n', 'team'])).trim().split('\n');
      expect(cells(table[0]!)).toEqual(['NAME', 'TYPE', 'CONTENT', 'SYNC SCHEDULE', 'DEPLOYMENT', 'READY', 'ADDRESS', 'BRANCH', 'AGE']);
      expect(cells(table[1]!).slice(0, 3)).toEqual(['team-blueprints', 'git', 'Package']);
      expect(await f.ok(['get', 'packagerevisions', '-n', 'team', '-o', 'name'])).toContain('team-blueprints.basens.v1');
      const secret = await f.ok(['get', 'secret', 'team-creds', '-n', 'team', '-o', 'json']);
      expect(secret).not.toContain('secret"');
      expect(secret).not.toContain(Buffer.from('secret').toString('base64'));
      expect(JSON.parse(secret)).not.toHaveProperty('data');
      expect(await f.ok(['get', 'namespaces', '-o', 'name'])).toContain('namespace/team');
      expect(await f.ok(['delete', '-f', '-'], { input: manifest })).toBe(
        'secret "team-creds" deleted\nrepository.config.porch.kpt.dev "team-blueprints" deleted\n',
      );
      expect(await f.call<Repository[]>('repositories.list', { namespace: 'team' })).toEqual([]);
      const missingSecret = await f.kubectl(['apply', '-f', '-'], { input: manifest.split('---\n')[1] });
      expect(missingSecret.stderr).toContain('spec.git.secretRef.name: Not found: "team-creds"');
      expect(await f.call<Repository[]>('repositories.list', { namespace: 'team' })).toEqual([]);
    });

    it('lists packages with their latest revision', async () => {
      const rows = (await f.ok(['get', 'packages'])).trim().split('\n').map(cells);
      expect(rows[0]).toEqual(['NAME', 'PACKAGE', 'REPOSITORY', 'LATEST REVISION']);
      expect(rows).toContainEqual(['blueprints.basens', 'basens', 'blueprints', '4']);
    });

    it("reads a revision's resources and replaces them, rendered by the service", async () => {
      await f.call('revisions.init', { repository: 'blueprints', name: 'resources', workspace: 'v1' });
      const prr = JSON.parse(await f.ok(['get', 'packagerevisionresources', 'blueprints.resources.v1', '-o', 'json']));
      expect(Object.keys(prr.spec.resources)).toContain('Kptfile');
      prr.spec.resources['cm.yaml'] = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: made-by-kubectl\ndata:\n  a: b\n';
      await f.ok(['replace', '-f', '-'], { input: JSON.stringify(prr) });
      const files = await f.call<{ files: { path: string; base64: string }[] }>('revisions.resources', { name: 'blueprints.resources.v1' });
      expect(Buffer.from(files.files.find((x) => x.path === 'cm.yaml')!.base64, 'base64').toString()).toContain('name: made-by-kubectl');
      const stale = await f.kubectl(['replace', '-f', '-'], { input: JSON.stringify(prr) });
      expect(stale.stderr).toContain('Operation cannot be fulfilled on packagerevisionresources.porch.kpt.dev "blueprints.resources.v1"');
    });

    it("answers porchctl's rpkg-upgrade kubectl step: the upgrade task's new upstream by jsonpath", async () => {
      await f.call('revisions.clone', {
        repository: 'blueprints',
        name: 'downstream',
        workspace: 'v1',
        source: { kind: 'revision', name: 'blueprints.basens.v1' },
      });
      await f.call('revisions.lifecycle', { name: 'blueprints.downstream.v1', verb: 'propose' });
      await f.call('revisions.lifecycle', { name: 'blueprints.downstream.v1', verb: 'approve' });
      const upgrade = {
        apiVersion: 'porch.kpt.dev/v1alpha1',
        kind: 'PackageRevision',
        metadata: { namespace: 'default' },
        spec: {
          packageName: 'downstream',
          repository: 'blueprints',
          workspaceName: 'v2',
          tasks: [
            {
              type: 'upgrade',
              upgrade: {
                oldUpstreamRef: { name: 'blueprints.basens.v1' },
                newUpstreamRef: { name: 'blueprints.basens.v2' },
                localPackageRevisionRef: { name: 'blueprints.downstream.v1' },
                strategy: 'resource-merge',
              },
            },
          ],
        },
      };
      await f.ok(['create', '-f', '-'], { input: JSON.stringify(upgrade) });
      expect(await f.ok(['get', PR, 'blueprints.downstream.v2', '--namespace=default', '-o=jsonpath={.spec.tasks[0].upgrade.newUpstreamRef.name}'])).toBe(
        'blueprints.basens.v2',
      );
    });

    it('watches: a change made through the service reaches kubectl get -w within a second', async () => {
      await f.call('revisions.init', { repository: 'blueprints', name: 'watched', workspace: 'v1' });
      const child = spawn(
        KUBECTL,
        ['get', PR, '-w', '--output-watch-events', '-o', 'jsonpath={.type} {.object.metadata.name} {.object.spec.lifecycle}{"\\n"}'],
        {
          env: { PATH: process.env.PATH ?? '', HOME: f.work, KUBECONFIG: f.kubeconfig },
        },
      );
      const lines: { text: string; at: number }[] = [];
      let buffer = '';
      child.stdout.on('data', (d: Buffer) => {
        buffer += d.toString();
        const parts = buffer.split('\n');
        buffer = parts.pop()!;
        for (const text of parts) lines.push({ text, at: performance.now() });
      });
      const stderr: string[] = [];
      child.stderr.on('data', (d: Buffer) => stderr.push(d.toString()));
      try {
        await expect.poll(() => lines.some((l) => l.text === 'ADDED blueprints.watched.v1 Draft'), { timeout: 20_000 }).toBe(true);
        await f.call('revisions.lifecycle', { name: 'blueprints.watched.v1', verb: 'propose' });
        const changedAt = performance.now();
        await expect.poll(() => lines.find((l) => l.text === 'MODIFIED blueprints.watched.v1 Proposed'), { timeout: 5000 }).toBeTruthy();
        expect(lines.find((l) => l.text === 'MODIFIED blueprints.watched.v1 Proposed')!.at - changedAt).toBeLessThan(1000);
        // A creation the service announces to no door: found by the feed's rescan (300 ms here).
        await f.call('revisions.init', { repository: 'blueprints', name: 'unannounced', workspace: 'v1' });
        await expect.poll(() => lines.some((l) => l.text === 'ADDED blueprints.unannounced.v1 Draft'), { timeout: 5000 }).toBe(true);
        await f.call('revisions.lifecycle', { name: 'blueprints.unannounced.v1', verb: 'delete' });
        await expect.poll(() => lines.some((l) => l.text.startsWith('DELETED blueprints.unannounced.v1')), { timeout: 5000 }).toBe(true);
      } catch (e) {
        throw new Error(`${e instanceof Error ? e.message : String(e)}\nkubectl printed:\n${lines.map((l) => l.text).join('\n')}\nstderr: ${stderr.join('')}`, {
          cause: e,
        });
      } finally {
        child.kill();
      }
    });
  },
  60_000,
);

// The door's HTTP side with raw requests, against a real service: who may ask
// (token, Host, Origin, TLS), discovery and OpenAPI as kubectl reads them,
// content negotiation, and watch resume, expiry and bookmarks.
import https from 'node:https';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PackageRevision } from '../../../src-shared/domain.ts';
import { startKubeFixture, type KubeFixture, type RawReply } from './kube-harness.ts';

const PRS = '/apis/porch.kpt.dev/v1alpha1/namespaces/default/packagerevisions';

/** The events of a watch that ends by itself (timeoutSeconds). */
async function watchEvents(f: KubeFixture, query: string): Promise<{ type: string; object: ReturnType<RawReply['json']> }[]> {
  const r = await f.raw('GET', `${PRS}?watch=true&${query}`);
  expect(r.status).toBe(200);
  return r.text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

describe('the Kubernetes door over HTTPS', () => {
  let f: KubeFixture;

  beforeAll(async () => {
    f = await startKubeFixture({ door: { watch: { bookmarkMs: 200, maxTimeoutSeconds: 2 } } });
  }, 120_000);
  afterAll(async () => {
    await f?.close();
  });

  it('answers only with the token, to its own Host, and to no foreign Origin', async () => {
    for (const token of [null, 'wrong', `${f.door.token}x`]) {
      const r = await f.raw('GET', '/version', { token });
      expect(r.status).toBe(401);
      expect(r.json()).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401 });
    }
    expect((await f.raw('GET', '/version', { headers: { Host: `evil.example:${f.door.port}` } })).status).toBe(421);
    expect((await f.raw('GET', '/version', { headers: { Origin: 'https://evil.example' } })).status).toBe(403);
    expect((await f.raw('GET', '/version', { headers: { Host: `localhost:${f.door.port}` } })).status).toBe(200);
    // A client that does not trust the CA gets no answer at all.
    await expect(
      new Promise((resolve, reject) =>
        https.get(`${f.door.url}/version`, { headers: { Authorization: `Bearer ${f.door.token}` } }, resolve).on('error', reject),
      ),
    ).rejects.toThrow(/self-signed|unable to verify|certificate/);
    // The certificate names loopback only.
    const names = await new Promise<string>((resolve) => {
      const s = tls.connect({ port: f.door.port, host: '127.0.0.1', ca: f.door.caPem }, () => {
        resolve(s.getPeerX509Certificate()?.subjectAltName ?? '');
        s.destroy();
      });
    });
    expect(names).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
  });

  it('serves discovery and OpenAPI v3 as kubectl reads them', async () => {
    expect((await f.raw('GET', '/apis')).json().groups.map((g: { name: string }) => g.name)).toEqual(['porch.kpt.dev', 'config.porch.kpt.dev']);
    const porch = (await f.raw('GET', '/apis/porch.kpt.dev/v1alpha1')).json();
    expect(porch.resources.map((r: { name: string }) => r.name)).toEqual([
      'packagerevisions',
      'packagerevisions/approval',
      'packagerevisionresources',
      'packages',
    ]);
    expect(porch.resources[0]).toMatchObject({
      kind: 'PackageRevision',
      namespaced: true,
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    });
    const index = (await f.raw('GET', '/openapi/v3')).json();
    const url = index.paths['apis/porch.kpt.dev/v1alpha1'].serverRelativeURL as string;
    expect(url).toMatch(/^\/openapi\/v3\/apis\/porch\.kpt\.dev\/v1alpha1\?hash=[0-9A-F]{64}$/);
    const doc = (await f.raw('GET', url)).json();
    const patch = doc.paths['/apis/porch.kpt.dev/v1alpha1/namespaces/{namespace}/packagerevisions/{name}'].patch;
    // kubectl asks the server to validate fields, and sends merge patches (no strategic merge for Porch's kinds).
    expect(patch.parameters.map((p: { name: string }) => p.name)).toContain('fieldValidation');
    expect(Object.keys(patch.requestBody.content)).toEqual(['application/json-patch+json', 'application/merge-patch+json']);
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: 'porch.kpt.dev', version: 'v1alpha1', kind: 'PackageRevision' });
    // Every $ref resolves inside the document.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    for (const ref of refs) expect(doc.components.schemas, ref).toHaveProperty([ref]);
  });

  it('answers Tables, JSON and YAML as asked, and refuses what it cannot make or take', async () => {
    const table = (await f.raw('GET', `${PRS}/blueprints.basens.v1`, { headers: { Accept: 'application/json;as=Table;v=v1beta1;g=meta.k8s.io' } })).json();
    expect(table).toMatchObject({
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1beta1',
      rows: [{ cells: ['blueprints.basens.v1', 'basens', 'v1', 1, false, 'Published', 'blueprints'] }],
    });
    expect(table.rows[0].object).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { name: 'blueprints.basens.v1', namespace: 'default' } });
    expect((await f.raw('GET', `${PRS}/blueprints.basens.v1`, { headers: { Accept: 'application/yaml' } })).text).toMatch(
      /^apiVersion: porch.kpt.dev\/v1alpha1\n/,
    );
    expect((await f.raw('GET', PRS, { headers: { Accept: 'application/vnd.kubernetes.protobuf' } })).status).toBe(406);
    const ssa = await f.raw('PATCH', `${PRS}/blueprints.basens.v1`, { body: '{}', headers: { 'Content-Type': 'application/apply-patch+yaml' } });
    expect(ssa.status).toBe(415);
    expect(ssa.json().message).toContain('use kubectl apply without --server-side');
    expect((await f.raw('POST', `${PRS}?dryRun=All`, { body: {} })).status).toBe(400);
    expect((await f.raw('DELETE', PRS)).status).toBe(405);
    expect((await f.raw('GET', '/apis/porch.kpt.dev/v1alpha1/namespaces/default/functions')).status).toBe(404);
  });

  it('resumes a watch from a list resourceVersion, replaying what changed since', async () => {
    await f.call('revisions.init', { repository: 'blueprints', name: 'resumed', workspace: 'v1' });
    // No watch yet: the list itself starts the feed, so a watch can resume from its resourceVersion.
    const listed = (await f.raw('GET', PRS)).json();
    await f.call('revisions.lifecycle', { name: 'blueprints.resumed.v1', verb: 'propose' });
    const events = await watchEvents(f, `timeoutSeconds=1&resourceVersion=${listed.metadata.resourceVersion}`);
    expect(events.map((e) => [e.type, e.object.metadata.name, e.object.spec.lifecycle])).toContainEqual(['MODIFIED', 'blueprints.resumed.v1', 'Proposed']);
    // Nothing from before the list comes again: no ADDED replay of everything.
    expect(events.filter((e) => e.type === 'ADDED')).toEqual([]);
  });

  it('answers an unknown or too old resourceVersion with 410 Expired in the stream', async () => {
    const events = await watchEvents(f, 'timeoutSeconds=1&resourceVersion=12345');
    expect(events).toEqual([
      {
        type: 'ERROR',
        object: expect.objectContaining({ kind: 'Status', code: 410, reason: 'Expired', message: expect.stringContaining('too old resource version: 12345') }),
      },
    ]);
  });

  it('starts from everything without a resourceVersion, ends the initial events with a bookmark, and keeps bookmarking', async () => {
    const events = await watchEvents(f, 'timeoutSeconds=1&allowWatchBookmarks=true&sendInitialEvents=true');
    const all = await f.call<PackageRevision[]>('revisions.list', { namespace: 'default' });
    const added = events.filter((e) => e.type === 'ADDED').map((e) => e.object.metadata.name);
    expect(added).toEqual(all.map((r) => r.metadata.name));
    const bookmarks = events.filter((e) => e.type === 'BOOKMARK');
    expect(bookmarks[0]!.object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
    expect(events.indexOf(bookmarks[0]!)).toBe(added.length);
    // bookmarkMs is 200 here: a one-second watch gets more.
    expect(bookmarks.length).toBeGreaterThan(2);
    expect(bookmarks.at(-1)!.object.metadata.resourceVersion).toMatch(/^\d+$/);
  });
}, 60_000);

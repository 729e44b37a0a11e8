// porch.kpt.dev/v1alpha1 packagerevisionresources: a revision's files as
// spec.resources (path -> content). An update replaces the whole package and
// renders it, as Porch's does (revisions.push); a file sent back unchanged
// keeps its bytes exactly, even ones that are not UTF-8.
import type { PackageRevision } from '../../../../src-shared/domain.ts';
import type { RenderView, WireFile } from '../../../../src-shared/contract.ts';
import { isPorchlightError } from '../../../../src-shared/errors.ts';
import type { KubeObject } from '../change-feed.ts';
import { PACKAGE_REVISION_RESOURCES } from '../kinds.ts';
import { badRequest, conflictError, notFoundError, type GroupResource } from '../status.ts';
import type { DoorContext, ResourceHandler } from './handler.ts';
import { revisionSelectable } from './package-revisions.ts';
import { listRevisions, revisionField } from './revision-listing.ts';

const GR: GroupResource = { group: 'porch.kpt.dev', resource: 'packagerevisionresources' };

const text = (f: WireFile) => Buffer.from(f.base64, 'base64').toString('utf8');

function toResources(revision: PackageRevision, files: WireFile[], render?: RenderView): KubeObject {
  const { name, namespace, uid, resourceVersion, creationTimestamp, labels, annotations } = revision.metadata;
  return {
    apiVersion: 'porch.kpt.dev/v1alpha1',
    kind: 'PackageRevisionResources',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp, ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) },
    spec: {
      packageName: revision.spec.packageName,
      workspaceName: revision.spec.workspaceName,
      ...(revision.spec.revision ? { revision: revision.spec.revision } : {}),
      repository: revision.spec.repository,
      resources: Object.fromEntries(files.map((f) => [f.path, text(f)])),
    },
    status: render
      ? {
          renderStatus: {
            result: {
              apiVersion: 'kpt.dev/v1',
              kind: 'FunctionResultList',
              metadata: { name: 'fnresults' },
              exitCode: render.error ? 1 : 0,
              items: render.results,
            },
            error: render.error ?? '',
          },
        }
      : {},
  };
}

async function read(ctx: DoorContext, namespace: string, name: string): Promise<{ revision: PackageRevision; files: WireFile[] }> {
  try {
    return await ctx.service.call('revisions.resources', { namespace, name });
  } catch (e) {
    if (isPorchlightError(e) && (e.code === 'NOT_FOUND' || e.code === 'INVALID_ARGUMENT')) throw notFoundError(GR, name);
    throw e;
  }
}

export const packageRevisionResources: ResourceHandler = {
  kind: PACKAGE_REVISION_RESOURCES,
  fieldSelectable: revisionSelectable,
  fieldOf: revisionField,
  async list(ctx, opts) {
    const revisions = await listRevisions(ctx, { ...opts, light: false });
    const items: KubeObject[] = [];
    for (const r of revisions.items) {
      const { revision, files } = await read(ctx, r.metadata.namespace!, r.metadata.name).catch((e: unknown) =>
        // Gone between the listing and the read: left out, as Porch skips revisions it cannot fetch.
        isPorchlightError(e) && e.code === 'NOT_FOUND' ? { revision: undefined, files: [] } : Promise.reject(e),
      );
      if (revision) items.push(toResources(revision, files));
    }
    return { items, ...(revisions.continueToken ? { continueToken: revisions.continueToken } : {}) };
  },
  async get(ctx, namespace, name) {
    const { revision, files } = await read(ctx, namespace, name);
    return toResources(revision, files);
  },
  async update(ctx, namespace, name, body) {
    const current = await read(ctx, namespace, name);
    if (body.metadata?.name && body.metadata.name !== name) {
      throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
    }
    const rv = body.metadata?.resourceVersion;
    if (!rv) throw badRequest('resourceVersion must be specified for an update');
    if (rv !== current.revision.metadata.resourceVersion) throw conflictError(GR, name);
    if (current.revision.spec.lifecycle !== 'Draft') {
      throw badRequest(`cannot update a package revision with lifecycle value "${current.revision.spec.lifecycle}"; package must be Draft`);
    }
    const wanted = ((body.spec ?? {}) as { resources?: Record<string, string> }).resources ?? {};
    const before = new Map(current.files.map((f) => [f.path, f]));
    const files = Object.entries(wanted).map(([path, content]): WireFile => {
      const old = before.get(path);
      return old && text(old) === content ? old : { path, base64: Buffer.from(content, 'utf8').toString('base64') };
    });
    const pushed = await ctx.service.call('revisions.push', { namespace, name, resourceVersion: rv, files });
    void ctx.feed.revisionChanged(namespace, name);
    const after = await read(ctx, namespace, name);
    return toResources(pushed.revision, after.files, pushed.render);
  },
};

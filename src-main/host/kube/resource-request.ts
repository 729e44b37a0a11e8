// One request on a resource path: the verb from the method and the path, the
// handler, the selectors and paging from the query, the body checked against
// the kind's schema, and the answer as an object, a list, or a Table.
import type http from 'node:http';
import type { KubeObject } from './change-feed.ts';
import { apiVersionOf, findKind } from './kinds.ts';
import type { Representation } from './negotiate.ts';
import { decodeContinue, limitOf } from './paging.ts';
import { applyPatch, patchTypeOf } from './patch.ts';
import { parseBody, readBody } from './request-body.ts';
import type { DoorContext, ListOptions, ResourceHandler } from './resources/handler.ts';
import { parseFieldSelector, parseLabelSelector } from './selectors.ts';
import { badRequest, kubeError, type GroupResource } from './status.ts';
import { toTable, type IncludeObject } from './table.ts';
import { checkBody, fieldValidationOf } from './validate-body.ts';
import { serveWatch, type WatchLimits } from './watch.ts';

export interface ResourceRoute {
  group: string;
  version: string;
  plural: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export interface Reply {
  status: number;
  body: unknown;
}

const MAX_BODY = 64 * 1024 * 1024;

const notAllowed = () => kubeError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
const notFoundPath = () => kubeError(404, 'NotFound', 'the server could not find the requested resource');

function listOptions(handler: ResourceHandler, route: ResourceRoute, query: URLSearchParams, light: boolean): ListOptions {
  return {
    namespace: route.namespace,
    fields: parseFieldSelector(query.get('fieldSelector'), (f) => handler.fieldSelectable(f)),
    labels: parseLabelSelector(query.get('labelSelector')),
    limit: limitOf(query),
    continueFrom: decodeContinue(query.get('continue')),
    light,
  };
}

function checkKindOf(handler: ResourceHandler, body: unknown): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest(`${handler.kind.kind} in version "${handler.kind.version}" cannot be handled as a ${handler.kind.kind}: the body must be a JSON object`);
  }
  const o = body as { apiVersion?: unknown; kind?: unknown };
  const expected = apiVersionOf(handler.kind);
  if (o.apiVersion !== undefined && o.apiVersion !== expected) {
    throw badRequest(`the API version in the data (${String(o.apiVersion)}) does not match the expected API version (${expected})`);
  }
  if (o.kind !== undefined && o.kind !== handler.kind.kind) throw badRequest(`${String(o.kind)} is not a ${handler.kind.kind}: send it to its own resource`);
}

/** A checked body from a POST or PUT: JSON or YAML, its fields validated as ?fieldValidation= says. */
async function objectBody(req: http.IncomingMessage, handler: ResourceHandler, query: URLSearchParams, ctx: DoorContext): Promise<KubeObject> {
  const type = String(req.headers['content-type'] ?? 'application/json');
  if (!/^application\/(json|yaml)\b/i.test(type)) {
    throw kubeError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`,
    );
  }
  const body = parseBody(await readBody(req, MAX_BODY), type);
  checkKindOf(handler, body);
  const { object, warnings } = checkBody(handler.kind, body, fieldValidationOf(query));
  ctx.warnings.push(...warnings);
  return object as KubeObject;
}

async function patched(
  req: http.IncomingMessage,
  handler: ResourceHandler,
  current: KubeObject,
  query: URLSearchParams,
  ctx: DoorContext,
): Promise<KubeObject> {
  const type = patchTypeOf(String(req.headers['content-type'] ?? ''));
  if (type === 'apply') {
    throw kubeError(415, 'UnsupportedMediaType', "server-side apply is not supported by Porchlight's Kubernetes API; use kubectl apply without --server-side");
  }
  const core = handler.kind.group === '';
  if (!type || (type === 'strategic' && !core)) {
    throw kubeError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json${core ? ', application/strategic-merge-patch+json' : ''}`,
    );
  }
  const patch = parseBody(await readBody(req, MAX_BODY), 'application/json');
  const result = applyPatch(type, current, patch);
  checkKindOf(handler, result);
  const { object, warnings } = checkBody(handler.kind, result, fieldValidationOf(query));
  ctx.warnings.push(...warnings);
  return object as KubeObject;
}

function deleteOptions(raw: Buffer): { resourceVersion?: string; force: boolean } {
  if (!raw.length) return { force: false };
  const o = parseBody(raw, 'application/json') as { preconditions?: { resourceVersion?: string }; gracePeriodSeconds?: number };
  return { resourceVersion: o?.preconditions?.resourceVersion, force: o?.gracePeriodSeconds === 0 };
}

export interface ResourceRequest {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  route: ResourceRoute;
  query: URLSearchParams;
  ctx: DoorContext;
  handlers: ReadonlyMap<string, ResourceHandler>;
  representation: Representation;
  watchLimits: WatchLimits;
}

/** Serves the request, or returns the reply to send; throws Status errors. */
export async function serveResource(r: ResourceRequest): Promise<Reply | undefined> {
  const { req, route, query, ctx } = r;
  const kind = findKind(route.group, route.version, route.plural);
  const handler = kind ? r.handlers.get(`${kind.group}/${kind.plural}`) : undefined;
  if (!kind || !handler) throw notFoundPath();
  if (!kind.namespaced && route.namespace !== undefined) throw notFoundPath();
  if (route.subresource && !kind.subresources?.some((s) => s.name === route.subresource)) throw notFoundPath();
  if (query.has('dryRun')) throw badRequest("dryRun is not supported by Porchlight's Kubernetes API: the request was not carried out");
  const verbs = route.subresource ? kind.subresources!.find((s) => s.name === route.subresource)!.verbs : kind.verbs;
  const allow = (verb: string) => {
    if (!verbs.includes(verb)) throw notAllowed();
  };
  const gr: GroupResource = { group: kind.group, resource: kind.plural };
  const namespace = route.namespace ?? (kind.namespaced ? undefined : '');
  const method = req.method ?? 'GET';
  const table = r.representation.kind === 'table' ? r.representation.apiVersion : undefined;
  const include = (query.get('includeObject') ?? 'Metadata') as IncludeObject;
  const one = (o: KubeObject, status = 200): Reply => ({
    status,
    body: table ? { ...toTable(kind.plural, [o], { includeObject: include }), apiVersion: table } : o,
  });

  if (route.name === undefined) {
    if (method === 'GET' && (query.get('watch') === 'true' || query.get('watch') === '1')) {
      allow('watch');
      if (!handler.watch) throw notAllowed();
      const timeout = Number(query.get('timeoutSeconds'));
      await serveWatch(
        r.res,
        ctx.feed,
        {
          handler,
          ctx,
          opts: listOptions(handler, route, query, false),
          resourceVersion: query.get('resourceVersion') ?? undefined,
          bookmarks: query.get('allowWatchBookmarks') === 'true',
          sendInitialEvents: query.get('sendInitialEvents') === 'true',
          ...(Number.isFinite(timeout) && timeout > 0 ? { timeoutSeconds: timeout } : {}),
          ...(table ? { table } : {}),
        },
        r.watchLimits,
      );
      return undefined;
    }
    if (method === 'GET') {
      allow('list');
      const rv = ctx.feed.rv();
      const { items, continueToken } = await handler.list(ctx, listOptions(handler, route, query, table !== undefined));
      if (table)
        return { status: 200, body: { ...toTable(kind.plural, items, { resourceVersion: rv, continueToken, includeObject: include }), apiVersion: table } };
      return {
        status: 200,
        body: {
          apiVersion: apiVersionOf(kind),
          kind: kind.listKind,
          metadata: { resourceVersion: rv, ...(continueToken ? { continue: continueToken } : {}) },
          items: items.map((o) => ({ apiVersion: apiVersionOf(kind), kind: kind.kind, ...o })),
        },
      };
    }
    if (method === 'POST') {
      allow('create');
      if (kind.namespaced && namespace === undefined)
        throw kubeError(405, 'MethodNotAllowed', 'create in a namespace: POST to .../namespaces/<namespace>/' + kind.plural);
      const body = await objectBody(req, handler, query, ctx);
      return one(await handler.create!(ctx, namespace ?? '', body), 201);
    }
    if (method === 'DELETE')
      throw kubeError(
        405,
        'MethodNotAllowed',
        `deletecollection is not supported on resources of kind "${gr.resource}${gr.group ? `.${gr.group}` : ''}": delete them by name`,
      );
    throw notAllowed();
  }

  if (kind.namespaced && namespace === undefined) throw notFoundPath();
  const ns = namespace ?? '';
  switch (method) {
    case 'GET':
      allow('get');
      return one(await handler.get(ctx, ns, route.name, route.subresource));
    case 'PUT': {
      allow('update');
      if (!handler.update) throw notAllowed();
      const body = await objectBody(req, handler, query, ctx);
      return one(await handler.update(ctx, ns, route.name, body, route.subresource));
    }
    case 'PATCH': {
      allow('patch');
      if (!handler.update) throw notAllowed();
      const current = await handler.get(ctx, ns, route.name, route.subresource);
      const next = await patched(req, handler, { apiVersion: apiVersionOf(kind), kind: kind.kind, ...current }, query, ctx);
      return one(await handler.update(ctx, ns, route.name, next, route.subresource));
    }
    case 'DELETE': {
      allow('delete');
      if (!handler.remove) throw notAllowed();
      const deleted = await handler.remove(ctx, ns, route.name, deleteOptions(await readBody(req, 1024 * 1024)));
      return one({ apiVersion: apiVersionOf(kind), kind: kind.kind, ...deleted });
    }
    default:
      throw notAllowed();
  }
}

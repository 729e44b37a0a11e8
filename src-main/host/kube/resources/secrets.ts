// Core v1 secrets, for repository credentials only. A Secret created here is
// held in memory (secret-stash.ts) until a Repository names it; the
// repositories that hold sealed credentials show theirs by name. A Secret is
// never returned with its data, and kubectl's last-applied annotation (which
// would copy the data in clear) is never kept.
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../change-feed.ts';
import { SECRET } from '../kinds.ts';
import { pageInMemory } from '../paging.ts';
import { fieldValue, matchesFields, matchesLabels } from '../selectors.ts';
import { alreadyExistsError, badRequest, conflictError, invalidError, notFoundError, type FieldError, type GroupResource } from '../status.ts';
import type { DoorContext, ResourceHandler } from './handler.ts';
import { requestedMetadata } from './handler.ts';
import type { StashedSecret } from './secret-stash.ts';

const GR: GroupResource = { group: '', resource: 'secrets' };
const KIND = { group: '', kind: 'Secret' };
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function toObject(s: StashedSecret, usedBy?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: s.name,
      namespace: s.namespace,
      uid: s.uid,
      resourceVersion: '1',
      creationTimestamp: s.creationTimestamp,
      ...(s.labels ? { labels: s.labels } : {}),
      ...(usedBy ? { annotations: { 'porchlight.kpt.dev/sealed-for-repository': usedBy } } : {}),
    },
    type: s.type,
  };
}

/** Secrets the service holds sealed, one per repository with a secretRef, and which repository uses each. */
async function sealed(ctx: DoorContext, namespace?: string): Promise<{ secret: StashedSecret; repository: string }[]> {
  const repos = await ctx.service.call('repositories.list', namespace !== undefined ? { namespace } : { allNamespaces: true });
  return repos
    .filter((r) => r.spec.git.secretRef?.name)
    .map((r) => ({
      repository: r.metadata.name,
      secret: {
        namespace: r.metadata.namespace,
        name: r.spec.git.secretRef!.name,
        type: 'kubernetes.io/basic-auth',
        uid: `${r.metadata.uid ?? r.metadata.name}-auth`,
        creationTimestamp: r.metadata.creationTimestamp ?? '',
      },
    }));
}

async function all(ctx: DoorContext, namespace?: string): Promise<KubeObject[]> {
  const byKey = new Map<string, KubeObject>();
  for (const { secret, repository } of await sealed(ctx, namespace)) byKey.set(`${secret.namespace}/${secret.name}`, toObject(secret, repository));
  for (const s of ctx.stash.list(namespace)) if (!byKey.has(`${s.namespace}/${s.name}`)) byKey.set(`${s.namespace}/${s.name}`, toObject(s));
  return [...byKey.values()];
}

function decode(field: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw badRequest(`${field} must be base64 (data) or text (stringData)`);
  return Buffer.from(value, 'base64').toString('utf8');
}

async function create(ctx: DoorContext, namespace: string, body: KubeObject): Promise<KubeObject> {
  if (body.metadata?.namespace && body.metadata.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const name = body.metadata?.name ?? '';
  const errors: FieldError[] = [];
  if (!name) errors.push({ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' });
  else if (name.length > 253 || !SUBDOMAIN.test(name)) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'metadata.name',
      value: name,
      detail: "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'",
    });
  }
  const type = String(body.type ?? 'Opaque');
  if (type !== 'kubernetes.io/basic-auth' && type !== 'Opaque') {
    errors.push({
      type: 'FieldValueNotSupported',
      field: 'type',
      value: type,
      detail: 'Porchlight keeps repository credentials only: kubernetes.io/basic-auth (or Opaque) with username and password',
    });
  }
  const data = (body.data ?? {}) as Record<string, unknown>;
  const text = (body.stringData ?? {}) as Record<string, string>;
  const username = text.username ?? (data.username !== undefined ? decode('data[username]', data.username) : undefined);
  const password = text.password ?? (data.password !== undefined ? decode('data[password]', data.password) : undefined);
  if (username === undefined) errors.push({ type: 'FieldValueRequired', field: 'data[username]', detail: 'a repository credential needs a username' });
  const extra = Object.keys({ ...data, ...text }).filter((k) => k !== 'username' && k !== 'password');
  if (extra.length) errors.push({ type: 'FieldValueNotSupported', field: `data[${extra[0]}]`, value: extra[0], detail: 'only username and password are kept' });
  if (errors.length) throw invalidError(KIND, name, errors);
  const taken = ctx.stash.get(namespace, name) ?? (await sealed(ctx, namespace)).find((s) => s.secret.name === name);
  if (taken) throw alreadyExistsError(GR, name);
  const { labels } = requestedMetadata(ctx, body.metadata);
  const secret: StashedSecret = {
    namespace,
    name,
    type,
    uid: randomUUID(),
    creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ...(Object.keys(labels).length ? { labels } : {}),
    credentials: { username: username!, password: password ?? '' },
  };
  ctx.stash.put(secret);
  return toObject(secret);
}

export const secrets: ResourceHandler = {
  kind: SECRET,
  fieldSelectable: (f) => f === 'metadata.name' || f === 'metadata.namespace' || f === 'type',
  fieldOf: fieldValue,
  async list(ctx, opts) {
    const items = (await all(ctx, opts.namespace)).filter((o) => matchesFields(opts.fields, o) && matchesLabels(opts.labels, o.metadata.labels));
    return pageInMemory(items, opts.limit, opts.continueFrom);
  },
  async get(ctx, namespace, name) {
    const found = (await all(ctx, namespace)).find((o) => o.metadata.name === name);
    if (!found) throw notFoundError(GR, name);
    return found;
  },
  create,
  async update(ctx, namespace, name, body) {
    const used = (await sealed(ctx, namespace)).find((s) => s.secret.name === name);
    if (used) {
      throw conflictError(
        GR,
        name,
        `it holds the credentials of repository ${used.repository}, sealed at registration; unregister the repository and register it again to change them`,
      );
    }
    if (!ctx.stash.get(namespace, name)) throw notFoundError(GR, name);
    ctx.stash.delete(namespace, name);
    return create(ctx, namespace, { ...body, metadata: { ...body.metadata, name } });
  },
  async remove(ctx, namespace, name) {
    const used = (await sealed(ctx, namespace)).find((s) => s.secret.name === name);
    const held = ctx.stash.get(namespace, name);
    if (used) throw conflictError(GR, name, `it holds the credentials of repository ${used.repository}; unregister the repository first`);
    if (!held) throw notFoundError(GR, name);
    ctx.stash.delete(namespace, name);
    return toObject(held);
  },
};

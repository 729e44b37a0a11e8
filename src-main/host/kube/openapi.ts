// OpenAPI v3 documents, one per group-version, written from kinds.ts. kubectl
// reads them to find out that the server checks fields itself (the
// fieldValidation parameter on PATCH), which patch types a kind takes (no
// strategic merge for Porch's kinds, so apply and edit send JSON merge
// patches), and for `kubectl explain`.
import { createHash } from 'node:crypto';
import { apiVersionOf, KINDS, type KindInfo } from './kinds.ts';
import { LIST_META, OBJECT_META, str, type Schema } from './schema.ts';

type Json = Record<string, unknown>;

const META_PREFIX = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

export function schemaName(k: Pick<KindInfo, 'group' | 'version'>, kind: string): string {
  return k.group ? `${k.group.split('.').reverse().join('.')}.${k.version}.${kind}` : `io.k8s.api.core.${k.version}.${kind}`;
}

function toOpenApi(s: Schema): Json {
  const d = s.description ? { description: s.description } : {};
  switch (s.type) {
    case 'string':
      return { type: 'string', ...d, ...(s.format ? { format: s.format } : {}), ...(s.nullable ? { nullable: true } : {}) };
    case 'integer':
      return { type: 'integer', format: 'int64', ...d };
    case 'boolean':
      return { type: 'boolean', ...d };
    case 'object':
      return {
        type: 'object',
        ...d,
        properties: Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, toOpenApi(v)])),
        ...(s.required ? { required: s.required } : {}),
      };
    case 'map':
      return { type: 'object', ...d, additionalProperties: toOpenApi(s.values) };
    case 'array':
      return { type: 'array', ...d, items: toOpenApi(s.items) };
    case 'any':
      return { ...d, 'x-kubernetes-preserve-unknown-fields': true };
    case 'ref':
      return { ...d, allOf: [{ $ref: `#/components/schemas/${META_PREFIX}${s.ref}` }], default: {} };
  }
}

const gvk = (k: KindInfo, kind = k.kind) => ({ group: k.group, version: k.version, kind });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const param = (name: string, description: string, type = 'string') => ({ name, in: 'query', description, schema: { type }, uniqueItems: true });

const LIST_PARAMS = [
  param('allowWatchBookmarks', 'Ask for BOOKMARK events while watching.', 'boolean'),
  param('continue', 'The continue token of the previous page.'),
  param('fieldSelector', 'Select by fields: spec.revision, spec.workspaceName, spec.packageName, spec.repository, spec.lifecycle, metadata.name.'),
  param('labelSelector', 'Select by labels.'),
  param('limit', 'At most this many items; the rest follow with continue.', 'integer'),
  param('resourceVersion', 'Watch from this list resourceVersion.'),
  param('resourceVersionMatch', 'How resourceVersion applies to a list.'),
  param('timeoutSeconds', 'End a watch after this many seconds.', 'integer'),
  param('watch', 'Stream changes instead of listing.', 'boolean'),
];
const WRITE_PARAMS = [
  param('fieldManager', 'Name of the writer (recorded by Kubernetes; accepted and not kept here).'),
  param('fieldValidation', 'Strict (unknown fields refused), Warn (named in Warning headers) or Ignore.'),
];
const PATH_PARAMS = (namespaced: boolean, named: boolean) => [
  ...(named ? [{ name: 'name', in: 'path', required: true, description: 'name of the object', schema: { type: 'string' } }] : []),
  ...(namespaced ? [{ name: 'namespace', in: 'path', required: true, description: 'object name and auth scope', schema: { type: 'string' } }] : []),
  param('pretty', 'Indent the output.'),
];

function operation(k: KindInfo, action: string, id: string, extra: Json): Json {
  const kind = action === 'list' ? k.listKind : k.kind;
  return {
    operationId: id,
    ...extra,
    responses: { '200': { description: 'OK', content: { 'application/json': { schema: ref(schemaName(k, action === 'delete' ? 'Status' : kind)) } } } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk(k),
  };
}

function patchTypes(k: KindInfo): string[] {
  const types = ['application/json-patch+json', 'application/merge-patch+json'];
  // kubectl's own scheme knows the core kinds and patches them strategically; the door takes those as merge patches.
  return k.group === '' ? [...types, 'application/strategic-merge-patch+json'] : types;
}

function paths(k: KindInfo): Record<string, Json> {
  const base = k.group ? `/apis/${k.group}/${k.version}` : `/api/${k.version}`;
  const collection = k.namespaced ? `${base}/namespaces/{namespace}/${k.plural}` : `${base}/${k.plural}`;
  const has = (v: string) => k.verbs.includes(v);
  const id = (verb: string, sub = '') => `${verb}${k.namespaced ? 'Namespaced' : ''}${k.kind}${sub}`;
  const body = { requestBody: { content: { '*/*': { schema: ref(schemaName(k, k.kind)) } }, required: true } };
  const out: Record<string, Json> = {};
  out[collection] = {
    parameters: PATH_PARAMS(k.namespaced, false),
    ...(has('list') ? { get: operation(k, 'list', id('list'), { parameters: LIST_PARAMS }) } : {}),
    ...(has('create') ? { post: operation(k, 'post', id('create'), { parameters: WRITE_PARAMS, ...body }) } : {}),
  };
  if (k.namespaced && has('list'))
    out[`${base}/${k.plural}`] = {
      parameters: PATH_PARAMS(false, false),
      get: operation(k, 'list', `list${k.kind}ForAllNamespaces`, { parameters: LIST_PARAMS }),
    };
  const item = (verbs: readonly string[], sub: string): Json => ({
    parameters: PATH_PARAMS(k.namespaced, true),
    ...(verbs.includes('get') ? { get: operation(k, 'get', id('read', sub), {}) } : {}),
    ...(verbs.includes('update') ? { put: operation(k, 'put', id('replace', sub), { parameters: WRITE_PARAMS, ...body }) } : {}),
    ...(verbs.includes('patch')
      ? {
          patch: operation(k, 'patch', id('patch', sub), {
            parameters: [...WRITE_PARAMS, param('force', 'Server-side apply only; not supported.', 'boolean')],
            requestBody: { content: Object.fromEntries(patchTypes(k).map((t) => [t, { schema: { type: 'object' } }])), required: true },
          }),
        }
      : {}),
    ...(verbs.includes('delete')
      ? { delete: operation(k, 'delete', id('delete', sub), { parameters: [param('gracePeriodSeconds', 'Ignored.', 'integer')] }) }
      : {}),
  });
  out[`${collection}/{name}`] = item(k.verbs, '');
  for (const s of k.subresources ?? []) out[`${collection}/{name}/${s.name}`] = item(s.verbs, s.name[0]!.toUpperCase() + s.name.slice(1));
  return out;
}

function schemas(k: KindInfo): Record<string, Json> {
  const fields: Record<string, Schema> = {
    apiVersion: str('The versioned schema of this object.'),
    kind: str('The kind of this object.'),
    metadata: { type: 'ref', ref: 'ObjectMeta' },
    ...k.fields,
  };
  const kindSchema = { ...toOpenApi({ type: 'object', description: k.description, properties: fields }), 'x-kubernetes-group-version-kind': [gvk(k)] };
  const listSchema = {
    type: 'object',
    description: `A list of ${k.kind}.`,
    properties: {
      apiVersion: toOpenApi(str()),
      kind: toOpenApi(str()),
      metadata: toOpenApi({ type: 'ref', ref: 'ListMeta' }),
      items: { type: 'array', items: ref(schemaName(k, k.kind)) },
    },
    required: ['items'],
    'x-kubernetes-group-version-kind': [gvk(k, k.listKind)],
  };
  return { [schemaName(k, k.kind)]: kindSchema, [schemaName(k, k.listKind)]: listSchema };
}

const STATUS_SCHEMA = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    status: { type: 'string' },
    message: { type: 'string' },
    reason: { type: 'string' },
    code: { type: 'integer', format: 'int32' },
    details: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
};

/** The document of one group-version ('api/v1', 'apis/porch.kpt.dev/v1alpha1', ...), or undefined. */
export function openApiDocument(groupVersionPath: string): Json | undefined {
  const kinds = KINDS.filter((k) => (k.group ? `apis/${apiVersionOf(k)}` : `api/${k.version}`) === groupVersionPath);
  if (!kinds.length) return undefined;
  const first = kinds[0]!;
  return {
    openapi: '3.0.0',
    info: { title: 'Porchlight', version: first.version },
    paths: Object.assign({}, ...kinds.map(paths)),
    components: {
      schemas: Object.assign(
        {
          [`${META_PREFIX}ObjectMeta`]: toOpenApi(OBJECT_META),
          [`${META_PREFIX}ListMeta`]: toOpenApi(LIST_META),
          [schemaName(first, 'Status')]: STATUS_SCHEMA,
        },
        ...kinds.map(schemas),
      ),
    },
  };
}

const PATHS = [...new Set(KINDS.map((k) => (k.group ? `apis/${apiVersionOf(k)}` : `api/${k.version}`)))];

/** Documents as sent, with the hash kubectl uses to cache them. */
export const OPENAPI_DOCUMENTS: ReadonlyMap<string, { body: string; hash: string }> = new Map(
  PATHS.map((p) => {
    const body = JSON.stringify(openApiDocument(p));
    return [p, { body, hash: createHash('sha512').update(body).digest('hex').slice(0, 64).toUpperCase() }];
  }),
);

/** GET /openapi/v3: where each group-version's document is. */
export function openApiIndex() {
  return { paths: Object.fromEntries([...OPENAPI_DOCUMENTS].map(([p, d]) => [p, { serverRelativeURL: `/openapi/v3/${p}?hash=${d.hash}` }])) };
}

// One description of an object's shape, from which the door writes its
// OpenAPI v3 documents and checks request bodies (fieldValidation): what
// kubectl validates against is exactly what the server enforces.

export type Schema =
  | { type: 'string'; description?: string; enum?: readonly string[]; format?: 'date-time' | 'byte'; nullable?: boolean }
  | { type: 'integer' | 'boolean'; description?: string }
  | { type: 'object'; description?: string; properties: Record<string, Schema>; required?: readonly string[] }
  | { type: 'map'; description?: string; values: Schema }
  | { type: 'array'; description?: string; items: Schema }
  /** Anything: kept as sent (x-kubernetes-preserve-unknown-fields). */
  | { type: 'any'; description?: string }
  /** A named schema shared by several kinds (ObjectMeta). */
  | { type: 'ref'; ref: 'ObjectMeta' | 'ListMeta'; description?: string };

export const str = (description?: string, extra: { enum?: readonly string[]; format?: 'date-time' | 'byte'; nullable?: boolean } = {}): Schema => ({
  type: 'string',
  ...(description ? { description } : {}),
  ...extra,
});
export const int = (description?: string): Schema => ({ type: 'integer', ...(description ? { description } : {}) });
export const bool = (description?: string): Schema => ({ type: 'boolean', ...(description ? { description } : {}) });
export const obj = (properties: Record<string, Schema>, description?: string, required?: readonly string[]): Schema => ({
  type: 'object',
  properties,
  ...(description ? { description } : {}),
  ...(required ? { required } : {}),
});
export const mapOf = (values: Schema, description?: string): Schema => ({ type: 'map', values, ...(description ? { description } : {}) });
export const arrayOf = (items: Schema, description?: string): Schema => ({ type: 'array', items, ...(description ? { description } : {}) });
export const time = (description?: string): Schema => str(description, { format: 'date-time', nullable: true });

export const OBJECT_META: Schema = obj(
  {
    name: str('Unique within a namespace.'),
    generateName: str(),
    namespace: str(),
    selfLink: str(),
    uid: str(),
    resourceVersion: str('Changes on every write; an update carrying an older one is refused with 409.'),
    generation: int(),
    creationTimestamp: time(),
    deletionTimestamp: time(),
    deletionGracePeriodSeconds: int(),
    labels: mapOf(str()),
    annotations: mapOf(str()),
    ownerReferences: arrayOf(
      obj({ apiVersion: str(), kind: str(), name: str(), uid: str(), controller: bool(), blockOwnerDeletion: bool() }, undefined, [
        'apiVersion',
        'kind',
        'name',
        'uid',
      ]),
    ),
    finalizers: arrayOf(str()),
    managedFields: arrayOf({ type: 'any' }),
  },
  "Standard object's metadata.",
);

export const LIST_META: Schema = obj({ resourceVersion: str(), continue: str(), remainingItemCount: int(), selfLink: str() });

export const CONDITION: Schema = obj(
  { type: str(), status: str(undefined, { enum: ['True', 'False', 'Unknown'] }), reason: str(), message: str(), lastTransitionTime: time() },
  undefined,
  ['type', 'status'],
);

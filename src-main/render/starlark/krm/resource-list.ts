// Items in and out of Starlark, as the catalog's function converts them:
// every item becomes a dict in `ctx.resource_list["items"]`; afterwards each
// dict becomes YAML again, written in Go's key order, then field order and
// comments are taken back from the input resource it came from, as kpt does.
import { Document } from 'yaml';
import { starError } from '../errors.ts';
import { StarDict } from '../hash-table.ts';
import { StarList, StarTuple, typeName, type Value } from '../values.ts';
import { nodeToValue, resolveYamlV3, valueToNode } from '../yaml-values.ts';
import { copyComments, syncOrder } from './sync-yaml.ts';

const RESOURCE_LIST_API_VERSION = 'config.kubernetes.io/v1';

export function documentToValue(doc: Document.Parsed): Value {
  return nodeToValue(doc.contents, doc, resolveYamlV3);
}

/** ctx.resource_list: apiVersion, kind, items and functionConfig. */
export function makeResourceList(items: Value[], functionConfig: Value | undefined): StarDict {
  const rl = new StarDict();
  rl.set('apiVersion', RESOURCE_LIST_API_VERSION);
  rl.set('kind', 'ResourceList');
  rl.set('items', new StarList(items));
  if (functionConfig !== undefined) rl.set('functionConfig', functionConfig);
  return rl;
}

function annotation(v: Value, key: string): string | undefined {
  const meta = v instanceof StarDict ? v.get('metadata') : undefined;
  const annotations = meta instanceof StarDict ? meta.get('annotations') : undefined;
  const a = annotations instanceof StarDict ? annotations.get(key) : undefined;
  return typeof a === 'string' ? a : undefined;
}

/** Which input a resource came from, as kpt tells it: its id, else its file path and index. */
function originKey(v: Value): string | undefined {
  const id = annotation(v, 'internal.config.kubernetes.io/id') ?? annotation(v, 'config.k8s.io/id');
  if (id !== undefined) return `id:${id}`;
  const path = annotation(v, 'internal.config.kubernetes.io/path') ?? annotation(v, 'config.kubernetes.io/path');
  if (path === undefined) return undefined;
  const index = annotation(v, 'internal.config.kubernetes.io/index') ?? annotation(v, 'config.kubernetes.io/index') ?? '0';
  return `path:${path}#${index}`;
}

/** Remembers the input documents so outputs can be matched back to them. */
export class Origins {
  private readonly byValue = new Map<Value, Document.Parsed>();
  private readonly byKey = new Map<string, Document.Parsed>();

  add(value: Value, doc: Document.Parsed): void {
    this.byValue.set(value, doc);
    const key = originKey(value);
    if (key !== undefined && !this.byKey.has(key)) this.byKey.set(key, doc);
  }

  find(value: Value): Document.Parsed | undefined {
    const key = originKey(value);
    return (key !== undefined ? this.byKey.get(key) : undefined) ?? this.byValue.get(value);
  }
}

/** Reads ctx.resource_list["items"] after the script and makes documents of them. */
export function itemsToDocuments(rl: StarDict, origins: Origins): Document.Parsed[] {
  const items = rl.get('items');
  if (!(items instanceof StarList || items instanceof StarTuple)) {
    throw starError(`ctx.resource_list["items"] must be a list of resources, got ${items === undefined ? 'nothing' : typeName(items)}`);
  }
  return items.elems.map((item, i) => {
    if (!(item instanceof StarDict)) throw starError(`ctx.resource_list["items"][${i}] must be a dict (a resource), got ${typeName(item)}`);
    let node;
    try {
      node = valueToNode(item);
    } catch (e) {
      throw starError(`ctx.resource_list["items"][${i}]: ${(e as Error).message}`);
    }
    const origin = origins.find(item);
    const doc = (origin ? origin.clone() : new Document()) as Document.Parsed;
    if (origin) {
      syncOrder(origin.contents, node);
      copyComments(origin.contents, node);
    }
    doc.contents = node as Document.Parsed['contents'];
    return doc;
  });
}

// Function configs as kpt builds them: a Kptfile `configMap` or eval's
// `key=value` arguments become a ConfigMap named function-input; a
// `configPath` is read from the package.
import { Pair, Scalar, YAMLMap, type Document } from 'yaml';
import { parseYamlDocument, parseYamlStream } from '../kyaml-format.ts';
import { getField, setField, type MapNode } from '../krm/fields.ts';
import { rootMap } from '../krm/resource.ts';
import { stringScalar } from '../yaml/go-node.ts';

export class FnConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FnConfigError';
  }
}

/** fnruntime.NewConfigMap: the Kptfile's configMap values as strings under `data`. */
export function configMapFromData(data: Record<string, string>): Document.Parsed {
  const doc = parseYamlDocument('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: function-input\ndata: {}\n')!;
  const map = new YAMLMap<unknown, unknown>();
  for (const [k, v] of Object.entries(data)) map.items.push(new Pair(new Scalar(k), stringScalar(v)));
  setField(rootMap(doc)!, 'data', map);
  return doc;
}

/** kpt fn eval's config from `-- [Kind] key=value...`: data first, then kind and apiVersion appended. */
export function configMapFromArgs(args: string[]): Document.Parsed {
  const doc = parseYamlDocument('metadata:\n  name: function-input\ndata: {}\n')!;
  const root = rootMap(doc)!;
  const data = getField(root, 'data') as MapNode;
  let kind = 'ConfigMap';
  args.forEach((arg, i) => {
    const eq = arg.indexOf('=');
    if (i === 0 && eq < 0) {
      kind = arg;
      return;
    }
    if (eq < 0) throw new FnConfigError(`function argument ${JSON.stringify(arg)} has no "=": write arguments as key=value`);
    setField(data, arg.slice(0, eq), stringScalar(arg.slice(eq + 1)));
  });
  setField(root, 'kind', new Scalar(kind));
  setField(root, 'apiVersion', new Scalar('v1'));
  return doc;
}

/** kptfile GetValidatedFnConfigFromPath: the file must exist and hold exactly one KRM resource. */
export function validateConfigFile(path: string, text: string | undefined): Document.Parsed {
  if (text === undefined) throw new FnConfigError(`functionConfig ${JSON.stringify(path)} must exist in the current package`);
  let docs: Document.Parsed[];
  try {
    docs = parseYamlStream(text);
  } catch (e) {
    throw new FnConfigError(`failed to read functionConfig ${JSON.stringify(path)}: ${(e as Error).message}`);
  }
  if (docs.length > 1) throw new FnConfigError(`functionConfig ${JSON.stringify(path)} must not contain more than one config, got ${docs.length}`);
  const doc = docs[0];
  const root = doc ? rootMap(doc) : undefined;
  const name = getField(getField(root, 'metadata'), 'name');
  if (!root || !getField(root, 'apiVersion') || !getField(root, 'kind') || !name) {
    throw new FnConfigError(`functionConfig ${JSON.stringify(path)}: resource must have \`apiVersion\`, \`kind\`, and \`name\``);
  }
  return doc!;
}

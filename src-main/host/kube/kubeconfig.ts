// The kubeconfig for the running door: cluster, user and context all named
// "porchlight", the CA inline (certificate-authority-data) and the bearer
// token. Merging replaces only those three entries of an existing config.
import YAML from 'yaml';

export interface KubeconfigEntry {
  server: string;
  caPem: string;
  token: string;
  namespace?: string;
}

export const KUBECONFIG_NAME = 'porchlight';

const cluster = (e: KubeconfigEntry) => ({
  name: KUBECONFIG_NAME,
  cluster: { server: e.server, 'certificate-authority-data': Buffer.from(e.caPem).toString('base64') },
});
const user = (e: KubeconfigEntry) => ({ name: KUBECONFIG_NAME, user: { token: e.token } });
const context = (e: KubeconfigEntry) => ({
  name: KUBECONFIG_NAME,
  context: { cluster: KUBECONFIG_NAME, user: KUBECONFIG_NAME, namespace: e.namespace ?? 'default' },
});

/** A kubeconfig holding only the door, as its current context. */
export function kubeconfigYaml(e: KubeconfigEntry): string {
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [cluster(e)],
    users: [user(e)],
    contexts: [context(e)],
    'current-context': KUBECONFIG_NAME,
    preferences: {},
  });
}

/**
 * `existing` (a kubeconfig's text, or empty) with the porchlight entries added
 * or replaced, the rest (comments included) as it was; the current context
 * moves only when `use` is set or none was set.
 */
export function mergeKubeconfig(existing: string | undefined, e: KubeconfigEntry, use = false): string {
  const doc = existing?.trim() ? YAML.parseDocument(existing) : new YAML.Document({});
  if (doc.errors.length) throw new Error(doc.errors[0]!.message);
  if (!YAML.isMap(doc.contents)) doc.contents = doc.createNode({}) as never;
  if (!doc.has('apiVersion')) doc.set('apiVersion', 'v1');
  if (!doc.has('kind')) doc.set('kind', 'Config');
  const replace = (key: string, entry: { name: string }) => {
    const list = doc.get(key);
    if (!YAML.isSeq(list)) return doc.set(key, doc.createNode([entry]));
    list.items = list.items.filter((x) => !(YAML.isMap(x) && x.get('name') === KUBECONFIG_NAME));
    list.add(doc.createNode(entry));
  };
  replace('clusters', cluster(e));
  replace('users', user(e));
  replace('contexts', context(e));
  if (use || !doc.get('current-context')) doc.set('current-context', KUBECONFIG_NAME);
  return doc.toString();
}

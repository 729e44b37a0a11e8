// The kinds the door serves, once each: names for discovery, verbs, the
// subresources, and the schema of every field (Porch's api/porch/v1alpha1 and
// api/porchconfig/v1alpha1 field names, core v1 for secrets and namespaces).
import { arrayOf, bool, CONDITION, int, mapOf, obj, str, time, type Schema } from './schema.ts';

export interface KindInfo {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  verbs: readonly string[];
  shortNames?: readonly string[];
  subresources?: readonly { name: string; verbs: readonly string[] }[];
  /** The object's fields besides apiVersion, kind and metadata. */
  fields: Record<string, Schema>;
  description: string;
}

export const apiVersionOf = (k: Pick<KindInfo, 'group' | 'version'>) => (k.group ? `${k.group}/${k.version}` : k.version);

const ref = (what: string) => obj({ name: str(`The name of the ${what}.`) }, undefined, ['name']);
const gitLock = obj({ repo: str(), directory: str(), ref: str(), commit: str() });
const locator = obj({ type: str(), git: gitLock });

const task = obj(
  {
    type: str('init, clone, edit, upgrade (render and push are recorded, not created)'),
    init: obj({ subpackage: str(), description: str(), keywords: arrayOf(str()), site: str() }),
    clone: obj({
      upstreamRef: obj({
        type: str(undefined, { enum: ['git', 'oci'] }),
        git: obj({ repo: str(), ref: str(), directory: str(), secretRef: ref('secret') }, undefined, ['repo', 'ref', 'directory']),
        oci: obj({ image: str() }, undefined, ['image']),
        upstreamRef: ref('package revision'),
      }),
    }),
    edit: obj({ sourceRef: ref('package revision') }),
    upgrade: obj({
      oldUpstreamRef: ref('package revision'),
      newUpstreamRef: ref('package revision'),
      localPackageRevisionRef: ref('package revision'),
      strategy: str(undefined, { enum: ['resource-merge', 'fast-forward', 'force-delete-replace', 'copy-merge'] }),
    }),
  },
  undefined,
  ['type'],
);

const packageRevisionSpec = {
  packageName: str('The package path in its repository.'),
  repository: str('The Repository holding the package.'),
  workspaceName: str('Unique among the package revisions of a package.'),
  revision: int('1, 2, ... once published; -1 for the placeholder of the branch; omitted for drafts and proposals.'),
  parent: ref('package revision'),
  lifecycle: str(undefined, { enum: ['Draft', 'Proposed', 'Published', 'DeletionProposed'] }),
  tasks: arrayOf(task, 'How the revision was made: the first task creates it.'),
  readinessGates: arrayOf(obj({ conditionType: str() })),
  packageMetadata: obj({ labels: mapOf(str()), annotations: mapOf(str()) }),
};

const renderStatus = obj({ result: { type: 'any' }, error: str() });

const PORCH = { group: 'porch.kpt.dev', version: 'v1alpha1' } as const;
const CONFIG = { group: 'config.porch.kpt.dev', version: 'v1alpha1' } as const;
const CORE = { group: '', version: 'v1' } as const;
const CRUD = ['create', 'delete', 'get', 'list', 'patch', 'update'] as const;

export const PACKAGE_REVISION: KindInfo = {
  ...PORCH,
  kind: 'PackageRevision',
  listKind: 'PackageRevisionList',
  plural: 'packagerevisions',
  singular: 'packagerevision',
  namespaced: true,
  verbs: [...CRUD, 'watch'],
  subresources: [{ name: 'approval', verbs: ['get', 'patch', 'update'] }],
  description: 'A revision of a kpt package: a draft, a proposal, or published in Git.',
  fields: {
    spec: obj(packageRevisionSpec),
    status: obj({
      upstreamLock: locator,
      selfLock: locator,
      publishedBy: str(),
      publishTimestamp: time(),
      deployment: bool(),
      conditions: arrayOf(obj({ type: str(), status: str(), reason: str(), message: str() }, undefined, ['type', 'status'])),
    }),
  },
};

export const PACKAGE_REVISION_RESOURCES: KindInfo = {
  ...PORCH,
  kind: 'PackageRevisionResources',
  listKind: 'PackageRevisionResourcesList',
  plural: 'packagerevisionresources',
  singular: 'packagerevisionresources',
  namespaced: true,
  verbs: ['get', 'list', 'patch', 'update'],
  description: "A package revision's files, path to content; only a Draft's can be written.",
  fields: {
    spec: obj({
      packageName: str(),
      workspaceName: str(),
      revision: int(),
      repository: str(),
      resources: mapOf(str(), 'File path to file content.'),
    }),
    status: obj({ renderStatus }),
  },
};

export const PACKAGE: KindInfo = {
  ...PORCH,
  kind: 'PorchPackage',
  listKind: 'PorchPackageList',
  plural: 'packages',
  singular: 'package',
  namespaced: true,
  verbs: CRUD,
  description: 'A package in a repository and its latest published revision.',
  fields: {
    spec: obj({ packageName: str(), repository: str() }),
    status: obj({ latestRevision: int() }),
  },
};

export const REPOSITORY: KindInfo = {
  ...CONFIG,
  kind: 'Repository',
  listKind: 'RepositoryList',
  plural: 'repositories',
  singular: 'repository',
  namespaced: true,
  verbs: [...CRUD, 'watch'],
  shortNames: ['repo'],
  description: 'A Git repository of kpt packages, registered with Porchlight.',
  fields: {
    spec: obj({
      description: str(),
      deployment: bool(),
      type: str(undefined, { enum: ['git', 'oci'] }),
      content: str(undefined, { enum: ['Package'] }),
      sync: obj({ runOnceAt: time(), schedule: str('A cron schedule of syncs.') }),
      git: obj({ repo: str(), branch: str(), createBranch: bool(), directory: str(), secretRef: ref('secret'), author: str(), email: str() }, undefined, [
        'repo',
      ]),
      oci: obj({ registry: str(), secretRef: ref('secret') }, undefined, ['registry']),
    }),
    status: obj({
      conditions: arrayOf(CONDITION),
      lastFullSyncTime: time(),
      nextFullSyncTime: time(),
      observedGeneration: int(),
      observedRunOnceAt: time(),
      packageCount: int(),
      gitCommitHash: str(),
      // Porchlight's own, as the service reports them.
      syncStats: { type: 'any', description: 'What the last sync found.' },
      syncIntervalSeconds: int('Seconds between scheduled syncs when there is no cron schedule.'),
    }),
  },
};

export const SECRET: KindInfo = {
  ...CORE,
  kind: 'Secret',
  listKind: 'SecretList',
  plural: 'secrets',
  singular: 'secret',
  namespaced: true,
  verbs: CRUD,
  description: "A repository's credentials (basic-auth username and password): given to the service when a Repository names it, never read back.",
  fields: {
    type: str(),
    data: mapOf(str(undefined, { format: 'byte' })),
    stringData: mapOf(str()),
    immutable: bool(),
  },
};

export const NAMESPACE: KindInfo = {
  ...CORE,
  kind: 'Namespace',
  listKind: 'NamespaceList',
  plural: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  verbs: ['create', 'get', 'list'],
  shortNames: ['ns'],
  description: 'A namespace: Porchlight has every valid one, and lists those that hold a repository.',
  fields: {
    spec: obj({ finalizers: arrayOf(str()) }),
    status: obj({ phase: str(), conditions: arrayOf({ type: 'any' }) }),
  },
};

export const EVENT: KindInfo = {
  ...CORE,
  kind: 'Event',
  listKind: 'EventList',
  plural: 'events',
  singular: 'event',
  namespaced: true,
  verbs: ['get', 'list'],
  shortNames: ['ev'],
  description: 'Porchlight records no events; the list is empty (kubectl describe asks for them).',
  fields: { involvedObject: { type: 'any' }, reason: str(), message: str(), type: str() },
};

export const KINDS: readonly KindInfo[] = [PACKAGE_REVISION, PACKAGE_REVISION_RESOURCES, PACKAGE, REPOSITORY, SECRET, NAMESPACE, EVENT];

export const GROUP_VERSIONS = [
  { group: PORCH.group, version: PORCH.version },
  { group: CONFIG.group, version: CONFIG.version },
] as const;

export function findKind(group: string, version: string, plural: string): KindInfo | undefined {
  return KINDS.find((k) => k.group === group && k.version === version && k.plural === plural);
}

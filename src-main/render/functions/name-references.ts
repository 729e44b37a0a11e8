// Which fields refer to other resources by name, for following a rename
// (what kustomize's name back-reference fix does). The common references of
// workloads, RBAC and networking; each entry is the referred kind and the
// paths, per referring kind, that hold its name.

export interface NameReference {
  /** The kind (and group) of the resource that is referred to. */
  kind: string;
  group?: string;
  referrers: { kind?: string; group?: string; paths: string[] }[];
}

const POD_KINDS: { kind: string; group?: string; prefix: string }[] = [
  { kind: 'Pod', prefix: 'spec' },
  { kind: 'Deployment', prefix: 'spec/template/spec' },
  { kind: 'ReplicaSet', prefix: 'spec/template/spec' },
  { kind: 'DaemonSet', prefix: 'spec/template/spec' },
  { kind: 'StatefulSet', prefix: 'spec/template/spec' },
  { kind: 'ReplicationController', prefix: 'spec/template/spec' },
  { kind: 'Job', group: 'batch', prefix: 'spec/template/spec' },
  { kind: 'CronJob', group: 'batch', prefix: 'spec/jobTemplate/spec/template/spec' },
];

const CONTAINERS = ['containers', 'initContainers'];

function podPaths(suffixes: string[]): NameReference['referrers'] {
  return POD_KINDS.map(({ kind, group, prefix }) => ({ kind, group, paths: suffixes.map((s) => `${prefix}/${s}`) }));
}

const containerPaths = (suffixes: string[]): string[] => CONTAINERS.flatMap((c) => suffixes.map((s) => `${c}/${s}`));

export const NAME_REFERENCES: NameReference[] = [
  {
    kind: 'ConfigMap',
    referrers: podPaths([
      'volumes/configMap/name',
      'volumes/projected/sources/configMap/name',
      ...containerPaths(['env/valueFrom/configMapKeyRef/name', 'envFrom/configMapRef/name']),
    ]),
  },
  {
    kind: 'Secret',
    referrers: [
      ...podPaths([
        'volumes/secret/secretName',
        'volumes/projected/sources/secret/name',
        'imagePullSecrets/name',
        ...containerPaths(['env/valueFrom/secretKeyRef/name', 'envFrom/secretRef/name']),
      ]),
      { kind: 'ServiceAccount', paths: ['imagePullSecrets/name', 'secrets/name'] },
      { kind: 'Ingress', paths: ['spec/tls/secretName'] },
    ],
  },
  {
    kind: 'ServiceAccount',
    referrers: [
      ...podPaths(['serviceAccountName', 'serviceAccount']),
      { kind: 'RoleBinding', paths: ['subjects/name'] },
      { kind: 'ClusterRoleBinding', paths: ['subjects/name'] },
    ],
  },
  { kind: 'PersistentVolumeClaim', referrers: podPaths(['volumes/persistentVolumeClaim/claimName']) },
  { kind: 'Role', group: 'rbac.authorization.k8s.io', referrers: [{ kind: 'RoleBinding', paths: ['roleRef/name'] }] },
  {
    kind: 'ClusterRole',
    group: 'rbac.authorization.k8s.io',
    referrers: [
      { kind: 'RoleBinding', paths: ['roleRef/name'] },
      { kind: 'ClusterRoleBinding', paths: ['roleRef/name'] },
    ],
  },
  {
    kind: 'Service',
    referrers: [
      { kind: 'StatefulSet', paths: ['spec/serviceName'] },
      {
        kind: 'Ingress',
        paths: [
          'spec/rules/http/paths/backend/service/name',
          'spec/defaultBackend/service/name',
          'spec/rules/http/paths/backend/serviceName',
          'spec/backend/serviceName',
        ],
      },
      { kind: 'APIService', paths: ['spec/service/name'] },
    ],
  },
  { kind: 'PodDisruptionBudget', referrers: [] },
];

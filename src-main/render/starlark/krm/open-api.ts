// ctx.open_api: kpt's function exposes kyaml's embedded Kubernetes OpenAPI
// document. Porchlight ships no schema files, so this is a reduced document:
// one definition per built-in kind, with its x-kubernetes-group-version-kind
// (what scripts look up), and no property schemas.
import { StarDict } from '../hash-table.ts';
import { StarList, type Value } from '../values.ts';

/** group → [package in the definition name, version, kinds]. */
const KINDS: [string, string, string, string[]][] = [
  [
    '',
    'io.k8s.api.core',
    'v1',
    [
      'Binding',
      'ComponentStatus',
      'ConfigMap',
      'Endpoints',
      'Event',
      'LimitRange',
      'Namespace',
      'Node',
      'PersistentVolume',
      'PersistentVolumeClaim',
      'Pod',
      'PodTemplate',
      'ReplicationController',
      'ResourceQuota',
      'Secret',
      'Service',
      'ServiceAccount',
    ],
  ],
  ['apps', 'io.k8s.api.apps', 'v1', ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet']],
  ['batch', 'io.k8s.api.batch', 'v1', ['CronJob', 'Job']],
  ['autoscaling', 'io.k8s.api.autoscaling', 'v1', ['HorizontalPodAutoscaler']],
  ['autoscaling', 'io.k8s.api.autoscaling', 'v2', ['HorizontalPodAutoscaler']],
  ['networking.k8s.io', 'io.k8s.api.networking', 'v1', ['Ingress', 'IngressClass', 'NetworkPolicy']],
  ['policy', 'io.k8s.api.policy', 'v1', ['PodDisruptionBudget']],
  ['rbac.authorization.k8s.io', 'io.k8s.api.rbac', 'v1', ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']],
  ['storage.k8s.io', 'io.k8s.api.storage', 'v1', ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment']],
  ['admissionregistration.k8s.io', 'io.k8s.api.admissionregistration', 'v1', ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']],
  ['coordination.k8s.io', 'io.k8s.api.coordination', 'v1', ['Lease']],
  ['discovery.k8s.io', 'io.k8s.api.discovery', 'v1', ['EndpointSlice']],
  ['scheduling.k8s.io', 'io.k8s.api.scheduling', 'v1', ['PriorityClass']],
  ['node.k8s.io', 'io.k8s.api.node', 'v1', ['RuntimeClass']],
  ['certificates.k8s.io', 'io.k8s.api.certificates', 'v1', ['CertificateSigningRequest']],
  ['apiextensions.k8s.io', 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions', 'v1', ['CustomResourceDefinition']],
  ['apiregistration.k8s.io', 'io.k8s.kube-aggregator.pkg.apis.apiregistration', 'v1', ['APIService']],
];

function dict(entries: [string, Value][]): StarDict {
  const d = new StarDict();
  for (const [k, v] of entries) d.set(k, v);
  return d;
}

/** Builds the document; called on first use of ctx.open_api. */
export function openApiDocument(): StarDict {
  const definitions = new StarDict();
  for (const [group, pkg, version, kinds] of KINDS) {
    for (const kind of kinds) {
      const gvk = dict([
        ['group', group],
        ['kind', kind],
        ['version', version],
      ]);
      definitions.set(
        `${pkg}.${version}.${kind}`,
        dict([
          ['type', 'object'],
          ['x-kubernetes-group-version-kind', new StarList([gvk])],
        ]),
      );
    }
  }
  return dict([
    ['swagger', '2.0'],
    [
      'info',
      dict([
        ['title', 'Kubernetes'],
        ['version', 'v1.21.2'],
      ]),
    ],
    ['definitions', definitions],
  ]);
}

// What the demo workspace holds: a blueprint catalog and a deployment
// repository cloned from it, as a platform team would keep them. Each entry is
// one package revision and the files it adds or changes over the revision
// before it; the demo writes them through the service, revision by revision.

export const READINESS_CONDITION = 'demo.porchlight.dev/security-reviewed';

export interface DemoRevision {
  repository: 'blueprints' | 'deployments';
  packagePath: string;
  workspace: string;
  /** Where the first revision of a package comes from; later ones copy the previous. */
  from?: { init: string } | { clone: string };
  lifecycle: 'Draft' | 'Proposed' | 'Published';
  files: Record<string, string>;
  /** A Kptfile readiness gate (met: its condition is True). */
  gate?: boolean;
}

const namespace = (name: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
`;

const quota = (cpu: string, memory: string) => `apiVersion: v1
kind: ResourceQuota
metadata:
  name: default-quota
spec:
  hard:
    requests.cpu: "${cpu}"
    requests.memory: ${memory}
`;

const limits = `apiVersion: v1
kind: LimitRange
metadata:
  name: default-limits
spec:
  limits:
  - type: Container
    default:
      cpu: 500m
      memory: 256Mi
`;

const vpc = (cidr: string, subnets: string[]) => `apiVersion: infra.demo.porchlight.dev/v1alpha1
kind: Network
metadata:
  name: vpc
spec:
  cidr: ${cidr}
  subnets:
${subnets.map((s) => `  - ${s}`).join('\n')}
`;

const deployment = (image: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: ${image}
        ports:
        - containerPort: 8080
`;

const service = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
`;

const webConfig = (greeting: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  greeting: ${greeting}
  log-level: info
`;

/** In order: a revision's source (previous revision, upstream) always comes before it. */
export const DEMO_REVISIONS: DemoRevision[] = [
  {
    repository: 'blueprints',
    packagePath: 'basens',
    workspace: 'v1',
    from: { init: 'A namespace for a team' },
    lifecycle: 'Published',
    files: { 'namespace.yaml': namespace('example') },
  },
  { repository: 'blueprints', packagePath: 'basens', workspace: 'v2', lifecycle: 'Published', files: { 'resourcequota.yaml': quota('4', '8Gi') } },
  { repository: 'blueprints', packagePath: 'basens', workspace: 'v3', lifecycle: 'Published', files: { 'limitrange.yaml': limits } },
  {
    repository: 'blueprints',
    packagePath: 'network/vpc',
    workspace: 'v1',
    from: { init: 'A virtual network with one subnet' },
    lifecycle: 'Published',
    files: { 'network.yaml': vpc('10.0.0.0/16', ['10.0.1.0/24']) },
  },
  {
    repository: 'blueprints',
    packagePath: 'network/vpc',
    workspace: 'v2',
    lifecycle: 'Published',
    files: { 'network.yaml': vpc('10.0.0.0/16', ['10.0.1.0/24', '10.0.2.0/24']) },
  },
  {
    repository: 'blueprints',
    packagePath: 'apps/web',
    workspace: 'v1',
    from: { init: 'A web front end: deployment, service and configuration' },
    lifecycle: 'Published',
    gate: true,
    files: {
      'deployment.yaml': deployment('nginxinc/nginx-unprivileged:1.27', 2),
      'service.yaml': service,
      'config.yaml': webConfig('Hello from the blueprint'),
    },
  },
  {
    repository: 'blueprints',
    packagePath: 'apps/web',
    workspace: 'v2',
    lifecycle: 'Published',
    files: { 'deployment.yaml': deployment('nginxinc/nginx-unprivileged:1.29', 2) },
  },
  // Downstream: cloned from the catalog. prod/web stays on apps/web v1, so an upgrade to v2 is waiting.
  {
    repository: 'deployments',
    packagePath: 'prod/web',
    workspace: 'v1',
    from: { clone: 'blueprints.apps.web.v1' },
    lifecycle: 'Published',
    files: { 'deployment.yaml': deployment('nginxinc/nginx-unprivileged:1.27', 4) },
  },
  { repository: 'deployments', packagePath: 'prod/network', workspace: 'v1', from: { clone: 'blueprints.network.vpc.v2' }, lifecycle: 'Published', files: {} },
  {
    repository: 'deployments',
    packagePath: 'staging/web',
    workspace: 'v1',
    from: { clone: 'blueprints.apps.web.v2' },
    lifecycle: 'Proposed',
    files: { 'config.yaml': webConfig('Hello from staging') },
  },
  {
    repository: 'deployments',
    packagePath: 'team-a',
    workspace: 'v1',
    from: { clone: 'blueprints.basens.v3' },
    lifecycle: 'Draft',
    files: { 'namespace.yaml': namespace('team-a') },
  },
];

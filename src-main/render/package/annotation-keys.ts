// The annotations kpt and kyaml put on resources while they travel through a
// pipeline; none of them reaches a written file.
export const ANN = {
  path: 'internal.config.kubernetes.io/path',
  legacyPath: 'config.kubernetes.io/path',
  index: 'internal.config.kubernetes.io/index',
  legacyIndex: 'config.kubernetes.io/index',
  id: 'internal.config.kubernetes.io/id',
  legacyId: 'config.k8s.io/id',
  seqIndent: 'internal.config.kubernetes.io/seqindent',
  packagePath: 'internal.config.kubernetes.io/package-path',
  resourceId: 'internal.config.k8s.io/kpt-resource-id',
  localConfig: 'config.kubernetes.io/local-config',
} as const;

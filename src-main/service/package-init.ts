// The files of a new package, as Porch's init task writes them: a Kptfile with
// the package's info, the package-context ConfigMap, and a README. Porch then
// renders the package; with no pipeline that is a success with nothing to run,
// and the Kptfile records it.
import YAML from 'yaml';
import type { PackageFiles } from '../cache/sync-writer.ts';

export interface InitInfo {
  name: string;
  description?: string;
  keywords?: string[];
  site?: string;
}

const LOCAL_CONFIG = { 'config.kubernetes.io/local-config': 'true' };
const yaml = (doc: unknown) => Buffer.from(YAML.stringify(doc, { version: '1.1', indentSeq: false }));

export function initPackageFiles(info: InitInfo): PackageFiles {
  const kptfile = {
    apiVersion: 'kpt.dev/v1',
    kind: 'Kptfile',
    metadata: { name: info.name, annotations: LOCAL_CONFIG },
    info: {
      ...(info.site ? { site: info.site } : {}),
      ...(info.description ? { description: info.description } : {}),
      ...(info.keywords?.length ? { keywords: info.keywords } : {}),
    },
    status: { conditions: [{ type: 'Rendered', status: 'True', reason: 'RenderSuccess' }] },
  };
  const context = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kptfile.kpt.dev', annotations: LOCAL_CONFIG },
    data: { name: 'example' },
  };
  const readme = `# ${info.name}\n\n${info.description ?? ''}\n\n## Usage\n\nFetch, edit and publish this package with Porchlight or Porch.\n`;
  return [
    { path: 'Kptfile', content: yaml(kptfile) },
    { path: 'README.md', content: Buffer.from(readme) },
    { path: 'package-context.yaml', content: yaml(context) },
  ];
}

// Server-side tables (meta.k8s.io/v1 Table): what `kubectl get` prints comes
// from here, with Porch's columns for its kinds and the CRD's printer columns
// for repositories. Each row carries the object's metadata
// (PartialObjectMetadata), which kubectl reads for -A's NAMESPACE column.
import type { KubeObject } from './change-feed.ts';

export interface TableColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableDefinition {
  columns: TableColumn[];
  cells(o: KubeObject): unknown[];
}

const col = (name: string, type: string, format = '', description = ''): TableColumn => ({ name, type, format, description, priority: 0 });

/** kubectl's own rounding of an age: 45s, 12m, 5h, 3d, 2y. */
export function humanAge(since: string | undefined, now = Date.now()): string {
  if (!since) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  if (Number.isNaN(s)) return '<unknown>';
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 730) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

/** A nested value, or undefined when the path is not there. */
function at(o: unknown, ...keys: string[]): unknown {
  let v = o;
  for (const k of keys) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}
const or = <T>(v: unknown, fallback: T) => (v === undefined ? fallback : v);

export const TABLES: Record<string, TableDefinition> = {
  packagerevisions: {
    columns: [
      col('Name', 'string', 'name'),
      col('Package', 'string'),
      col('WorkspaceName', 'string'),
      col('Revision', 'integer'),
      col('Latest', 'boolean'),
      col('Lifecycle', 'string'),
      col('Repository', 'string'),
    ],
    cells: (o) => [
      o.metadata.name,
      or(at(o, 'spec', 'packageName'), ''),
      or(at(o, 'spec', 'workspaceName'), ''),
      or(at(o, 'spec', 'revision'), 0),
      o.metadata.labels?.['kpt.dev/latest-revision'] === 'true',
      or(at(o, 'spec', 'lifecycle'), ''),
      or(at(o, 'spec', 'repository'), ''),
    ],
  },
  packagerevisionresources: {
    columns: [
      col('Name', 'string', 'name'),
      col('Package', 'string'),
      col('WorkspaceName', 'string'),
      col('Revision', 'integer'),
      col('Repository', 'string'),
      col('Files', 'integer'),
    ],
    cells: (o) => [
      o.metadata.name,
      or(at(o, 'spec', 'packageName'), ''),
      or(at(o, 'spec', 'workspaceName'), ''),
      or(at(o, 'spec', 'revision'), 0),
      or(at(o, 'spec', 'repository'), ''),
      Object.keys(or(at(o, 'spec', 'resources'), {}) as object).length,
    ],
  },
  packages: {
    columns: [col('Name', 'string', 'name'), col('Package', 'string'), col('Repository', 'string'), col('Latest Revision', 'integer')],
    cells: (o) => [o.metadata.name, or(at(o, 'spec', 'packageName'), ''), or(at(o, 'spec', 'repository'), ''), or(at(o, 'status', 'latestRevision'), 0)],
  },
  repositories: {
    columns: [
      col('Name', 'string', 'name'),
      col('Type', 'string'),
      col('Content', 'string'),
      col('Sync schedule', 'string'),
      col('Deployment', 'boolean'),
      col('Ready', 'string'),
      col('Address', 'string'),
      col('Branch', 'string'),
      col('Age', 'date'),
    ],
    cells: (o) => {
      const conditions = or(at(o, 'status', 'conditions'), []) as { type?: string; status?: string }[];
      return [
        o.metadata.name,
        or(at(o, 'spec', 'type'), null),
        or(at(o, 'spec', 'content'), null),
        or(at(o, 'spec', 'sync', 'schedule'), null),
        or(at(o, 'spec', 'deployment'), null),
        conditions.find((c) => c.type === 'Ready')?.status ?? null,
        or(at(o, 'spec', 'git', 'repo'), null),
        or(at(o, 'spec', 'git', 'branch'), null),
        humanAge(at(o, 'metadata', 'creationTimestamp') as string | undefined),
      ];
    },
  },
  secrets: {
    columns: [col('Name', 'string', 'name'), col('Type', 'string'), col('Data', 'string'), col('Age', 'string')],
    cells: (o) => [
      o.metadata.name,
      or(at(o, 'type'), ''),
      String(Object.keys(or(at(o, 'data'), {}) as object).length),
      humanAge(at(o, 'metadata', 'creationTimestamp') as string | undefined),
    ],
  },
  namespaces: {
    columns: [col('Name', 'string', 'name'), col('Status', 'string'), col('Age', 'string')],
    cells: (o) => [o.metadata.name, or(at(o, 'status', 'phase'), ''), humanAge(at(o, 'metadata', 'creationTimestamp') as string | undefined)],
  },
  events: {
    columns: [col('Last Seen', 'string'), col('Type', 'string'), col('Reason', 'string'), col('Object', 'string'), col('Message', 'string')],
    cells: () => [],
  },
};

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function rowObject(o: KubeObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

export function toTable(
  resource: string,
  items: KubeObject[],
  meta: { resourceVersion?: string; continueToken?: string; noHeaders?: boolean; includeObject?: IncludeObject },
): Record<string, unknown> {
  const def = TABLES[resource]!;
  const include = meta.includeObject ?? 'Metadata';
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { ...(meta.resourceVersion ? { resourceVersion: meta.resourceVersion } : {}), ...(meta.continueToken ? { continue: meta.continueToken } : {}) },
    ...(meta.noHeaders ? {} : { columnDefinitions: def.columns }),
    rows: items.map((o) => {
      const object = rowObject(o, include);
      return { cells: def.cells(o), ...(object ? { object } : {}) };
    }),
  };
}

// What the cache keeps from a package's Kptfile: the whole document (for
// --show-kptfile and the UI), readiness gates, status conditions and the
// upstream lock. A broken Kptfile never breaks a sync: it is kept as unreadable.
import YAML from 'yaml';
import type { Condition, ReadinessGate, UpstreamLock } from '../../src-shared/domain.ts';

export interface KptfileSummary {
  document: Record<string, unknown> | null;
  /** metadata.labels and metadata.annotations: Porch's spec.packageMetadata. */
  packageMetadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
  readinessGates: ReadinessGate[];
  conditions: Condition[];
  upstreamLock: UpstreamLock | null;
  error?: string;
}

const EMPTY: KptfileSummary = { document: null, packageMetadata: {}, readinessGates: [], conditions: [], upstreamLock: null };

export function parseKptfile(bytes: Uint8Array | undefined): KptfileSummary {
  if (!bytes) return EMPTY;
  let doc: unknown;
  try {
    // maxAliasCount bounds alias expansion, so a YAML bomb costs nothing.
    doc = YAML.parse(Buffer.from(bytes).toString('utf8'), { maxAliasCount: 100 });
  } catch (e) {
    return { ...EMPTY, error: `Kptfile is not valid YAML: ${(e as Error).message}` };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { ...EMPTY, error: 'Kptfile is not a YAML mapping' };
  const d = doc as Record<string, unknown>;
  const info = (d.info ?? {}) as Record<string, unknown>;
  const status = (d.status ?? {}) as Record<string, unknown>;
  const gates = Array.isArray(info.readinessGates) ? info.readinessGates : [];
  const conditions = Array.isArray(status.conditions) ? status.conditions : [];
  const meta = (d.metadata ?? {}) as { labels?: unknown; annotations?: unknown };
  const stringMap = (v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : undefined;
  const labels = stringMap(meta.labels);
  const annotations = stringMap(meta.annotations);
  const lock = d.upstreamLock as { type?: string; git?: Record<string, unknown> } | undefined;
  return {
    document: d,
    packageMetadata: { ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) },
    readinessGates: gates.filter((g): g is { conditionType: string } => typeof g?.conditionType === 'string').map((g) => ({ conditionType: g.conditionType })),
    conditions: conditions.filter((c): c is Condition => typeof c?.type === 'string' && typeof c?.status === 'string'),
    upstreamLock:
      lock?.type === 'git' && lock.git
        ? {
            type: 'git',
            git: {
              repo: String(lock.git.repo ?? ''),
              directory: String(lock.git.directory ?? ''),
              ref: String(lock.git.ref ?? ''),
              commit: String(lock.git.commit ?? ''),
            },
          }
        : null,
  };
}

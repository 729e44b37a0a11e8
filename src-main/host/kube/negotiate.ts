// The Accept header as the API server reads it: a Table when the client asks
// for `application/json;as=Table;g=meta.k8s.io;v=v1` (kubectl get, porchctl
// rpkg get), else JSON, or YAML for a client that wants only that; a client
// that takes only protobuf gets 406.

export type Representation = { kind: 'json' } | { kind: 'yaml' } | { kind: 'table'; apiVersion: string } | { kind: 'none' };

export function representationOf(accept: string | undefined): Representation {
  if (!accept?.trim()) return { kind: 'json' };
  for (const range of accept.split(',')) {
    const [type, ...params] = range.split(';').map((p) => p.trim());
    const p = Object.fromEntries(params.map((x) => x.split('=').map((s) => s.trim()) as [string, string]));
    const mime = type?.toLowerCase();
    if (p.as === 'Table' && p.g === 'meta.k8s.io' && (p.v === 'v1' || p.v === 'v1beta1') && (mime === 'application/json' || mime === '*/*')) {
      return { kind: 'table', apiVersion: `meta.k8s.io/${p.v}` };
    }
    // Another as= (PartialObjectMetadata, aggregated discovery) is a form the door does not make: try the next range.
    if (p.as) continue;
    if (mime === 'application/json' || mime === '*/*' || mime === 'application/*') return { kind: 'json' };
    if (mime === 'application/yaml') return { kind: 'yaml' };
  }
  return { kind: 'none' };
}

// The Kubernetes API's URL layout: /version, discovery, OpenAPI, and
// /api/v1/... or /apis/<group>/<version>/... resource paths, namespaced or not.

export type Route =
  | { kind: 'version' | 'health' | 'api' | 'apis' | 'openapi-index' | 'openapi-v2' }
  | { kind: 'group'; group: string }
  | { kind: 'group-version'; group: string; version: string }
  | { kind: 'openapi'; path: string }
  | { kind: 'resource'; group: string; version: string; plural: string; namespace?: string; name?: string; subresource?: string };

const HEALTH = new Set(['/healthz', '/livez', '/readyz']);

function resource(group: string, version: string, rest: string[]): Route | undefined {
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const [, namespace, plural, name, subresource, ...more] = rest;
    if (more.length) return undefined;
    return { kind: 'resource', group, version, plural: plural!, namespace, name, subresource };
  }
  const [plural, name, subresource, ...more] = rest;
  if (!plural || more.length) return undefined;
  return { kind: 'resource', group, version, plural, name, subresource };
}

/** Undefined for a path the API does not have (404). Segments are percent-decoded; a bad escape is undefined too. */
export function parseRoute(pathname: string): Route | undefined {
  const trimmed = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (trimmed === '/version') return { kind: 'version' };
  if (HEALTH.has(trimmed)) return { kind: 'health' };
  if (trimmed === '/openapi/v3') return { kind: 'openapi-index' };
  if (trimmed === '/openapi/v2') return { kind: 'openapi-v2' };
  if (trimmed.startsWith('/openapi/v3/')) return { kind: 'openapi', path: trimmed.slice('/openapi/v3/'.length) };
  let segments: string[];
  try {
    segments = trimmed.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
  if (segments.some((s) => s === '' || s.includes('/'))) return undefined;
  const [root, a, b, ...rest] = segments;
  if (root === 'api') {
    if (a === undefined) return { kind: 'api' };
    if (b === undefined) return { kind: 'group-version', group: '', version: a };
    return resource('', a, [b, ...rest]);
  }
  if (root === 'apis') {
    if (a === undefined) return { kind: 'apis' };
    if (b === undefined) return { kind: 'group', group: a };
    if (!rest.length) return { kind: 'group-version', group: a, version: b };
    return resource(a, b, rest);
  }
  return undefined;
}

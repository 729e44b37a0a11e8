// Comparing objects as the API server's semantic equality does: key order
// does not matter, and a missing field, null, [] and {} are all "empty".

function prune(v: unknown): unknown {
  if (Array.isArray(v)) {
    const items = v.map(prune);
    return items.length ? items : undefined;
  }
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v)
      .map(([k, x]) => [k, prune(x)] as const)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  return v === null ? undefined : v;
}

export function semanticallyEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(prune(a)) === JSON.stringify(prune(b));
}

// Kubernetes label selector strings (`a=b,c!=d,e in (f,g),!h`) as kustomize
// matches them against labels or annotations.

function requirementMatches(req: string, values: Record<string, string>): boolean {
  const r = req.trim();
  if (!r) return true;
  let m = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(r);
  if (m) {
    const set = m[3]!.split(',').map((s) => s.trim());
    const has = Object.prototype.hasOwnProperty.call(values, m[1]!);
    return m[2] === 'in' ? has && set.includes(values[m[1]!]!) : !has || !set.includes(values[m[1]!]!);
  }
  m = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(r);
  if (m) {
    const has = Object.prototype.hasOwnProperty.call(values, m[1]!);
    return m[2] === '!=' ? !has || values[m[1]!] !== m[3]!.trim() : has && values[m[1]!] === m[3]!.trim();
  }
  if (r.startsWith('!')) return !Object.prototype.hasOwnProperty.call(values, r.slice(1).trim());
  return Object.prototype.hasOwnProperty.call(values, r);
}

/** An empty selector matches everything. */
export function labelSelectorMatches(selector: string, values: Record<string, string>): boolean {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.every((p) => requirementMatches(p, values));
}

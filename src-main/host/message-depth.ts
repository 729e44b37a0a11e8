// How deep a request may nest before it reaches the service. Structured clone
// (worker postMessage, Electron IPC) and zod recurse, so a request a few
// thousand levels deep overflows the stack on one side or the other; no
// request in the contract nests more than a handful of levels.
export const MAX_REQUEST_DEPTH = 64;

/** True when JSON text nests arrays or objects deeper than `max`; scans without parsing, so a hostile body costs one pass. */
export function jsonDepthExceeds(text: string, max = MAX_REQUEST_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** True when a value nests objects, arrays, maps or sets deeper than `max`. Iterative, so a deep value cannot overflow the check itself; a cycle counts as too deep. */
export function valueDepthExceeds(value: unknown, max = MAX_REQUEST_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  // A value shared by several parents is walked again only when reached deeper.
  const deepest = new Map<object, number>();
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null || (deepest.get(v) ?? 0) >= depth) continue;
    if (depth > max) return true;
    deepest.set(v, depth);
    const children = v instanceof Map ? [...v.keys(), ...v.values()] : v instanceof Set ? [...v] : Object.values(v);
    for (const child of children) stack.push([child, depth + 1]);
  }
  return false;
}

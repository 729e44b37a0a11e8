// go.starlark.net strings are UTF-8 bytes: len("é") is 2 and indexes are byte
// offsets. JS strings are UTF-16, so non-ASCII text goes through a Buffer;
// ASCII (nearly every Kubernetes field) takes the fast path.
const NON_ASCII = /[^\x00-\x7f]/;

export function isAscii(s: string): boolean {
  return !NON_ASCII.test(s);
}

export function byteLength(s: string): number {
  return isAscii(s) ? s.length : Buffer.byteLength(s, 'utf8');
}

/** The bytes [start, end) of `s` as a string (a cut inside a character becomes U+FFFD). */
export function byteSlice(s: string, start: number, end: number): string {
  if (isAscii(s)) return s.slice(start, end);
  return Buffer.from(s, 'utf8').subarray(start, end).toString('utf8');
}

/** Every `step`-th byte from `start` while inside [lo, hi) bounds handled by the caller. */
export function bytesAt(s: string, indices: number[]): string {
  if (isAscii(s)) return indices.map((i) => s[i]).join('');
  const b = Buffer.from(s, 'utf8');
  return Buffer.from(indices.map((i) => b[i]!)).toString('utf8');
}

/** Converts a UTF-16 index into `s` to a UTF-8 byte offset. */
export function toByteOffset(s: string, index: number): number {
  return isAscii(s) ? index : Buffer.byteLength(s.slice(0, index), 'utf8');
}

/** Converts a UTF-8 byte offset into `s` to a UTF-16 index (rounding into the character). */
export function fromByteOffset(s: string, offset: number): number {
  if (isAscii(s)) return offset;
  return Buffer.from(s, 'utf8').subarray(0, offset).toString('utf8').length;
}

/** The 1-byte strings of `s`, as `s.elems()` yields them. */
export function elems(s: string): string[] {
  if (isAscii(s)) return [...s];
  return [...Buffer.from(s, 'utf8')].map((b) => Buffer.from([b]).toString('latin1'));
}

export function elemOrds(s: string): bigint[] {
  return [...Buffer.from(s, 'utf8')].map((b) => BigInt(b));
}

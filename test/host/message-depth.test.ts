// The depth checks in front of the service thread: the JSON text scan and the
// value walk agree, brackets inside strings do not count, and neither check
// can itself overflow the stack.
import { describe, expect, it } from 'vitest';
import { jsonDepthExceeds, MAX_REQUEST_DEPTH, valueDepthExceeds } from '../../src-main/host/message-depth.ts';

const nested = (n: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

describe('request depth', () => {
  it('allows the limit and refuses one more level, in JSON text and in values alike', () => {
    for (const n of [1, MAX_REQUEST_DEPTH]) {
      expect(jsonDepthExceeds(JSON.stringify(nested(n))), `${n}`).toBe(false);
      expect(valueDepthExceeds(nested(n)), `${n}`).toBe(false);
    }
    expect(jsonDepthExceeds(JSON.stringify(nested(MAX_REQUEST_DEPTH + 1)))).toBe(true);
    expect(valueDepthExceeds(nested(MAX_REQUEST_DEPTH + 1))).toBe(true);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthExceeds(JSON.stringify({ s: '['.repeat(1000) + '"\\\\"' + '{'.repeat(1000) }))).toBe(false);
  });

  it('checks a million levels without overflowing, and without parsing', () => {
    expect(jsonDepthExceeds('['.repeat(1_000_000))).toBe(true);
    let v: unknown = [];
    for (let i = 0; i < 1_000_000; i++) v = [v];
    expect(valueDepthExceeds(v)).toBe(true);
  });

  it('walks maps and sets, counts a shared value at its deepest, and takes a cycle as too deep', () => {
    expect(valueDepthExceeds(new Map([['k', nested(MAX_REQUEST_DEPTH)]]))).toBe(true);
    expect(valueDepthExceeds(new Set([nested(MAX_REQUEST_DEPTH)]))).toBe(true);
    const shared = nested(MAX_REQUEST_DEPTH - 3);
    expect(valueDepthExceeds([shared, [[shared]]])).toBe(false);
    expect(valueDepthExceeds([shared, [[[shared]]]])).toBe(true);
    const cycle: unknown[] = [];
    cycle.push(cycle);
    expect(valueDepthExceeds(cycle)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { evalError } from './helpers.ts';

describe('error messages', () => {
  it('prints a go.starlark.net traceback with file:line:col of each call', () => {
    const e = evalError('def check(r):\n  if r > 1:\n    fail("too big:", r)\nfor x in [1, 2]:\n  check(x)\n');
    expect(e.msg).toBe('fail: too big: 2');
    expect(e.backtrace()).toBe(
      'Traceback (most recent call last):\n' + '  test.star:5:8: in <toplevel>\n' + '  test.star:3:9: in check\n' + 'Error in fail: fail: too big: 2',
    );
  });

  it('points at the operator that failed', () => {
    expect(evalError('d = {}\nx = d["missing"]').backtrace()).toBe(
      'Traceback (most recent call last):\n  test.star:2:6: in <toplevel>\nError: key "missing" not in dict',
    );
    expect(evalError('x = 1\ny = x + "s"').callStack[0]!.pos).toEqual({ file: 'test.star', line: 2, col: 7 });
    expect(evalError('x = "s".nope').callStack[0]!.pos).toEqual({ file: 'test.star', line: 1, col: 8 });
  });

  it('shortens the traceback of deep recursion', () => {
    const bt = evalError('def f(n):\n  return f(n + 1)\nf(0)').backtrace();
    expect(bt).toMatch(/^Traceback \(most recent call last\):\n {2}test\.star:3:2: in <toplevel>\n/);
    expect(bt).toMatch(/\n {2}\.\.\. \d+ more frames \.\.\.\n/);
    expect(bt.split('\n').length).toBeLessThan(30);
    expect(bt).toMatch(/Error: Starlark computation cancelled: call stack too deep \(depth limit \d+\)$/);
  });
});

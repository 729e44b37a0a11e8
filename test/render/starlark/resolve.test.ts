import { describe, expect, it } from 'vitest';
import { evalError, run, syntaxError } from './helpers.ts';

describe('name resolution', () => {
  it('rejects undefined names before running, even in functions never called', () => {
    const e = syntaxError('print("never printed")\ndef unused():\n  return nope\n');
    expect(e.message).toBe('test.star:3:10: undefined: nope');
  });

  it('reports locals and globals read before assignment at run time', () => {
    expect(evalError('def f():\n  print(x)\n  x = 1\nf()').msg).toBe('local variable x referenced before assignment');
    expect(evalError('print(g)\ng = 1').msg).toBe('global variable g referenced before assignment');
    // The nephio rootsync blueprint's pattern: a name bound only inside a loop that never ran.
    expect(evalError('def f(rs):\n  for r in rs:\n    name = r\n  return name\nf([])').msg).toBe('local variable name referenced before assignment');
  });

  it('lets functions use globals defined later and capture enclosing locals', () => {
    expect(run('def f():\n  return g()\ndef g():\n  return "late"\nprint(f())')).toEqual(['late']);
    expect(run('def adder(n):\n  return lambda x: x + n\nprint(adder(2)(40))')).toEqual(['42']);
    expect(run('def outer():\n  n = [0]\n  def inc():\n    n[0] += 1\n  inc()\n  inc()\n  return n[0]\nprint(outer())')).toEqual(['2']);
    expect(run('def a():\n  x = 1\n  def b():\n    def c():\n      return x\n    return c()\n  return b()\nprint(a())')).toEqual(['1']);
  });

  it('scopes comprehension variables to the comprehension', () => {
    expect(run('x = "outer"\ny = [x for x in [1, 2]]\nprint(x, y)')).toEqual(['outer [1, 2]']);
    expect(run('fs = [lambda: i for i in range(3)]\nprint([f() for f in fs])')).toEqual(['[2, 2, 2]']);
    expect(run('print([(a, b) for a in [1, 2] for b in "xy".elems() if a != 2])')).toEqual(['[(1, "x"), (1, "y")]']);
  });

  it('has the dialect of kpt: set, while, recursion, top-level loops and reassignment', () => {
    expect(run('x = 1\nx = 2\nfor i in [1]:\n  x += i\nwhile x < 5:\n  x += 1\nprint(x, set([1, 1]))')).toEqual(['5 set([1])']);
    expect(run('def fact(n):\n  return 1 if n == 0 else n * fact(n - 1)\nprint(fact(20))')).toEqual(['2432902008176640000']);
  });

  it('enforces strict go.starlark.net defaults when the dialect turns features off', () => {
    const strict = { dialect: { allowSet: false, allowRecursion: false, allowGlobalReassign: false } };
    expect(syntaxError('s = set()', strict).message).toBe('test.star:1:5: this Starlark dialect does not support set');
    expect(syntaxError('def f():\n  while True:\n    pass', strict).message).toBe('test.star:2:3: this Starlark dialect does not support while loops');
    expect(syntaxError('for x in []:\n  pass', strict).message).toBe('test.star:1:1: for loop not within a function');
    expect(syntaxError('x = 1\nx = 2', strict).message).toBe('test.star:2:1: cannot reassign global x declared at 1:1');
    expect(evalError('def f(n):\n  return f(n)\nf(1)', strict).msg).toBe('function f called recursively');
  });

  it('rejects misplaced statements', () => {
    expect(syntaxError('return 1').message).toBe('test.star:1:1: return statement not within a function');
    expect(syntaxError('def f():\n  break').message).toBe('test.star:2:3: break not in a loop');
    expect(syntaxError('def f():\n  load("m.star", "x")').message).toBe('test.star:2:3: load statement within a function');
  });
});

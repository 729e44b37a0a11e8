import { describe, expect, it } from 'vitest';
import { StarList } from '../../../src-main/render/starlark/values.ts';
import { evalError, globalsOf, run } from './helpers.ts';

describe('evaluation', () => {
  it('does int and float arithmetic as the spec says', () => {
    run(`
assert_eq(7 // 2, 3)
assert_eq(-7 // 2, -4)
assert_eq(7 % -3, -2)
assert_eq(-7 % 3, 2)
assert_eq(7.5 // 2, 3.0)
assert_eq(-7.0 % 3, 2.0)
assert_eq(1 / 2, 0.5)
assert_eq(type(4 / 2), "float")
assert_eq(1 + 2.0, 3.0)
assert_eq(1 == 1.0, True)
assert_eq(1 << 70, 1180591620717411303424)
assert_eq(123456789 * 987654321 * 1000000007, 121932631966163686788446883)
assert_eq(-(1 << 64) >> 3, -2305843009213693952)
assert_eq(~5, -6)
assert_eq(0x10 | 0b1 ^ 0o7, 22)
assert_eq(str(0.1 + 0.2), "0.30000000000000004")
assert_eq(str(1e6), "1e+06")
assert_eq(str(123456.0), "123456.0")
assert_eq(str(1e-5), "1e-05")
assert_eq(str(float("nan")), "nan")
assert_eq(str(-0.0), "-0.0")
`);
    expect(evalError('1 // 0').msg).toBe('floored division by zero');
    expect(evalError('1 % 0').msg).toBe('integer modulo by zero');
    expect(evalError('1 / 0').msg).toBe('floating-point division by zero');
    expect(evalError('1 + "a"').msg).toBe('unknown binary op: int + string');
    expect(evalError('1 < "a"').msg).toBe('int < string not implemented');
  });

  it('indexes, slices and concatenates strings, lists and tuples', () => {
    run(`
s = "hello"
assert_eq(s[1], "e")
assert_eq(s[-1], "o")
assert_eq(s[1:3], "el")
assert_eq(s[::-1], "olleh")
assert_eq(s[10:], "")
assert_eq(len("héllo"), 6)
l = [1, 2, 3, 4]
assert_eq(l[1:-1], [2, 3])
assert_eq(l[::2], [1, 3])
assert_eq(l + [5], [1, 2, 3, 4, 5])
assert_eq((1, 2) + (3,), (1, 2, 3))
assert_eq([0] * 3, [0, 0, 0])
assert_eq(2 * "ab", "abab")
assert_eq("ell" in s, True)
assert_eq(3 in l, True)
assert_eq(range(10)[2:8:3], range(2, 8, 3))
assert_eq(list(range(10, 0, -3)), [10, 7, 4, 1])
assert_eq(5 in range(0, 10, 5), True)
`);
    expect(evalError('[1, 2][5]').msg).toBe('list index 5 out of range [-2:1]');
    expect(evalError('[][0]').msg).toBe('index 0 out of range: empty list');
    expect(evalError('"abc"["x"]').msg).toBe('string index: got string, want int');
    expect(evalError('x = (1, 2)\nx[0] = 3').msg).toBe('tuple value does not support item assignment');
  });

  it('keeps dicts in insertion order and compares by value', () => {
    run(`
d = {"b": 1, "a": 2}
d["c"] = 3
d["b"] = 4
assert_eq(list(d), ["b", "a", "c"])
assert_eq(d.items(), [("b", 4), ("a", 2), ("c", 3)])
d.pop("b")
d["b"] = 5
assert_eq(d.keys(), ["a", "c", "b"])
assert_eq({1: "x"}[1.0], "x")
assert_eq({(1, "a"): 1}[(1, "a")], 1)
assert_eq({"a": [1]} == {"a": [1]}, True)
assert_eq({"a": 1} | {"b": 2}, {"a": 1, "b": 2})
assert_eq({k: v for k, v in [("x", 1), ("y", 2)]}, {"x": 1, "y": 2})
`);
    expect(evalError('{"a": 1}["b"]').msg).toBe('key "b" not in dict');
    expect(evalError('{[1]: 2}').msg).toBe('unhashable type: list');
    expect(evalError('{"a": 1, "a": 2}').msg).toBe('duplicate key: "a"');
  });

  it('supports sets', () => {
    run(`
s = set([3, 1, 3])
s.add(2)
assert_eq(len(s), 3)
assert_eq(2 in s, True)
assert_eq(s | set([9]), set([1, 2, 3, 9]))
assert_eq(s & set([1, 9]), set([1]))
assert_eq(s - set([1]), set([3, 2]))
assert_eq(s ^ set([1, 9]), set([3, 2, 9]))
assert_eq(s.union([7]), set([1, 2, 3, 7]))
assert_eq(s.issubset([1, 2, 3, 4]), True)
assert_eq(list(s), [3, 1, 2])
`);
  });

  it('unpacks tuples in assignments and loops, and += extends a list in place', () => {
    run(`
a, (b, c) = 1, (2, 3)
assert_eq([a, b, c], [1, 2, 3])
[x, y] = "ab".elems()
assert_eq(x + y, "ab")
pairs = []
for k, v in {"p": 1, "q": 2}.items():
  pairs.append(k * v)
assert_eq(pairs, ["p", "qq"])
l = [1]
alias = l
l += [2]
assert_eq(alias, [1, 2])
t = (1,)
t += (2,)
assert_eq(t, (1, 2))
d = {"n": 1}
d["n"] += 10
assert_eq(d["n"], 11)
`);
    expect(evalError('a, b = [1, 2, 3]').msg).toBe('too many values to unpack (got 3, want 2)');
    expect(evalError('a, b = [1]').msg).toBe('too few values to unpack (got 1, want 2)');
    expect(evalError('a, b = 1').msg).toBe('got int in sequence assignment');
  });

  it('calls functions with defaults, varargs, keyword-only parameters and kwargs', () => {
    run(`
def f(a, b=2, *args, c, d=4, **kwargs):
  return [a, b, args, c, d, kwargs]
assert_eq(f(1, c=3), [1, 2, (), 3, 4, {}])
assert_eq(f(1, 5, 6, 7, c=3, e=9), [1, 5, (6, 7), 3, 4, {"e": 9}])
assert_eq(f(*[1, 2], **{"c": 0}), [1, 2, (), 0, 4, {}])
def g(x, *, y):
  return x + y
assert_eq(g(1, y=2), 3)
`);
    const def = 'def f(a, b=1):\n  return a\n';
    expect(evalError(def + 'f()').msg).toBe('function f missing 1 argument (a)');
    expect(evalError(def + 'f(1, 2, 3)').msg).toBe('function f accepts at most 2 positional arguments (3 given)');
    expect(evalError(def + 'f(1, c=2)').msg).toBe('function f got an unexpected keyword argument c');
    expect(evalError(def + 'f(1, a=2)').msg).toBe('function f got multiple values for parameter a');
    expect(evalError('def h():\n  pass\nh(1)').msg).toBe('function h accepts no arguments (1 given)');
    expect(evalError('"abc"()').msg).toBe('invalid call of non-function (string)');
  });

  it('runs loops with break and continue, and returns None by default', () => {
    run(`
out = []
for i in range(10):
  if i % 2:
    continue
  if i > 6:
    break
  out.append(i)
assert_eq(out, [0, 2, 4, 6])
def nothing():
  pass
assert_eq(nothing(), None)
n = 0
while True:
  n += 1
  if n == 3:
    break
assert_eq(n, 3)
`);
  });

  it('freezes the globals once the module has run', () => {
    const globals = globalsOf('x = [1, {"k": [2]}]\ndef f():\n  pass\n');
    const x = globals.get('x') as StarList;
    expect(x.frozen).toBe(true);
    expect(x.elems.length).toBe(2);
  });

  it('refuses to change a list or dict while iterating over it', () => {
    expect(evalError('l = [1]\nfor x in l:\n  l.append(x)').msg).toBe('append: cannot append to list during iteration');
    expect(evalError('d = {"a": 1}\nfor k in d:\n  d["b"] = 2').msg).toBe('cannot insert into dict during iteration');
    run('l = [1, 2]\nfor x in list(l):\n  l.append(x)\nassert_eq(len(l), 4)');
  });

  it('prints cyclic values without looping', () => {
    expect(run('l = [1]\nl.append(l)\nprint(l)\nd = {}\nd["self"] = d\nprint(d)')).toEqual(['[1, [...]]', '{"self": {...}}']);
  });
});

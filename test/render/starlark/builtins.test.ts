import { describe, expect, it } from 'vitest';
import { structBuiltin } from '../../../src-main/render/starlark/builtins.ts';
import { evalError, run } from './helpers.ts';

describe('built-in functions', () => {
  it('sorts, reverses, enumerates, zips and ranges', () => {
    run(`
assert_eq(sorted([3, 1, 2]), [1, 2, 3])
assert_eq(sorted(["b", "A", "c"], key=lambda s: s.lower(), reverse=True), ["c", "b", "A"])
assert_eq(sorted([(1, "b"), (1, "a"), (0, "z")]), [(0, "z"), (1, "a"), (1, "b")])
assert_eq(str(sorted([2, 1.5, float("nan"), 0])), "[0, 1.5, 2, nan]")
assert_eq(reversed("abc".elems()), ["c", "b", "a"])
assert_eq(enumerate(["a", "b"], start=1), [(1, "a"), (2, "b")])
assert_eq(zip([1, 2, 3], "ab".elems()), [(1, "a"), (2, "b")])
assert_eq(list(range(3)), [0, 1, 2])
assert_eq(len(range(0, 10, 3)), 4)
assert_eq(min([3, 1, 2]), 1)
assert_eq(max(3, 9, 2), 9)
assert_eq(max(["aa", "b"], key=len), "aa")
assert_eq(any([0, "", 1]), True)
assert_eq(all([1, []]), False)
`);
    expect(evalError('sorted([1, "a"])').msg).toBe('sorted: string < int not implemented');
    expect(evalError('min([])').msg).toBe('min: argument is an empty sequence');
    expect(evalError('range(1, 2, 0)').msg).toBe('range: step argument must not be zero');
  });

  it('converts between types', () => {
    run(`
assert_eq(int("42"), 42)
assert_eq(int("-0x1f", 16), -31)
assert_eq(int("0b101", 0), 5)
assert_eq(int("z", 36), 35)
assert_eq(int(3.9), 3)
assert_eq(int(-3.9), -3)
assert_eq(int(True), 1)
assert_eq(float("1.5e3"), 1500.0)
assert_eq(float(2), 2.0)
assert_eq(str(1.0), "1.0")
assert_eq(str([1, "a", None, True]), '[1, "a", None, True]')
assert_eq(repr("a\\n\\"b"), '"a\\\\n\\\\"b"')
assert_eq(bool([]), False)
assert_eq(bool("x"), True)
assert_eq(list("ab".elems()), ["a", "b"])
assert_eq(tuple([1, 2]), (1, 2))
assert_eq(dict([("a", 1)], b=2), {"a": 1, "b": 2})
assert_eq(chr(233), "é")
assert_eq(ord("é"), 233)
assert_eq(abs(-3), 3)
`);
    expect(evalError('int("12x")').msg).toBe('int: invalid literal with base 10: 12x');
    expect(evalError('int(float("inf"))').msg).toBe('int: cannot convert float +inf to integer');
    expect(evalError('float("abc")').msg).toBe('invalid float literal: abc');
    expect(evalError('len(3)').msg).toBe('len: value of type int has no len');
    expect(evalError('dict([1])').msg).toBe('dict: dictionary update sequence element #0 is not iterable (int)');
  });

  it('inspects values: type, hash, hasattr, getattr, dir', () => {
    run(`
assert_eq([type(x) for x in [None, True, 1, 1.0, "", [], (), {}, set(), len, lambda: 1, range(1)]],
  ["NoneType", "bool", "int", "float", "string", "list", "tuple", "dict", "set", "builtin_function_or_method", "function", "range"])
assert_eq(hash("a"), 97)
assert_eq(hash("hello"), 99162322)
assert_eq(hasattr("x", "upper"), True)
assert_eq(hasattr([], "nope"), False)
assert_eq(getattr({}, "nope", "default"), "default")
assert_eq(getattr("ab", "upper")(), "AB")
assert_eq("append" in dir([]), True)
`);
    expect(evalError('getattr(1, "x")').msg).toBe('getattr: int has no .x field or method');
    expect(evalError('[].apend(1)').msg).toBe('list has no .apend field or method (did you mean .append?)');
    expect(evalError('hash([])').msg).toBe('hash: got list, want string or bytes');
  });

  it('prints with a separator and fails with the message kpt reports', () => {
    expect(run('print("a", 1, [2], sep="-")')).toEqual(['a-1-[2]']);
    expect(evalError('fail("bad", 42, [1])').msg).toBe('fail: bad 42 [1]');
    expect(evalError('fail("x", "y", sep=", ")').msg).toBe('fail: x, y');
  });

  it('builds immutable structs when the host predeclares struct', () => {
    const predeclared = { struct: structBuiltin };
    expect(run('s = struct(b = 2, a = "x")\nprint(s, s.a, dir(s))', { predeclared })).toEqual(['struct(a = "x", b = 2) x ["a", "b"]']);
    expect(evalError('s = struct(a = 1)\ns.a = 2', { predeclared }).msg).toBe("can't assign to .a field of struct");
    expect(evalError('struct(a = 1).b', { predeclared }).msg).toBe('struct has no .b field or method');
  });
});

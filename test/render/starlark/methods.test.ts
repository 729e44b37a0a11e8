import { describe, expect, it } from 'vitest';
import { evalError, run } from './helpers.ts';

describe('string methods', () => {
  it('has every string method of the spec', () => {
    run(`
assert_eq("hello world".capitalize(), "Hello world")
assert_eq("banana".count("an"), 2)
assert_eq("banana".count("a", 2), 2)
assert_eq("a.b.c".endswith(".c"), True)
assert_eq("a.b.c".endswith(("x", "c")), True)
assert_eq("banana".find("na"), 2)
assert_eq("banana".find("x"), -1)
assert_eq("banana".rfind("na"), 4)
assert_eq("banana".index("an", 2), 3)
assert_eq("banana".rindex("a"), 5)
assert_eq("{} and {x}".format(1, x="y"), "1 and y")
assert_eq("{1}{0}{1!r}".format("a", "b"), 'ba"b"')
assert_eq("{{}}".format(), "{}")
assert_eq("abc1".isalnum(), True)
assert_eq("abc".isalpha(), True)
assert_eq("123".isdigit(), True)
assert_eq("abc d".islower(), True)
assert_eq(" \\t".isspace(), True)
assert_eq("Hello World".istitle(), True)
assert_eq("ABC".isupper(), True)
assert_eq("-".join(["a", "b", "c"]), "a-b-c")
assert_eq("ABC".lower(), "abc")
assert_eq("  x  ".lstrip(), "x  ")
assert_eq("xxhixx".strip("x"), "hi")
assert_eq("  x  ".rstrip(), "  x")
assert_eq("a=b=c".partition("="), ("a", "=", "b=c"))
assert_eq("a=b=c".rpartition("="), ("a=b", "=", "c"))
assert_eq("abc".partition("x"), ("abc", "", ""))
assert_eq("prefix-x".removeprefix("prefix-"), "x")
assert_eq("x.yaml".removesuffix(".yaml"), "x")
assert_eq("aaa".replace("a", "b", 2), "bba")
assert_eq("ab".replace("", "-"), "-a-b-")
assert_eq(" a  b ".split(), ["a", "b"])
assert_eq("a,b,,c".split(","), ["a", "b", "", "c"])
assert_eq("a b c d".split(" ", 2), ["a", "b", "c d"])
assert_eq("a b c d".rsplit(" ", 2), ["a b", "c", "d"])
assert_eq("a  b c".rsplit(None, 1), ["a  b", "c"])
assert_eq("one\\ntwo\\n".splitlines(), ["one", "two"])
assert_eq("one\\ntwo".splitlines(True), ["one\\n", "two"])
assert_eq("ab".startswith("a"), True)
assert_eq("hello wORLD".title(), "Hello World")
assert_eq("abc".upper(), "ABC")
assert_eq(len(list("hé".elems())), 3)
assert_eq(list("hé".codepoints()), ["h", "é"])
assert_eq(list("hé".codepoint_ords()), [104, 233])
assert_eq(list("hé".elem_ords()), [104, 195, 169])
assert_eq("héllo".find("l"), 3)
`);
    expect(evalError('"abc".index("x")').msg).toBe('index: substring not found');
    expect(evalError('",".join([1])').msg).toBe('join: in list, want string, got int');
    expect(evalError('"a".split("")').msg).toBe('split: empty separator');
    expect(evalError('"{}".format()').msg).toBe('format: tuple index out of range');
    expect(evalError('"{:>4}".format(1)').msg).toBe('format spec features not supported in replacement fields: >4');
  });
});

describe('% formatting', () => {
  it('interpolates like go.starlark.net', () => {
    run(`
assert_eq("%s-%d-%r" % ("a", 3, "q"), 'a-3-"q"')
assert_eq("%s" % [1], "[1]")
assert_eq("%(name)s is %(age)d" % {"name": "x", "age": 3}, "x is 3")
assert_eq("%x %X %o" % (255, 255, 8), "ff FF 10")
assert_eq("%e %f %g" % (1.5, 1.5, 1.5), "1.500000e+00 1.500000 1.5")
assert_eq("%d%%" % 50, "50%")
assert_eq("%c%c" % (72, "i"), "Hi")
assert_eq("%d" % 3.9, "3")
`);
    expect(evalError('"%s %s" % ("a",)').msg).toBe('not enough arguments for format string');
    expect(evalError('"%s" % ("a", "b")').msg).toBe('too many arguments for format string');
    expect(evalError('"%q" % 1').msg).toBe('unknown conversion %q');
    expect(evalError('"%d" % "x"').msg).toBe('%d format requires integer: got string, want int or float');
  });
});

describe('list and dict methods', () => {
  it('mutate in place and report errors named after the method', () => {
    run(`
l = [3, 1]
l.append(2)
l.extend((5, 6))
l.insert(0, 9)
l.insert(-1, 8)
assert_eq(l, [9, 3, 1, 2, 5, 8, 6])
assert_eq(l.pop(), 6)
assert_eq(l.pop(0), 9)
l.remove(2)
assert_eq(l.index(5), 2)
l.clear()
assert_eq(l, [])
d = {"a": 1}
assert_eq(d.get("b"), None)
assert_eq(d.get("b", 2), 2)
assert_eq(d.setdefault("c", 3), 3)
d.update({"e": 5}, f=6)
d.update([("g", 7)])
assert_eq(d.popitem(), ("a", 1))
assert_eq(d.pop("x", "none"), "none")
assert_eq(d, {"c": 3, "e": 5, "f": 6, "g": 7})
assert_eq(d.values(), [3, 5, 6, 7])
`);
    expect(evalError('[1].remove(2)').msg).toBe('remove: element not found');
    expect(evalError('[].pop()').msg).toBe('pop: index -1 out of range: empty list');
    expect(evalError('{}.pop("k")').msg).toBe('pop: missing key "k"');
    expect(evalError('{}.popitem()').msg).toBe('popitem: empty dict');
    expect(evalError('[1].index(3)').msg).toBe('index: value not in list');
  });
});

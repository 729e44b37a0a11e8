import { describe, expect, it } from 'vitest';
import { run, show, syntaxError } from './helpers.ts';

describe('parser', () => {
  it('applies Starlark operator precedence', () => {
    expect(show('1 + 2 * 3 - 4 // 3')).toBe('6');
    expect(show('not 1 == 2')).toBe('True');
    expect(show('1 if False else 2 if True else 3')).toBe('2');
    expect(show('-2 * 3 | 1 & 3 ^ 4')).toBe('-1');
    expect(show('1 < 2 and 3 in [3] or False')).toBe('True');
    expect(show('2 not in [1] and not False')).toBe('True');
    expect(show('[x for x in [1, 2, 3] if x > 1]')).toBe('[2, 3]');
    expect(show('(lambda x, y=2: x * y)(3)')).toBe('6');
  });

  it('parses tuples, trailing commas, slices and keyword arguments', () => {
    expect(run('a = 1, 2\nprint(a, (1,), (), [1, 2,], {"k": 1,})')).toEqual(['(1, 2) (1,) () [1, 2] {"k": 1}']);
    expect(show('"abcdef"[1:5:2]')).toBe('"bd"');
    expect(run('def f(a, *args, b=2, **kw):\n  return a, args, b, kw\nprint(f(1, 2, 3, b=4, c=5))')).toEqual(['(1, (2, 3), 4, {"c": 5})']);
    expect(run('if True: print("one line")')).toEqual(['one line']);
    expect(run('x = 1; y = 2; print(x + y)')).toEqual(['3']);
  });

  it('rejects what go.starlark.net rejects, with the position', () => {
    expect(syntaxError('x = 1 < 2 < 3').message).toBe('test.star:1:11: < does not associate with < (use parens)');
    expect(syntaxError('any(x for x in y)').message).toMatch(/^test.star:1:7: got 'for', want '\)'/);
    expect(syntaxError('1 = x').message).toBe("test.star:1:1: can't assign to literal expression");
    expect(syntaxError('f(a=1, 2)').message).toBe('test.star:1:8: positional argument may not follow named');
    expect(syntaxError('def f(a=1, b):\n  pass').message).toBe('test.star:1:12: required parameter may not follow optional');
    expect(syntaxError('def f(a, a):\n  pass').message).toBe('test.star:1:10: duplicate parameter: a');
    expect(syntaxError('x = 1 if 2').message).toBe('test.star:1:11: conditional expression without else clause');
    expect(syntaxError('load("m.star", "_private")').message).toBe('test.star:1:16: load: names with leading underscores are not exported: _private');
    expect(syntaxError('x = (1, 2) +').message).toMatch(/^test.star:1:13: got newline, want primary expression/);
    expect(syntaxError('a, b += 1, 2').message).toBe("test.star:1:1: can't use += with tuple expression");
  });
});

import { describe, expect, it } from 'vitest';
import { Regex } from '../../../../src-main/render/starlark/regex/regex-vm.ts';
import { evalError, run } from '../helpers.ts';

const cps = (s: string) => [...s].map((c) => c.codePointAt(0)!);
const noTick = () => {};

function find(pattern: string, s: string): string[] | null {
  const re = new Regex(pattern);
  const m = re.exec(cps(s), 0, noTick);
  if (!m) return null;
  const chars = [...s];
  return Array.from({ length: re.groups + 1 }, (_, g) => (m[2 * g]! < 0 ? '' : chars.slice(m[2 * g], m[2 * g + 1]).join('')));
}

describe('RE2 engine', () => {
  it('gives leftmost-first matches with greedy and lazy repetition', () => {
    expect(find('a+', 'baaa')).toEqual(['aaa']);
    expect(find('a+?', 'baaa')).toEqual(['a']);
    expect(find('(a|ab)(c|bcd)', 'abcd')).toEqual(['abcd', 'a', 'bcd']);
    expect(find('x*', 'abc')).toEqual(['']);
    expect(find('(\\d{2,3})-(\\d+)', 'tel 1234-56')).toEqual(['234-56', '234', '56']);
    expect(find('(?P<key>\\w+)=(?<val>[^,]*)', 'a=1,b=2')).toEqual(['a=1', 'a', '1']);
    expect(find('colou?r', 'my color')).toEqual(['color']);
  });

  it('supports classes, anchors, flags and escapes of Go syntax', () => {
    expect(find('^[[:alpha:]]+$', 'abcXYZ')).toEqual(['abcXYZ']);
    expect(find('[^a-c]+', 'abcdef')).toEqual(['def']);
    expect(find('(?i)HELLO', 'say hello')).toEqual(['hello']);
    expect(find('(?m)^b$', 'a\nb\nc')).toEqual(['b']);
    expect(find('^b$', 'a\nb\nc')).toBeNull();
    expect(find('a.c', 'a\nc')).toBeNull();
    expect(find('(?s)a.c', 'a\nc')).toEqual(['a\nc']);
    expect(find('\\bcat\\b', 'concat cat')).toEqual(['cat']);
    expect(find('\\Qa.b\\E', 'axb a.b')).toEqual(['a.b']);
    expect(find('\\x41\\p{Greek}', 'Aα')).toEqual(['Aα']);
  });

  it('matches in linear time where a backtracking engine would take forever', () => {
    const start = Date.now();
    expect(find('(a*)*b', 'a'.repeat(20_000))).toBeNull();
    expect(find('(x+x+)+y', 'x'.repeat(5_000))).toBeNull();
    expect(Date.now() - start).toBeLessThan(1500);
  });

  it('rejects invalid patterns with Go-style messages', () => {
    expect(() => new Regex('(a')).toThrow('error parsing regexp: missing closing ): `(a`');
    expect(() => new Regex('a**')).toThrow('error parsing regexp: invalid nested repetition operator: `*`: `a**`');
    expect(() => new Regex('*a')).toThrow('missing argument to repetition operator');
    expect(() => new Regex('a{1001}')).toThrow('invalid repeat count');
    expect(() => new Regex('\\q')).toThrow('invalid escape sequence');
    expect(() => new Regex('(?=a)')).toThrow('invalid or unsupported Perl syntax');
  });
});

describe('re.star', () => {
  it('searches, matches, splits, finds and substitutes like starlib', () => {
    run(`
load("re.star", "re")
assert_eq(re.search(r"\\d+", "ab 123 cd"), [3, 6])
assert_eq(re.search(r"\\d+", "héé 1"), [6, 7])
assert_eq(re.search("x", "abc"), None)
assert_eq(re.match(r"(\\w)=(\\d)", "a=1 b=2"), [("a=1", "a", "1"), ("b=2", "b", "2")])
assert_eq(re.findall(r"[a-z]+", "ab 12 cd"), ("ab", "cd"))
assert_eq(re.split(r",\\s*", "a, b,c"), ("a", "b", "c"))
assert_eq(re.split(",", "a,b,c", 2), ("a", "b,c"))
assert_eq(re.sub(r"(\\w+)@(?P<host>\\w+)", "\${host}:$1$$", "me@here, you@there"), "here:me$, there:you$")
r = re.compile(r"v(\\d+)")
assert_eq(r.findall("v1 v22"), ("v1", "v22"))
assert_eq(r.sub("V", "v1 v2"), "V V")
assert_eq(type(r), "regexp")
`);
    expect(evalError('load("re.star", "re")\nre.findall("(", "x")').msg).toBe('re.findall: error parsing regexp: missing closing ): `(`');
  });
});

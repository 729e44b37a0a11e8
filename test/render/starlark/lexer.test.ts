import { describe, expect, it } from 'vitest';
import { StarlarkSyntaxError } from '../../../src-main/render/starlark/errors.ts';
import { tokenize } from '../../../src-main/render/starlark/lexer.ts';

const kinds = (src: string) => tokenize(src, 'f.star').map((t) => t.kind);
const values = (src: string) =>
  tokenize(src, 'f.star')
    .filter((t) => t.value !== undefined)
    .map((t) => t.value);

function scanError(src: string): StarlarkSyntaxError {
  try {
    tokenize(src, 'f.star');
  } catch (e) {
    if (e instanceof StarlarkSyntaxError) return e;
    throw e;
  }
  throw new Error(`no error for ${JSON.stringify(src)}`);
}

describe('lexer', () => {
  it('turns indentation into INDENT and OUTDENT, skipping blank and comment lines', () => {
    expect(kinds('if x:\n    y\n\n    # note\n    z\nw\n')).toEqual([
      'if',
      'IDENT',
      ':',
      'NEWLINE',
      'INDENT',
      'IDENT',
      'NEWLINE',
      'IDENT',
      'NEWLINE',
      'OUTDENT',
      'IDENT',
      'NEWLINE',
      'EOF',
    ]);
  });

  it('closes open blocks at the end of a file without a final newline', () => {
    expect(kinds('def f():\n  pass')).toEqual(['def', 'IDENT', '(', ')', ':', 'NEWLINE', 'INDENT', 'pass', 'NEWLINE', 'OUTDENT', 'EOF']);
  });

  it('ignores newlines inside brackets and after a backslash', () => {
    expect(kinds('x = [1,\n  2]\ny = 1 + \\\n 2\n')).toEqual([
      'IDENT',
      '=',
      '[',
      'INT',
      ',',
      'INT',
      ']',
      'NEWLINE',
      'IDENT',
      '=',
      'INT',
      '+',
      'INT',
      'NEWLINE',
      'EOF',
    ]);
  });

  it('reads int literals in every base, floats, and big ints exactly', () => {
    expect(values('0x1F 0o17 0b101 123 1.5 .5 1e3 2. 123456789012345678901234567890')).toEqual([
      31n,
      15n,
      5n,
      123n,
      1.5,
      0.5,
      1000,
      2,
      123456789012345678901234567890n,
    ]);
  });

  it('decodes string escapes and keeps backslashes in raw strings', () => {
    expect(
      values(String.raw`"a\tb\n" 'it\'s' r"\d+\." "\x41\101\u00e9\U0001F600" """multi
line"""`),
    ).toEqual(['a\tb\n', "it's", '\\d+\\.', 'AAé😀', 'multi\nline']);
  });

  it('reports the position of scan errors', () => {
    expect(scanError('x = 017').message).toBe('f.star:1:5: obsolete form of octal literal; use 0o17');
    expect(scanError('x = "\\d"').message).toBe('f.star:1:5: invalid escape sequence \\d');
    expect(scanError('x = "abc\n').message).toBe('f.star:1:5: unexpected newline in string');
    expect(scanError('x = """abc').message).toBe('f.star:1:5: unexpected EOF in string');
    expect(scanError('if x:\n    y\n  z\n').message).toBe('f.star:3:3: unindent does not match any outer indentation level');
    expect(scanError('x = a ! b').message).toBe("f.star:1:7: unexpected input character '!'");
    expect(scanError('class X: pass').message).toBe('f.star:1:1: keyword class is reserved');
  });
});

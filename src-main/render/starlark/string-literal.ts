// Decoding of a quoted string literal's body, as strict as go.starlark.net:
// a backslash must escape something (use r"..." for regular expressions).

/** Returns the decoded text, or throws an Error whose message says which escape is bad. */
export function unquoteBody(body: string, raw: boolean): string {
  let out = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c === '\r') {
      out += '\n';
      i += body[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    if (i + 1 >= body.length) throw new Error('truncated escape sequence \\');
    const e = body[i + 1]!;
    if (raw) {
      // A raw string keeps the backslash, except before a newline it still joins lines.
      out += e === '\n' ? '' : '\\' + e;
      i += 2;
      continue;
    }
    i += 2;
    switch (e) {
      case '\n':
        break;
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case '\\':
      case "'":
      case '"':
        out += e;
        break;
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7': {
        let digits = e;
        while (digits.length < 3 && /[0-7]/.test(body[i] ?? '')) digits += body[i++];
        const n = parseInt(digits, 8);
        if (n > 127) throw new Error(`non-ASCII octal escape \\${digits} (use \\u${hex4(n)} for the UTF-8 encoding of U+${hex4(n)})`);
        out += String.fromCharCode(n);
        break;
      }
      case 'x': {
        const digits = body.slice(i, i + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(digits)) throw new Error(`invalid escape sequence \\x${digits}`);
        const n = parseInt(digits, 16);
        if (n > 127) throw new Error(`non-ASCII hex escape \\x${digits} (use \\u${hex4(n)} for the UTF-8 encoding of U+${hex4(n)})`);
        out += String.fromCharCode(n);
        i += 2;
        break;
      }
      case 'u':
      case 'U': {
        const len = e === 'u' ? 4 : 8;
        const digits = body.slice(i, i + len);
        if (digits.length < len || !/^[0-9a-fA-F]+$/.test(digits)) throw new Error(`truncated escape sequence \\${e}${digits}`);
        const n = parseInt(digits, 16);
        if (n > 0x10ffff) throw new Error(`code point out of range: \\${e}${digits} (max \\U0010ffff)`);
        if (n >= 0xd800 && n < 0xe000) throw new Error(`invalid Unicode code point U+${hex4(n)}`);
        out += String.fromCodePoint(n);
        i += len;
        break;
      }
      default:
        throw new Error(`invalid escape sequence \\${e}`);
    }
  }
  return out;
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

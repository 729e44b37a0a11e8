// The output side of the go-yaml v3 emitter that kyaml uses: column and
// whitespace bookkeeping, indents, comments and the five scalar styles. It
// reproduces go-yaml's bytes, quirks included, because kpt's files are the
// reference for every file Porchlight writes.

export const isBreak = (c: number): boolean => c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
export const isSpace = (c: number | undefined): boolean => c === 0x20;
export const isBlank = (c: number | undefined): boolean => c === 0x20 || c === 0x09;
/** go-yaml's is_blankz: blank, break or end of text. */
export const isBlankz = (c: number | undefined): boolean => c === undefined || isBlank(c) || isBreak(c);

/** go-yaml's is_printable, on code points: 4-byte UTF-8 characters count as not printable. */
export function isPrintable(c: number): boolean {
  return c === 0x0a || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff);
}

export class EmitterWriter {
  out = '';
  column = 0;
  line = 0;
  whitespace = true;
  indention = true;
  openEnded = false;
  spaceAbove = true;
  footIndent = -1;
  indent = -1;
  bestIndent = 2;

  put(ch: string): void {
    this.out += ch;
    this.column++;
  }

  putBreak(): void {
    this.out += '\n';
    if (this.column === 0) this.spaceAbove = true;
    this.column = 0;
    this.line++;
    this.indention = true;
  }

  /** One character (code point) of a value. */
  write(ch: string): void {
    this.out += ch;
    this.column++;
  }

  writeAll(s: string): void {
    for (const ch of s) this.write(ch);
  }

  writeBreak(ch: string): void {
    if (ch === '\n') {
      this.putBreak();
      return;
    }
    this.write(ch);
    if (this.column === 0) this.spaceAbove = true;
    this.column = 0;
    this.line++;
    this.indention = true;
  }

  writeIndent(): void {
    const indent = this.indent < 0 ? 0 : this.indent;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    if (this.footIndent === indent) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.spaceAbove = false;
    this.footIndent = -1;
  }

  writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.writeAll(indicator);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
    this.openEnded = false;
  }

  writeAnchor(value: string): void {
    this.writeAll(value);
    this.whitespace = false;
    this.indention = false;
  }

  writeTagHandle(value: string): void {
    if (!this.whitespace) this.put(' ');
    this.writeAll(value);
    this.whitespace = false;
    this.indention = false;
  }

  writeTagContent(value: string, needWhitespace: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    for (const ch of value) {
      if (/[0-9A-Za-z_\-;/?:@&=+$,.~*'()[\]]/.test(ch)) this.write(ch);
      else {
        for (const b of Buffer.from(ch, 'utf8')) {
          const hex = b.toString(16).toUpperCase().padStart(2, '0');
          this.put('%');
          this.put(hex[0]!);
          this.put(hex[1]!);
        }
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  writeComment(comment: string): void {
    let breaks = false;
    let pound = false;
    const chars = [...comment];
    for (const ch of chars) {
      const c = ch.codePointAt(0)!;
      if (isBreak(c)) {
        this.writeBreak(ch);
        breaks = true;
        pound = false;
      } else {
        if (breaks) this.writeIndent();
        if (!pound) {
          if (ch !== '#') {
            this.put('#');
            this.put(' ');
          }
          pound = true;
        }
        this.write(ch);
        this.indention = false;
        breaks = false;
      }
    }
    if (!breaks) this.putBreak();
    this.whitespace = true;
  }
}

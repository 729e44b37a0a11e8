// Scalar analysis and the five scalar writers of go-yaml's emitter (line
// width unlimited, as kyaml sets it), including its folded-style quirk.
import { EmitterWriter, isBlank, isBlankz, isBreak, isPrintable, isSpace } from './emitter-writer.ts';

export interface ScalarAnalysis {
  multiline: boolean;
  flowPlainAllowed: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

const cp = (s: string): number[] => Array.from(s, (ch) => ch.codePointAt(0)!);

export function analyzeScalar(value: string): ScalarAnalysis {
  if (value.length === 0) {
    return { multiline: false, flowPlainAllowed: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  }
  const v = cp(value);
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let specialCharacters = false;
  let tabCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  if (value.startsWith('---') || value.startsWith('...')) {
    blockIndicators = true;
    flowIndicators = true;
  }
  let precededByWhitespace = true;
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    const ch = String.fromCodePoint(c);
    const followedByWhitespace = i + 1 >= v.length || isBlank(v[i + 1]) || isBreak(v[i + 1]!);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) {
        flowIndicators = true;
        blockIndicators = true;
      } else if (ch === '?' || ch === ':') {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      } else if (ch === '-' && followedByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    } else if (',?[]{}'.includes(ch)) {
      flowIndicators = true;
    } else if (ch === ':') {
      flowIndicators = true;
      if (followedByWhitespace) blockIndicators = true;
    } else if (ch === '#' && precededByWhitespace) {
      flowIndicators = true;
      blockIndicators = true;
    }
    if (c === 0x09) tabCharacters = true;
    else if (!isPrintable(c)) specialCharacters = true;
    if (isSpace(c)) {
      if (i === 0) leadingSpace = true;
      if (i === v.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === v.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankz(c);
  }
  const a: ScalarAnalysis = { multiline: lineBreaks, flowPlainAllowed: true, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.flowPlainAllowed = a.blockPlainAllowed = false;
  if (trailingSpace) a.blockAllowed = false;
  if (breakSpace) a.flowPlainAllowed = a.blockPlainAllowed = a.singleQuotedAllowed = false;
  if (spaceBreak || tabCharacters || specialCharacters) a.flowPlainAllowed = a.blockPlainAllowed = a.singleQuotedAllowed = false;
  if (spaceBreak || specialCharacters) a.blockAllowed = false;
  if (lineBreaks) a.flowPlainAllowed = a.blockPlainAllowed = false;
  if (flowIndicators) a.flowPlainAllowed = false;
  if (blockIndicators) a.blockPlainAllowed = false;
  return a;
}

export function writePlain(w: EmitterWriter, value: string, rootContext: boolean): void {
  if (value.length > 0 && !w.whitespace) w.put(' ');
  let breaks = false;
  for (const ch of value) {
    const c = ch.codePointAt(0)!;
    if (isSpace(c)) {
      w.write(ch);
    } else if (isBreak(c)) {
      if (!breaks && ch === '\n') w.putBreak();
      w.writeBreak(ch);
      breaks = true;
    } else {
      if (breaks) w.writeIndent();
      w.write(ch);
      w.indention = false;
      breaks = false;
    }
  }
  if (value.length > 0) w.whitespace = false;
  w.indention = false;
  if (rootContext) w.openEnded = true;
}

export function writeSingleQuoted(w: EmitterWriter, value: string): void {
  w.writeIndicator("'", true, false, false);
  let breaks = false;
  for (const ch of value) {
    const c = ch.codePointAt(0)!;
    if (isSpace(c)) {
      w.write(ch);
    } else if (isBreak(c)) {
      if (!breaks && ch === '\n') w.putBreak();
      w.writeBreak(ch);
      breaks = true;
    } else {
      if (breaks) w.writeIndent();
      if (ch === "'") w.put("'");
      w.write(ch);
      w.indention = false;
      breaks = false;
    }
  }
  w.writeIndicator("'", false, false, false);
  w.whitespace = false;
  w.indention = false;
}

const ESCAPES: Record<number, string> = {
  0x00: '0',
  0x07: 'a',
  0x08: 'b',
  0x09: 't',
  0x0a: 'n',
  0x0b: 'v',
  0x0c: 'f',
  0x0d: 'r',
  0x1b: 'e',
  0x22: '"',
  0x5c: '\\',
  0x85: 'N',
  0xa0: '_',
  0x2028: 'L',
  0x2029: 'P',
};

export function writeDoubleQuoted(w: EmitterWriter, value: string): void {
  w.writeIndicator('"', true, false, false);
  const bomStart = value.codePointAt(0) === 0xfeff;
  for (const ch of value) {
    const c = ch.codePointAt(0)!;
    if (!isPrintable(c) || bomStart || isBreak(c) || ch === '"' || ch === '\\') {
      w.put('\\');
      const esc = ESCAPES[c];
      if (esc !== undefined) {
        w.put(esc);
      } else {
        const [prefix, width] = c <= 0xff ? ['x', 2] : c <= 0xffff ? ['u', 4] : ['U', 8];
        w.put(prefix);
        for (const d of c.toString(16).toUpperCase().padStart(width, '0')) w.put(d);
      }
    } else {
      w.write(ch);
    }
  }
  w.writeIndicator('"', false, false, false);
  w.whitespace = false;
  w.indention = false;
}

function writeBlockHints(w: EmitterWriter, value: string): void {
  const v = cp(value);
  if (v.length > 0 && (isSpace(v[0]) || isBreak(v[0]!))) w.writeIndicator(String(w.bestIndent), false, false, false);
  w.openEnded = false;
  let chomp = '';
  if (v.length === 0) chomp = '-';
  else if (!isBreak(v[v.length - 1]!)) chomp = '-';
  else if (v.length === 1) {
    chomp = '+';
    w.openEnded = true;
  } else if (isBreak(v[v.length - 2]!)) {
    chomp = '+';
    w.openEnded = true;
  }
  if (chomp) w.writeIndicator(chomp, false, false, false);
}

export function writeLiteral(w: EmitterWriter, value: string, lineComment: () => void): void {
  w.writeIndicator('|', true, false, false);
  writeBlockHints(w, value);
  lineComment();
  w.whitespace = true;
  let breaks = true;
  for (const ch of value) {
    if (isBreak(ch.codePointAt(0)!)) {
      w.writeBreak(ch);
      breaks = true;
    } else {
      if (breaks) w.writeIndent();
      w.write(ch);
      w.indention = false;
      breaks = false;
    }
  }
}

export function writeFolded(w: EmitterWriter, value: string, lineComment: () => void): void {
  w.writeIndicator('>', true, false, false);
  writeBlockHints(w, value);
  lineComment();
  w.whitespace = true;
  const v = cp(value);
  // go-yaml scans from the start of the value here, not from the current break.
  let k = 0;
  while (k < v.length && isBreak(v[k]!)) k++;
  const breakBeforeLine = !isBlankz(v[k]);
  let breaks = true;
  let leadingSpaces = true;
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    const ch = String.fromCodePoint(c);
    if (isBreak(c)) {
      if (!breaks && !leadingSpaces && ch === '\n' && breakBeforeLine) w.putBreak();
      w.writeBreak(ch);
      breaks = true;
    } else {
      if (breaks) {
        w.writeIndent();
        leadingSpaces = isBlank(c);
      }
      w.write(ch);
      w.indention = false;
      breaks = false;
    }
  }
}

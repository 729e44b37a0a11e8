// The scanner: Python-style indentation becomes INDENT/OUTDENT tokens, and
// newlines inside brackets are ignored, as in go.starlark.net's syntax package.
import { StarlarkSyntaxError, type Pos } from './errors.ts';
import { unquoteBody } from './string-literal.ts';

export interface Token {
  /** 'IDENT', 'INT', 'FLOAT', 'STRING', 'NEWLINE', 'INDENT', 'OUTDENT', 'EOF', a keyword or an operator. */
  kind: string;
  pos: Pos;
  value?: string | bigint | number;
}

export const KEYWORDS = new Set([
  'and',
  'break',
  'continue',
  'def',
  'elif',
  'else',
  'for',
  'if',
  'in',
  'lambda',
  'load',
  'not',
  'or',
  'pass',
  'return',
  'while',
]);

/** Python keywords Starlark reserves; using one is a syntax error. */
const RESERVED = new Set([
  'as',
  'assert',
  'async',
  'await',
  'class',
  'del',
  'except',
  'finally',
  'from',
  'global',
  'import',
  'is',
  'nonlocal',
  'raise',
  'try',
  'with',
  'yield',
]);

const OPERATORS = [
  '//=',
  '<<=',
  '>>=',
  '**',
  '//',
  '<<',
  '>>',
  '==',
  '!=',
  '<=',
  '>=',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '&',
  '|',
  '^',
  '~',
  '<',
  '>',
  '=',
  '.',
  ',',
  ';',
  ':',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
];

const IDENT_START = /[\p{L}_]/u;
const IDENT_PART = /[\p{L}\p{N}_]/u;

export function tokenize(src: string, file: string): Token[] {
  const tokens: Token[] = [];
  const indents = [0];
  let i = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let lineStart = i;
  let depth = 0;
  let atLineStart = true;

  const pos = (at: number): Pos => ({ file, line, col: at - lineStart + 1 });
  const fail = (msg: string, at: number): never => {
    throw new StarlarkSyntaxError(msg, pos(at));
  };
  const push = (kind: string, at: number, value?: Token['value']) => tokens.push({ kind, pos: pos(at), value });
  const lastKind = () => tokens[tokens.length - 1]?.kind;

  while (i < src.length) {
    if (atLineStart) {
      atLineStart = false;
      let col = 0;
      while (src[i] === ' ' || src[i] === '\t') {
        col = src[i] === '\t' ? col + 8 - (col % 8) : col + 1;
        i++;
      }
      const c = src[i];
      const blank = c === undefined || c === '#' || c === '\n' || c === '\r';
      if (!blank && depth === 0) {
        const cur = indents[indents.length - 1]!;
        if (col > cur) {
          indents.push(col);
          push('INDENT', i);
        } else if (col < cur) {
          while (col < indents[indents.length - 1]!) {
            indents.pop();
            push('OUTDENT', i);
          }
          if (col !== indents[indents.length - 1]) fail('unindent does not match any outer indentation level', i);
        }
      }
    }
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\f') {
      i++;
    } else if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '\n' || c === '\r') {
      if (depth === 0 && tokens.length > 0 && lastKind() !== 'NEWLINE' && lastKind() !== 'INDENT' && lastKind() !== 'OUTDENT') push('NEWLINE', i);
      i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
      line++;
      lineStart = i;
      atLineStart = true;
    } else if (c === '\\') {
      if (src[i + 1] === '\n') {
        i += 2;
        line++;
        lineStart = i;
      } else if (src[i + 1] === '\r' && src[i + 2] === '\n') {
        i += 3;
        line++;
        lineStart = i;
      } else {
        fail('stray backslash in program', i);
      }
    } else if (isStringStart(src, i)) {
      i = scanString(src, i);
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      i = scanNumber(i);
    } else if (IDENT_START.test(c)) {
      const start = i;
      while (i < src.length && IDENT_PART.test(src[i]!)) i++;
      const word = src.slice(start, i);
      if (KEYWORDS.has(word)) push(word, start);
      else if (RESERVED.has(word)) fail(`keyword ${word} is reserved`, start);
      else push('IDENT', start, word);
    } else {
      const op = OPERATORS.find((o) => src.startsWith(o, i));
      if (!op) fail(c === '!' ? "unexpected input character '!'" : `unexpected input character ${JSON.stringify(c)}`, i);
      if (op === '(' || op === '[' || op === '{') depth++;
      else if ((op === ')' || op === ']' || op === '}') && depth > 0) depth--;
      push(op!, i);
      i += op!.length;
    }
  }
  if (tokens.length > 0 && lastKind() !== 'NEWLINE' && lastKind() !== 'OUTDENT') push('NEWLINE', i);
  while (indents.length > 1) {
    indents.pop();
    push('OUTDENT', i);
  }
  push('EOF', i);
  return tokens;

  function scanString(s: string, start: number): number {
    let j = start;
    let raw = false;
    while (s[j] !== '"' && s[j] !== "'") {
      const p = s[j]!.toLowerCase();
      if (p === 'r') raw = true;
      else if (p === 'b') fail('bytes literals are not supported', start);
      j++;
    }
    const q = s[j]!;
    const triple = s.startsWith(q.repeat(3), j);
    const quote = triple ? q.repeat(3) : q;
    const bodyStart = j + quote.length;
    const startLine = line;
    const startCol = start - lineStart + 1;
    j = bodyStart;
    for (;;) {
      if (j >= s.length) throw new StarlarkSyntaxError('unexpected EOF in string', { file, line: startLine, col: startCol });
      const ch = s[j]!;
      if (ch === '\\') {
        if (s[j + 1] === '\n') {
          line++;
          lineStart = j + 2;
        }
        j += 2;
        continue;
      }
      if (ch === '\n') {
        if (!triple) throw new StarlarkSyntaxError('unexpected newline in string', { file, line: startLine, col: startCol });
        line++;
        lineStart = j + 1;
      }
      if (s.startsWith(quote, j)) break;
      j++;
    }
    let value: string;
    try {
      value = unquoteBody(s.slice(bodyStart, j), raw);
    } catch (e) {
      throw new StarlarkSyntaxError((e as Error).message, { file, line: startLine, col: startCol });
    }
    tokens.push({ kind: 'STRING', pos: { file, line: startLine, col: startCol }, value });
    return j + quote.length;
  }

  function scanNumber(start: number): number {
    let j = start;
    const rest = src.slice(start, start + 2).toLowerCase();
    if (rest === '0x' || rest === '0o' || rest === '0b') {
      const digits = { '0x': /[0-9a-fA-F_]/, '0o': /[0-7_]/, '0b': /[01_]/ }[rest];
      j += 2;
      while (j < src.length && digits.test(src[j]!)) j++;
      const text = src.slice(start, j).replace(/_/g, '');
      if (text.length === 2 || /[0-9a-zA-Z]/.test(src[j] ?? '')) {
        fail(`invalid ${rest === '0x' ? 'hex' : rest === '0o' ? 'octal' : 'binary'} literal`, start);
      }
      push('INT', start, BigInt(text));
      return j;
    }
    while (/[0-9]/.test(src[j] ?? '')) j++;
    let isFloat = false;
    if (src[j] === '.') {
      isFloat = true;
      j++;
      while (/[0-9]/.test(src[j] ?? '')) j++;
    }
    if (src[j] === 'e' || src[j] === 'E') {
      isFloat = true;
      j++;
      if (src[j] === '+' || src[j] === '-') j++;
      if (!/[0-9]/.test(src[j] ?? '')) fail('invalid float literal', start);
      while (/[0-9]/.test(src[j] ?? '')) j++;
    }
    const text = src.slice(start, j);
    if (IDENT_PART.test(src[j] ?? '')) fail(isFloat ? 'invalid float literal' : 'invalid int literal', start);
    if (isFloat) {
      const f = Number(text);
      if (!Number.isFinite(f)) fail('floating-point number too large', start);
      push('FLOAT', start, f);
    } else {
      if (text.length > 1 && text[0] === '0' && /[1-9]/.test(text)) fail(`obsolete form of octal literal; use 0o${text.slice(1)}`, start);
      push('INT', start, BigInt(text));
    }
    return j;
  }
}

function isStringStart(s: string, i: number): boolean {
  const c = s[i];
  if (c === '"' || c === "'") return true;
  const p = s.slice(i, i + 3).toLowerCase();
  return /^(r|b|rb|br)["']/.test(p) || /^(r|b)["']/.test(p.slice(0, 2));
}

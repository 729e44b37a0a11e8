// Where go-yaml v3 puts each comment (head, line or foot, and on which node),
// decided from the source text between tokens with go-yaml's own rules: a
// comment block right after content and followed by a blank line is a foot of
// that content, a dedented one belongs to the enclosing level, the rest heads
// the next token, and a document's leading comments split at the last blank
// line into the document's head and the first node's.
import type { Document } from 'yaml';
import { collectTokens, SourceLines, type Token } from './comment-tokens.ts';
import { footComment, setFootComment } from './go-node.ts';

type Commented = { commentBefore?: string | null; comment?: string | null };

interface GapLine {
  blank: boolean;
  col: number;
  line: number;
  text: string;
}

function appendText(existing: string | null | undefined, text: string): string {
  return existing ? `${existing}\n${text}` : text;
}

function addHead(owner: object, text: string): void {
  const o = owner as Commented;
  o.commentBefore = appendText(o.commentBefore, text);
}

function addFoot(owner: object, text: string): void {
  setFootComment(owner, appendText(footComment(owner), text));
}

/** Lines of a gap after its first (same-line) segment. */
function gapLines(src: SourceLines, from: number, to: number): GapLine[] {
  const lines: GapLine[] = [];
  const text = src.text;
  let p = from;
  while (p < to) {
    const nl = text.indexOf('\n', p);
    const end = nl < 0 || nl >= to ? to : nl;
    const raw = text.slice(p, end).replace(/\r$/, '');
    const trimmed = raw.trimStart();
    const isLast = end === to;
    if (!isLast || trimmed.startsWith('#')) {
      if (trimmed === '') lines.push({ blank: true, col: 0, line: src.lineOf(p), text: '' });
      else if (trimmed.startsWith('#')) lines.push({ blank: false, col: raw.length - trimmed.length, line: src.lineOf(p), text: trimmed });
      else if (trimmed.startsWith('---')) {
        const rest = trimmed.slice(3).trimStart();
        if (rest.startsWith('#')) lines.push({ blank: false, col: raw.indexOf(rest), line: src.lineOf(p), text: rest });
      }
    }
    if (nl < 0 || nl >= to) break;
    p = nl + 1;
  }
  return lines;
}

/** The comment on the rest of a token's line, if any. */
function sameLineComment(segment: string): string | undefined {
  const m = /(^|[ \t])(#.*)$/.exec(segment.replace(/\r$/, ''));
  return m ? m[2] : undefined;
}

function footTarget(tok: Token, col: number): object {
  if (col >= tok.indent) return tok.levels[tok.levels.length - 1]!.footOwner;
  for (let i = tok.levels.length - 1; i >= 0; i--) if (tok.levels[i]!.indent <= col) return tok.levels[i]!.footOwner;
  return tok.levels[0]!.footOwner;
}

/** Classifies the comments after `tok` (up to `next`): line, foot and the rest as a head of `next`. */
function classifyGap(src: SourceLines, tok: Token, next: Token | undefined, root: object): void {
  const to = next ? next.start : src.text.length;
  let rest = tok.end;
  let text: string[] = [];
  let startCol = 0;
  let startLine = -1;
  if (!tok.blockScalar) {
    const nl = src.text.indexOf('\n', tok.end);
    const lineEnd = nl < 0 || nl > to ? to : nl;
    const c = sameLineComment(src.text.slice(tok.end, lineEnd));
    if (c) {
      if (tok.kind === 'dash') {
        text = [c];
        startCol = src.columnOf(lineEnd - c.length);
        startLine = src.lineOf(tok.end);
      } else {
        (tok.lineOwner as Commented).comment = c;
      }
    }
    rest = nl < 0 || nl >= to ? to : nl + 1;
  }
  const footLine = tok.blockScalar ? src.lineOf(rest) : src.lineOf(tok.end) + 1;
  const opensBlock = tok.opensBlock;
  const lines = rest < to ? gapLines(src, rest, to) : [];
  let firstEmpty = !(lines[0]?.blank ?? false);
  let recentEmpty = false;
  const isFoot = (): boolean => (startLine === footLine && !opensBlock) || startCol < tok.indent;
  const flushFoot = (): void => {
    while (text[text.length - 1] === '') text.pop();
    if (text.length) addFoot(footTarget(tok, startCol), text.join('\n'));
    text = [];
  };
  for (const l of lines) {
    if (l.blank) {
      if (!recentEmpty) {
        if (firstEmpty && text.length && isFoot()) flushFoot();
        else if (text.length) text.push('');
      }
      firstEmpty = false;
      recentEmpty = true;
      continue;
    }
    if (text.length && l.col < tok.indent && l.col !== startCol) flushFoot();
    if (!text.length) {
      startCol = l.col;
      startLine = l.line;
    }
    text.push(l.text);
    recentEmpty = false;
  }
  if (next) {
    const nextCol = src.columnOf(next.start);
    if (text.length && nextCol < tok.indent && nextCol !== startCol) flushFoot();
  } else if (!recentEmpty && firstEmpty && text.length && isFoot()) {
    flushFoot();
  }
  while (text[text.length - 1] === '') text.pop();
  if (!text.length) return;
  if (next) addHead(next.headOwner, text.join('\n'));
  else addFoot(root, text.join('\n'));
}

/** Comments before the first token: go-yaml splits them at the last blank line into document head and node head. */
function classifyStart(src: SourceLines, first: Token, doc: Document): void {
  const lines = gapLines(src, 0, first.start);
  const text: string[] = [];
  let recentEmpty = false;
  for (const l of lines) {
    if (l.blank) {
      if (!recentEmpty && text.length) text.push('');
      recentEmpty = true;
      continue;
    }
    text.push(l.text);
    recentEmpty = false;
  }
  if (!text.length) return;
  const raw = text.join('\n');
  let docHead = '';
  let nodeHead = raw;
  if (raw.endsWith('\n')) {
    docHead = raw.slice(0, -1);
    nodeHead = '';
  } else {
    const blank = raw.lastIndexOf('\n\n');
    if (blank >= 0) {
      docHead = raw.slice(0, blank);
      nodeHead = raw.slice(blank + 2);
    }
  }
  if (docHead) doc.commentBefore = docHead;
  if (nodeHead) addHead(first.headOwner, nodeHead);
}

/** Replaces the `yaml` library's comment placement on a parsed document with go-yaml's. */
export function attachGoComments(doc: Document, source: string): void {
  const src = new SourceLines(source);
  const tokens = collectTokens(doc, src);
  const blockHeaders = new Map<object, string | null | undefined>();
  for (const t of tokens) if (t.blockScalar) blockHeaders.set(t.blockScalar, t.blockScalar.comment);
  clearComments(doc);
  for (const [node, c] of blockHeaders) (node as Commented).comment = c ? `#${c}` : c;
  if (!tokens.length || !doc.contents) return;
  classifyStart(src, tokens[0]!, doc);
  for (let i = 0; i < tokens.length; i++) classifyGap(src, tokens[i]!, tokens[i + 1], doc.contents);
}

function clearComments(doc: Document): void {
  doc.commentBefore = null;
  doc.comment = null;
  const walk = (n: unknown): void => {
    if (n === null || typeof n !== 'object') return;
    const o = n as Commented & { spaceBefore?: boolean; items?: unknown[]; key?: unknown; value?: unknown };
    if ('commentBefore' in o) o.commentBefore = null;
    if ('comment' in o) o.comment = null;
    if (o.spaceBefore) o.spaceBefore = false;
    if (Array.isArray(o.items)) o.items.forEach(walk);
    if ('key' in o) walk(o.key);
    if ('value' in o) walk(o.value);
  };
  walk(doc.contents);
}

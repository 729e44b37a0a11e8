// The document's nodes in source order as go-yaml's scanner meets them (keys,
// values, sequence dashes, items), with what a comment next to each attaches
// to. attach-comments.ts walks the gaps between these tokens.
import { isMap, isScalar, isSeq, type Document, type Node, type Pair, type Scalar } from 'yaml';

/** A block level around a token: its indentation and the node a foot comment at that level belongs to. */
export interface Level {
  indent: number;
  footOwner: object;
}

export interface Token {
  kind: 'key' | 'value' | 'dash' | 'item';
  start: number;
  end: number;
  /** A key followed by a nested block collection (go-yaml's VALUE token comes last). */
  opensBlock: boolean;
  /** Block scalars end at a line start; their header comment is read from the node. */
  blockScalar?: Scalar;
  lineOwner: object;
  headOwner: object;
  levels: Level[];
  indent: number;
}

type Ranged = Node & { range?: [number, number, number] | null };

const isBlockCollection = (n: unknown): boolean => (isMap(n) || isSeq(n)) && !n.flow && n.items.length > 0;

export class SourceLines {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  columnOf(offset: number): number {
    return offset - this.starts[this.lineOf(offset)]!;
  }
  lineStart(line: number): number {
    return this.starts[line] ?? this.text.length;
  }
}

/** The offset of the `-` that introduces a sequence item, searching back over blanks and comment lines. */
function findDash(src: SourceLines, itemStart: number): number {
  const text = src.text;
  let line = src.lineOf(itemStart);
  let p = itemStart - 1;
  for (;;) {
    const lineStart = src.lineStart(line);
    const segment = text.slice(lineStart, p + 1);
    const hash = segment.search(/(^|[ \t])#/);
    const code = (hash >= 0 ? segment.slice(0, hash) : segment).trimEnd();
    if (code.endsWith('-')) return lineStart + code.length - 1;
    if (code.trim() !== '' || line === 0) return itemStart;
    line--;
    p = src.lineStart(line + 1) - 2;
  }
}

function rangeOf(node: unknown): [number, number, number] | undefined {
  return (node as Ranged | null)?.range ?? undefined;
}

export function collectTokens(doc: Document, src: SourceLines): Token[] {
  const tokens: Token[] = [];
  const visit = (node: unknown, levels: Level[]): void => {
    if (isBlockCollection(node) && isMap(node)) {
      const first = rangeOf((node.items[0] as Pair).key);
      const indent = first ? src.columnOf(first[0]) : 0;
      for (const pair of node.items as Pair[]) {
        const key = pair.key as object;
        const kr = rangeOf(key);
        const value = pair.value;
        const opensBlock = isBlockCollection(value);
        const here = [...levels, { indent, footOwner: key }];
        if (kr)
          tokens.push({
            kind: 'key',
            start: kr[0],
            end: kr[1],
            opensBlock,
            lineOwner: opensBlock || !value ? key : (value as object),
            headOwner: key,
            levels: here,
            indent,
          });
        if (opensBlock) visit(value, here);
        else pushLeaf(value, 'value', here, indent);
      }
    } else if (isBlockCollection(node) && isSeq(node)) {
      const firstRange = rangeOf(node.items[0]);
      const firstDash = firstRange ? findDash(src, firstRange[0]) : 0;
      const indent = src.columnOf(firstDash);
      for (const item of node.items) {
        const r = rangeOf(item);
        if (!r || item === null || typeof item !== 'object') continue;
        const dash = findDash(src, r[0]);
        const here = [...levels, { indent, footOwner: item }];
        tokens.push({ kind: 'dash', start: dash, end: dash + 1, opensBlock: true, lineOwner: item, headOwner: item, levels: here, indent });
        if (isBlockCollection(item)) visit(item, here);
        else pushLeaf(item, 'item', here, indent);
      }
    } else {
      pushLeaf(node, 'value', levels, 0);
    }
  };
  const pushLeaf = (node: unknown, kind: 'value' | 'item', levels: Level[], indent: number): void => {
    const r = rangeOf(node);
    if (!r || node === null || typeof node !== 'object') return;
    const blockScalar = isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') ? node : undefined;
    tokens.push({ kind, start: r[0], end: r[1], opensBlock: false, blockScalar, lineOwner: node, headOwner: node, levels, indent });
  };
  visit(doc.contents, []);
  return tokens;
}

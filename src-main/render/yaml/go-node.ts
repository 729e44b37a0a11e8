// Reading `yaml` nodes the way go-yaml's yaml.Node sees them: the scalar text,
// the tag and the style, plus the foot comment that go-yaml keeps on a node.
// Comment fields hold go-yaml text: `commentBefore` is the head comment and
// `comment` the line comment, each line as written (`# ...`).
import { isScalar, Scalar } from 'yaml';
import { goResolveTag, goResolveValue } from './go-resolve.ts';
import type { ScalarStyle } from './emit-event.ts';

const FOOT = Symbol.for('porchlight.render.footComment');
const UNTAGGED = Symbol.for('porchlight.render.untagged');

type Commentable = object & { commentBefore?: string | null; comment?: string | null };

export function footComment(node: unknown): string {
  if (node === null || typeof node !== 'object') return '';
  return ((node as Record<symbol, unknown>)[FOOT] as string | undefined) ?? '';
}

export function setFootComment(node: object, text: string): void {
  (node as Record<symbol, unknown>)[FOOT] = text || undefined;
}

export function headComment(node: unknown): string {
  return node && typeof node === 'object' ? ((node as Commentable).commentBefore ?? '') : '';
}

export function lineComment(node: unknown): string {
  return node && typeof node === 'object' ? ((node as Commentable).comment ?? '') : '';
}

const STYLE_OF: Record<string, ScalarStyle> = {
  PLAIN: 'plain',
  QUOTE_SINGLE: 'single',
  QUOTE_DOUBLE: 'double',
  BLOCK_LITERAL: 'literal',
  BLOCK_FOLDED: 'folded',
};

export const TYPE_OF: Record<ScalarStyle, Scalar.Type> = {
  plain: 'PLAIN',
  single: 'QUOTE_SINGLE',
  double: 'QUOTE_DOUBLE',
  literal: 'BLOCK_LITERAL',
  folded: 'BLOCK_FOLDED',
};

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
}

function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '.nan';
    if (!Number.isFinite(v)) return v > 0 ? '+.inf' : '-.inf';
  }
  return String(v);
}

/** The text go-yaml holds in node.Value for this scalar. */
export function scalarText(node: Scalar): string {
  const v = node.value;
  if (typeof v === 'string') return v;
  if (node.source !== undefined && sameValue(goResolveValue(node.source), v)) return node.source;
  return formatValue(v);
}

export interface GoScalar {
  value: string;
  /** Long-form tag to write, or '' when the tag stays implicit. */
  tag: string;
  style: ScalarStyle;
}

/** What go-yaml's encoder makes of a scalar: its text, the tag it writes and the style it asks for. */
export function goScalar(node: Scalar): GoScalar {
  const value = scalarText(node);
  let style: ScalarStyle = node.type ? (STYLE_OF[node.type] ?? 'plain') : 'plain';
  if (node.tag) return { value, tag: node.tag.startsWith('!!') ? `tag:yaml.org,2002:${node.tag.slice(2)}` : node.tag, style };
  let forceQuoting = false;
  if (typeof node.value === 'string' && style === 'plain' && !isUntagged(node)) {
    const parsedPlain = node.type === 'PLAIN' && node.source === node.value;
    if (!parsedPlain && goResolveTag(value) !== 'str') forceQuoting = true;
  }
  if (style === 'plain' && value.includes('\n')) style = 'literal';
  else if (forceQuoting) style = 'double';
  return { value, tag: '', style };
}

/** A scalar as kyaml's NewScalarRNode makes it: untagged plain text, read back with go-yaml's types. */
export function plainScalar(text: string): Scalar {
  const s = new Scalar(goResolveValue(text));
  s.source = text;
  (s as unknown as Record<symbol, boolean>)[UNTAGGED] = true;
  return s;
}

/** A scalar made untagged (kyaml NewScalarRNode): written plain whatever it reads as. */
export function isUntagged(node: unknown): boolean {
  return !!node && typeof node === 'object' && (node as Record<symbol, unknown>)[UNTAGGED] === true;
}

/** go-yaml Style 0: no style asked for. */
export function hasNoStyle(node: Scalar): boolean {
  return !node.type || node.type === 'PLAIN';
}

/** A scalar as kyaml's NewStringRNode makes it: a !!str, quoted on output when it would read as another type. */
export function stringScalar(text: string, style?: ScalarStyle): Scalar<string> {
  const s = new Scalar(text);
  if (style) s.type = TYPE_OF[style];
  return s;
}

export function isStringScalar(node: unknown): node is Scalar<string> {
  return isScalar(node) && typeof node.value === 'string';
}

/** Sets a scalar's text as go-yaml code does with `node.Value = text; node.Tag = ""`: style kept, written plain when plain. */
export function setUntaggedText(node: Scalar, text: string): void {
  node.value = goResolveValue(text);
  node.source = text;
  (node as unknown as Record<symbol, boolean>)[UNTAGGED] = true;
}

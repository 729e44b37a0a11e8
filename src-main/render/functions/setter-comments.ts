// The `# kpt-set: <pattern>` line comments that apply-setters reads and
// create-setters writes, and the tree walk both functions share.
import { isMap, isScalar, isSeq, type Document, type Pair, type Scalar } from 'yaml';
import { keyText } from '../krm/fields.ts';
import { scalarText } from '../yaml/go-node.ts';

export const SETTER_PREFIX = '# kpt-set: ';

/** The pattern of a `# kpt-set:` comment, '' when the comment is something else. */
export function setterPattern(comment: string | null | undefined): string {
  if (!comment || !comment.startsWith(SETTER_PREFIX)) return '';
  return comment.slice(SETTER_PREFIX.length).trim();
}

/** Every `${name}` in a pattern, as written. */
export function setterRefs(pattern: string): string[] {
  return pattern.match(/\$\{[^}]*\}/g) ?? [];
}

export const cleanRef = (ref: string): string => ref.trim().replace(/^\$\{/, '').replace(/\}$/, '');

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Values the setters of a pattern currently have in `value`, or nothing when they cannot all be read. */
export function currentSetterValues(pattern: string, value: string): Map<string, string> {
  const refs = setterRefs(pattern);
  let re = escapeRegex(pattern);
  for (const r of refs) re = re.split(escapeRegex(r)).join('(.*)');
  const m = new RegExp(re).exec(value);
  const out = new Map<string, string>();
  if (!m) return out;
  const groups = m.slice(1);
  if (groups.length !== refs.length) return out;
  for (let i = 0; i < groups.length; i++) {
    if (groups[i] === '') return new Map();
    out.set(cleanRef(refs[i]!), groups[i]!);
  }
  return out;
}

export interface SetterVisitor {
  mapping(map: { items: Pair<unknown, unknown>[] }, path: string): void;
  scalar(node: Scalar, path: string): void;
}

/** The catalog's acceptImpl: mappings first as a whole, then each value; sequences by index. */
export function walkSetters(doc: Document, v: SetterVisitor): void {
  const visit = (node: unknown, path: string): void => {
    if (isMap(node)) {
      v.mapping(node, path);
      for (const p of node.items) visit(p.value, `${path}.${keyText(p)}`);
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item, `${path}[${i}]`));
    } else if (isScalar(node)) {
      v.scalar(node, path);
    }
  };
  visit(doc.contents, '');
}

export { scalarText };

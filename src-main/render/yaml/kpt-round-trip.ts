// What kpt's function round trip does to a resource besides the function's own
// edits: the resource travels as a ResourceList item (no document of its own),
// and kyaml's CopyComments and SyncOrder then patch comments back in from the
// input. Their side effects show in every file kpt writes after a function.
import { isMap, isScalar, isSeq, visit, type Document, type Node } from 'yaml';
import { footComment, headComment, setFootComment } from './go-node.ts';

type Commented = { commentBefore?: string | null };

/** kyaml's rearrangeHeadCommentOfSeqNode: a first key's head comment moves up to its sequence item. */
function rearrangeSeqHeads(root: unknown): void {
  visit(root as Node, {
    Seq(_k, seq) {
      for (const item of seq.items) {
        if (!(isMap(item) || isSeq(item)) || item.items.length === 0) continue;
        const first = isMap(item) ? (item.items[0] as { key: unknown }).key : item.items[0];
        if (!isScalar(first)) continue;
        const itemHead = headComment(item);
        const firstHead = headComment(first);
        if (!itemHead) {
          (item as Commented).commentBefore = firstHead || null;
        } else if (firstHead) {
          (item as Commented).commentBefore = `${itemHead}\n${firstHead}`;
          (first as Commented).commentBefore = null;
        }
      }
    },
  });
}

/** The last entry at each level along the end of the document, outermost first. */
function lastEntries(root: unknown): object[] {
  const out: object[] = [];
  let node = root;
  for (;;) {
    if (isMap(node) && !node.flow && node.items.length > 0) {
      const pair = node.items[node.items.length - 1] as { key: object; value: unknown };
      out.push(pair.key);
      node = pair.value;
    } else if (isSeq(node) && !node.flow && node.items.length > 0) {
      const item = node.items[node.items.length - 1] as object;
      out.push(item);
      node = item;
    } else {
      return out;
    }
  }
}

/** Clears the foot comments along the end of a document (and the root's own). */
export function dropTrailingFeet(root: unknown): void {
  for (const entry of lastEntries(root)) setFootComment(entry, '');
  if (root && typeof root === 'object') setFootComment(root, '');
}

/**
 * A foot comment closing an outer level at the end of the document comes back
 * from the ResourceList one level deep; CopyComments then restores it at its
 * own level too, so kpt writes it twice.
 */
function duplicateTrailingFoot(root: unknown): void {
  const entries = lastEntries(root);
  const innermost = entries[entries.length - 1];
  if (!innermost || footComment(innermost)) return;
  for (let i = entries.length - 2; i >= 0; i--) {
    const foot = footComment(entries[i]);
    if (foot) {
      setFootComment(innermost, foot);
      return;
    }
  }
}

/** Applies the round trip's side effects to a resource the function returned. */
export function applyRoundTripEffects(doc: Document): void {
  const root = doc.contents;
  if (doc.commentBefore) {
    if (root && !headComment(root)) (root as Commented).commentBefore = doc.commentBefore;
    doc.commentBefore = null;
  }
  visit(doc, {
    Scalar(_k, s) {
      if (s.type === 'BLOCK_FOLDED') s.type = 'QUOTE_DOUBLE';
    },
  });
  rearrangeSeqHeads(root);
  duplicateTrailingFoot(root);
}

// apply-replacements up to v0.1.1, built on kustomize api v0.10: a target
// field is found with an exact lookup (missing ones are skipped, not errors)
// and replaced by a copy of the source node, style and comment included.
import { isScalar, isSeq, type Node } from 'yaml';
import { lookupCreate, smarterPathSplit, type Kind } from '../krm/path-matcher.ts';
import { rootMap } from '../krm/resource.ts';
import { footComment, scalarText, setFootComment, setUntaggedText } from '../yaml/go-node.ts';
import { ReplacementError, replacementsFunction, type TargetApplier } from './apply-replacements.ts';

type Commented = { commentBefore?: string | null; comment?: string | null };

const applyV010: TargetApplier = (doc, value, t) => {
  const root = rootMap(doc)!;
  for (const fp of t.fieldPaths?.length ? t.fieldPaths : ['metadata.name']) {
    const create: Kind | undefined = t.options?.create ? (isScalar(value) ? 'scalar' : isSeq(value) ? 'seq' : 'map') : undefined;
    const target = lookupCreate(root, smarterPathSplit(fp), create);
    if (!target) continue;
    const copy = value.clone() as Node;
    if (t.options?.delimiter) {
      if (!isScalar(target.node)) throw new ReplacementError('delimiter option can only be used with scalar nodes');
      const tv = scalarText(target.node).split(t.options.delimiter);
      const v = isScalar(copy) ? scalarText(copy) : '';
      const index = t.options.index ?? 0;
      if (index < 0) tv.unshift(v);
      else if (index >= tv.length) tv.push(v);
      else tv[index] = v;
      if (isScalar(copy)) setUntaggedText(copy, tv.join(t.options.delimiter));
    }
    // kpt's CopyComments gives the node back the comments the source did not bring.
    const old = target.node as Commented;
    const c = copy as Commented;
    if (!c.comment) c.comment = old.comment;
    if (!c.commentBefore) c.commentBefore = old.commentBefore;
    if (!footComment(copy)) setFootComment(copy, footComment(old));
    target.replace(copy);
  }
};

export const applyReplacementsV010 = replacementsFunction(applyV010);

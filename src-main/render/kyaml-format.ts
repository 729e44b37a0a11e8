// Writing YAML byte for byte as kpt's kyaml writes it (go-yaml v3 emitter,
// indent 2, unlimited width, compact or wide sequences per resource), and
// reading it the way kyaml reads it. Every file Porchlight renders goes
// through here, so kpt, Porch and Porchlight can take turns on a package.
import type { Document } from 'yaml';
import { documentEvents } from './yaml/encode-events.ts';
import { Emitter } from './yaml/emitter.ts';

export { parseYamlDocument, parseYamlStream, splitDocuments, YamlSyntaxError } from './yaml/parse-document.ts';

export type SeqIndentStyle = 'compact' | 'wide';

/** Writes documents as one go-yaml encoder writes them in turn: `---` between them. */
export function formatDocuments(docs: { doc: Document; seqIndent?: SeqIndentStyle }[]): string {
  const emitter = new Emitter();
  for (const { doc, seqIndent } of docs) {
    emitter.compactSeq = seqIndent !== 'wide';
    emitter.emit(documentEvents(doc));
  }
  emitter.emit([{ type: 'streamEnd' }]);
  return emitter.text();
}

export function formatDocument(doc: Document, seqIndent: SeqIndentStyle = 'compact'): string {
  return formatDocuments([{ doc, seqIndent }]);
}

function keyLineBefore(lines: string[], index: number): string {
  for (let i = index - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (line.trim().startsWith('#')) continue;
    return line.split('#')[0]!;
  }
  return '';
}

/** kyaml's DeriveSeqIndentStyle: the indentation of the first block sequence under a key decides. */
export function deriveSeqIndentStyle(text: string): SeqIndentStyle {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const at = line.indexOf('- ');
    if (at < 0) continue;
    const prefix = line.slice(0, at);
    if (prefix.replace(/ /g, '') !== '') continue;
    const keyLine = keyLineBefore(lines, i);
    if (keyLine === '') continue;
    const keyIndent = keyLine.length - keyLine.replace(/^ +/, '').length;
    const trimmed = keyLine.replace(/^ +| +$/g, '');
    if (trimmed.split(':').length - 1 !== 1 || !trimmed.endsWith(':')) continue;
    if (prefix.length === keyIndent) return 'compact';
    if (prefix.length - keyIndent === 2) return 'wide';
  }
  return 'compact';
}

// Reading YAML as kyaml does: documents split on `---` lines the way
// kio.ByteReader splits them, scalars typed by go-yaml's rules, comments
// placed where go-yaml places them.
import { isScalar, parseDocument, visit, type Document } from 'yaml';
import { attachGoComments } from './attach-comments.ts';
import { goResolveValue } from './go-resolve.ts';

export class YamlSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'YamlSyntaxError';
  }
}

const SEPARATOR = /\n---.*\n/g;

/** kio.ByteReader's document split: any line starting with `---`; the text after it may only be a comment. */
export function splitDocuments(input: string): string[] {
  const s = input.replace(/\r\n/g, '\n');
  if (s.length === 0) return [];
  const docs: string[] = [];
  let prev = 0;
  for (const m of s.matchAll(SEPARATOR)) {
    const after = m[0].slice(4).trim();
    if (after.length > 0 && !after.startsWith('#')) {
      throw new YamlSyntaxError(`invalid document separator: ${m[0].trim()}`);
    }
    docs.push(s.slice(prev, m.index));
    prev = m.index + m[0].length;
  }
  docs.push(s.slice(prev));
  // The split eats each piece's last line break; kyaml puts it back on all but the last.
  return docs.map((d, i) => (i < docs.length - 1 ? `${d}\n` : d));
}

/** Parses one document as go-yaml would; null for a document with no content. */
export function parseYamlDocument(text: string): Document.Parsed | null {
  const doc = parseDocument(text, { prettyErrors: false, keepSourceTokens: false, strict: false });
  const err = doc.errors[0];
  if (err) throw new YamlSyntaxError(`MalformedYAMLError: ${err.message.split('\n')[0]}`);
  if (doc.contents === null) return null;
  if (isScalar(doc.contents) && doc.contents.value === null && (doc.contents.source ?? '') === '' && !doc.contents.tag) return null;
  visit(doc, {
    Scalar(_key, node) {
      if (node.type === 'PLAIN' && !node.tag && node.source !== undefined) node.value = goResolveValue(node.source);
    },
  });
  attachGoComments(doc, text);
  return doc;
}

/** All non-empty documents of a file, each parsed on its own as kio.ByteReader does. */
export function parseYamlStream(text: string): Document.Parsed[] {
  const out: Document.Parsed[] = [];
  for (const piece of splitDocuments(text)) {
    const doc = parseYamlDocument(piece);
    if (doc) out.push(doc);
  }
  return out;
}

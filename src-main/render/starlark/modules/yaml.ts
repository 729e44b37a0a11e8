// encoding/yaml.star (starlib): loads parses YAML 1.1 the way yaml.v2 does,
// dumps writes keys in Go's order with sequences flush under their key.
import { Document, parseAllDocuments } from 'yaml';
import { starError } from '../errors.ts';
import { nodeToValue, resolveYamlV2, valueToNode } from '../yaml-values.ts';
import { makeModule, positionalArgs, stringArg } from './module-args.ts';
import { unpackArgs } from '../args.ts';

export const yamlModule = makeModule('yaml', {
  loads: (_t, args, kwargs) => {
    const [src] = unpackArgs('yaml.loads', args, kwargs, ['source']);
    const text = stringArg('yaml.loads', 0, src);
    const docs = parseAllDocuments(text, { version: '1.1', uniqueKeys: false });
    if (!Array.isArray(docs)) return null;
    const doc = docs[0];
    if (!doc) return null;
    const err = doc.errors[0];
    if (err) throw starError(`yaml.loads: ${err.message.split('\n')[0]}`);
    return nodeToValue(doc.contents, doc, resolveYamlV2);
  },
  dumps: (_t, args, kwargs) => {
    const [v] = positionalArgs('yaml.dumps', args, kwargs, 1);
    const doc = new Document(null, { version: '1.1' });
    try {
      doc.contents = valueToNode(v!) as never;
    } catch (e) {
      throw starError(`yaml.dumps: ${(e as Error).message}`);
    }
    return doc.toString({ indentSeq: false, lineWidth: 0 });
  },
});

import { describe, expect, it } from 'vitest';
import { Document, parseDocument } from 'yaml';
import { goYamlKeyCompare } from '../../../src-main/render/starlark/go-yaml-order.ts';
import { StarDict } from '../../../src-main/render/starlark/hash-table.ts';
import { repr } from '../../../src-main/render/starlark/repr.ts';
import { nodeToValue, resolveYamlV3, valueToNode } from '../../../src-main/render/starlark/yaml-values.ts';

describe('YAML scalars as kyaml (yaml.v3) resolves them', () => {
  it('reads plain scalars by Go rules, quoted ones as strings', () => {
    const doc = parseDocument(
      'a: 0777\nb: 1_000\nc: 0x1F\nd: yes\ne: "5"\nf: 1.0\ng: ~\nh: 2001-12-14\ni: .5\nj: 99999999999999999999\nk: !!str 12\nl: True\nm: 08\n',
    );
    expect(repr(nodeToValue(doc.contents, doc, resolveYamlV3))).toBe(
      '{"a": 511, "b": 1000, "c": 31, "d": "yes", "e": "5", "f": 1.0, "g": None, "h": "2001-12-14", "i": 0.5, "j": 1e+20, "k": "12", "l": True, "m": 8.0}',
    );
    expect(resolveYamlV3('-0b101')).toBe(-5n);
    expect(resolveYamlV3('0b2')).toBe('0b2');
    expect(resolveYamlV3('.inf')).toBe(Infinity);
  });

  it('expands aliases and accepts plain JS values left by setIn()', () => {
    const doc = parseDocument('base: &b {x: 1}\nuse: *b\n');
    doc.setIn(['added', 'n'], 5);
    expect(repr(nodeToValue(doc.contents, doc, resolveYamlV3))).toBe('{"base": {"x": 1}, "use": {"x": 1}, "added": {"n": 5}}');
  });
});

describe("Go's map key order", () => {
  it('sorts like yaml.v3: letters before other characters, digit runs by value', () => {
    const keys = ['name', 'image', 'a10', 'a2', 'a-b', 'ab', 'Z', 'apiVersion', 'kind', 'metadata'];
    expect([...keys].sort(goYamlKeyCompare)).toEqual(['Z', 'a-b', 'a2', 'a10', 'ab', 'apiVersion', 'image', 'kind', 'metadata', 'name']);
  });

  it('writes new mappings in that order', () => {
    const d = new StarDict();
    for (const k of ['name', 'image', 'args']) d.set(k, 'x');
    const doc = new Document();
    doc.contents = valueToNode(d) as Document['contents'];
    expect(Object.keys(doc.toJS() as object)).toEqual(['args', 'image', 'name']);
  });
});

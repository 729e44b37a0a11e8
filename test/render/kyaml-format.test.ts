// Files come out as kpt writes them. Each fixture pair holds an input file
// and what kpt 1.0.0-beta.56 wrote for it after `kpt fn eval --exec` with a
// function that returns its input (comments, quoting, sequence indentation,
// blank lines, document markers; d7-again is kpt's second pass over its own
// output, which kpt itself does not leave alone). Porchlight must write the
// same bytes, through a built-in function and through an external one.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evalFunction } from '../../src-main/render/eval-function.ts';
import { deriveSeqIndentStyle, formatDocument, parseYamlDocument } from '../../src-main/render/kyaml-format.ts';
import type { BuiltinFunction } from '../../src-main/render/krm-function.ts';

const DIR = new URL('./fixtures/kyaml-format/', import.meta.url);
const names = fs
  .readdirSync(DIR)
  .filter((f) => !f.endsWith('.kpt.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''));
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const identity: BuiltinFunction = ({ items }) => ({ items, results: [] });

async function throughEval(input: string, external: boolean): Promise<string> {
  const files = [{ path: 'a.yaml', content: encoder.encode(input) }];
  const out = external
    ? await evalFunction(files, { exec: 'cat', runExternal: async (_fn, list) => ({ stdout: list, stderr: '', exitCode: 0 }) })
    : await evalFunction(files, { image: 'example.com/identity:v1', lookup: () => identity });
  expect(out.error).toBeUndefined();
  return decoder.decode(out.files.find((f) => f.path === 'a.yaml')!.content);
}

describe('kyaml-compatible output', () => {
  it('has fixtures', () => expect(names.length).toBeGreaterThan(20));

  for (const name of names) {
    const input = fs.readFileSync(new URL(`${name}.yaml`, DIR), 'utf8');
    const kpt = fs.readFileSync(new URL(`${name}.kpt.yaml`, DIR), 'utf8');
    it(`${name}: a built-in function's output is written as kpt writes it`, async () => {
      expect(await throughEval(input, false)).toBe(kpt);
    });
    it(`${name}: an external function's output is written as kpt writes it`, async () => {
      expect(await throughEval(input, true)).toBe(kpt);
    });
  }

  it("derives the sequence style from a document's first block sequence, as kyaml does", () => {
    expect(deriveSeqIndentStyle('a:\n- x\n')).toBe('compact');
    expect(deriveSeqIndentStyle('a:\n  - x\n')).toBe('wide');
    expect(deriveSeqIndentStyle('a: "- x"\nb:\n    - y\n  # c\n')).toBe('compact');
    expect(deriveSeqIndentStyle('a: 1\n')).toBe('compact');
  });

  it('quotes new strings that would read back as another type, and only those', () => {
    const doc = parseYamlDocument('a: x\n')!;
    doc.set('b', '123');
    doc.set('c', 'true');
    doc.set('d', 'plain');
    doc.set('e', 'line one\nline two');
    expect(formatDocument(doc)).toBe('a: x\nb: "123"\nc: "true"\nd: plain\ne: |-\n  line one\n  line two\n');
  });
});

// The catalog's Go unit tests, re-enacted: each test fed its filter one file
// (or a kustomize ResMap) and compared what it wrote. These reproduce those
// harnesses around the built-in functions' filters.
import fs from 'node:fs';
import path from 'node:path';
import { Document, parse, type YAMLMap } from 'yaml';
import { applySettersTo, settersFromConfig } from '../../../src-main/render/functions/apply-setters.ts';
import { createSettersIn, decodeCreateSetters } from '../../../src-main/render/functions/create-setters.ts';
import { ensureNameSubstringIn, readEnsureConfig, removeBuildAnnotations } from '../../../src-main/render/functions/ensure-name-substring.ts';
import { decodeSearchReplace, searchReplaceIn } from '../../../src-main/render/functions/search-replace.ts';
import { COMMON_ANNOTATIONS, setAnnotationsOn } from '../../../src-main/render/functions/set-annotations.ts';
import { upsertResources } from '../../../src-main/render/functions/upsert-resource.ts';
import { formatDocuments, parseYamlDocument, parseYamlStream } from '../../../src-main/render/kyaml-format.ts';
import { clearAnnotation, clearEmptyAnnotations, getAnnotation, setAnnotation } from '../../../src-main/render/krm/resource.ts';
import { ANN } from '../../../src-main/render/package/annotation-keys.ts';
import { copyLegacyAnnotations, readFileResources } from '../../../src-main/render/package/read-resources.ts';
import { writeResources } from '../../../src-main/render/package/write-resources.ts';
import { marshal } from '../../../src-main/render/pipeline/results.ts';
import type { CatalogCase } from './catalog.ts';

export interface UnitOutcome {
  /** File name -> text the harness compares (absent when the test stops at an error). */
  output?: Record<string, string>;
  error?: string;
  resultsString?: string;
}

const read = (c: CatalogCase, ...p: string[]): string => fs.readFileSync(path.join(c.dir, ...p), 'utf8');
const inputName = (c: CatalogCase): string => fs.readdirSync(path.join(c.dir, 'input'))[0]!;

function configDoc(c: CatalogCase): Document.Parsed {
  const text = c.spec.invocation.functionConfigEquivalentConfigMap ?? read(c, c.spec.invocation.functionConfigFile ?? 'function-config.yaml');
  return parseYamlDocument(text)!;
}

/** kio.LocalPackageReadWriter over one file, with an encoder of a fixed sequence style. */
function packageFileHarness(c: CatalogCase, style: 'wide' | 'compact', filter: (docs: Document[]) => void): UnitOutcome {
  const name = inputName(c);
  const docs = readFileResources(name, read(c, 'input', name), {});
  try {
    filter(docs);
  } catch (e) {
    return { error: (e as Error).message };
  }
  for (const d of docs) setAnnotation(d, ANN.seqIndent, style);
  return { output: Object.fromEntries(writeResources(docs)) };
}

/** kustomize ResMap.AsYaml(): each resource as JSON turned into YAML, keys sorted. */
function asYaml(docs: Document[]): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  return formatDocuments(
    docs.map((d) => {
      const out = new Document();
      out.contents = marshal(sorted(d.toJS())) as YAMLMap;
      return { doc: out, seqIndent: 'compact' as const };
    }),
  );
}

/** kio.ByteWriter as the upsert-resource test used it: reader annotations cleared, paths kept. */
function byteWriterStream(docs: Document[]): string {
  const styles = docs.map((d) => (getAnnotation(d, ANN.seqIndent) === 'wide' ? 'wide' : 'compact'));
  for (const d of docs) {
    copyLegacyAnnotations(d);
    for (const k of [ANN.index, ANN.legacyIndex, ANN.seqIndent]) clearAnnotation(d, k);
    clearEmptyAnnotations(d);
  }
  return formatDocuments(docs.map((doc, i) => ({ doc, seqIndent: styles[i] as 'wide' | 'compact' })));
}

export function runUnitCase(c: CatalogCase): UnitOutcome {
  switch (c.spec.function) {
    case 'apply-setters':
      return packageFileHarness(c, 'wide', (docs) => applySettersTo(docs, settersFromConfig(configDoc(c))));
    case 'create-setters':
      return packageFileHarness(c, 'wide', (docs) => createSettersIn(docs, decodeCreateSetters(configDoc(c))));
    case 'search-replace': {
      let text = '';
      const outcome = packageFileHarness(c, 'compact', (docs) => {
        const cfg = decodeSearchReplace(configDoc(c));
        const { results, count } = searchReplaceIn(docs, cfg);
        for (const r of results) text += `${r.filePath}\nfieldPath: ${r.fieldPath}\nvalue: ${r.value}\n\n`;
        text += `${cfg.putComment || cfg.putValue ? 'Mutated' : 'Matched'} ${count} field(s)\n`;
      });
      return { ...outcome, resultsString: text };
    }
    case 'ensure-name-substring': {
      const docs = parseYamlStream(read(c, 'input', inputName(c)));
      try {
        ensureNameSubstringIn(docs, readEnsureConfig(configDoc(c)));
      } catch (e) {
        return { error: (e as Error).message };
      }
      for (const d of docs) removeBuildAnnotations(d);
      return { output: { 'output.yaml': asYaml(docs) } };
    }
    case 'set-annotations': {
      const docs = parseYamlStream(read(c, 'input', inputName(c)));
      const plugin = parse(read(c, c.spec.invocation.functionConfigFile ?? 'function-config.yaml')) as { annotations?: Record<string, string> };
      for (const d of docs) setAnnotationsOn(d, { annotations: plugin.annotations ?? {}, fields: COMMON_ANNOTATIONS });
      return { output: { 'output.yaml': asYaml(docs) } };
    }
    case 'upsert-resource': {
      const name = inputName(c);
      const docs = readFileResources(name, read(c, 'input', name), {});
      // The Go test's reader does not record sequence indentation.
      for (const d of docs) clearAnnotation(d, ANN.seqIndent);
      const out = upsertResources(docs, parseYamlDocument(read(c, c.spec.invocation.functionConfigFile ?? 'function-config.yaml'))!);
      return { output: { 'output.yaml': byteWriterStream(out) } };
    }
    default:
      throw new Error(`no unit-test harness for ${c.spec.function}`);
  }
}

// The catalog conformance data in ../shared/krm-functions: every case
// directory with its case.yaml, input package and expected package.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { PackageFile } from '../../../src-main/render/package/file-tree.ts';

export const CATALOG_DIR = fileURLToPath(new URL('../../../../shared/krm-functions/', import.meta.url));

export interface CaseSpec {
  function: string;
  case: string;
  invocation: {
    mode: 'render' | 'eval' | 'pipe' | 'go-unit-test';
    image?: string;
    args?: Record<string, string>;
    argsFromFiles?: Record<string, string>;
    fnConfig?: string;
    preSteps?: string[];
    functionConfigFile?: string;
    functionConfigEquivalentConfigMap?: string;
    harness?: string;
  };
  expect: {
    exitCode?: number;
    stdErrContains?: string;
    results?: string;
    errorContains?: string;
    compare?: string;
    expectedOutput?: string;
  };
}

export interface CatalogCase {
  id: string;
  dir: string;
  spec: CaseSpec;
}

export function listCases(): CatalogCase[] {
  const root = path.join(CATALOG_DIR, 'cases');
  const out: CatalogCase[] = [];
  for (const fn of fs.readdirSync(root).sort()) {
    for (const name of fs.readdirSync(path.join(root, fn)).sort()) {
      const dir = path.join(root, fn, name);
      const file = path.join(dir, 'case.yaml');
      if (!fs.existsSync(file)) continue;
      out.push({ id: `${fn}/${name}`, dir, spec: parse(fs.readFileSync(file, 'utf8')) as CaseSpec });
    }
  }
  return out;
}

/** Every file under a directory, paths relative to it, in a stable order. */
export function readPackage(dir: string): PackageFile[] {
  const out: PackageFile[] = [];
  const walk = (rel: string): void => {
    for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (fs.statSync(path.join(dir, r)).isDirectory()) walk(r);
      else out.push({ path: r, content: new Uint8Array(fs.readFileSync(path.join(dir, r))) });
    }
  };
  if (fs.existsSync(dir)) walk('');
  return out;
}

const decoder = new TextDecoder();

/** path -> text, for comparing whole packages. */
export function asTextMap(files: PackageFile[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) out[f.path] = decoder.decode(f.content);
  return out;
}

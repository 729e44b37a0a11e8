// Runs one catalog case the way the upstream runner ran kpt: render or eval
// on a copy of the input package, twice, collecting exit codes, stderr, the
// results file and the final package.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { evalFunction } from '../../../src-main/render/eval-function.ts';
import { packageContextText } from '../../../src-main/render/functions/gen-pkg-context.ts';
import type { PackageFile } from '../../../src-main/render/package/file-tree.ts';
import { formatResultList } from '../../../src-main/render/pipeline/results.ts';
import { lookupBuiltin } from '../../../src-main/render/registry.ts';
import { renderPackage } from '../../../src-main/render/render-package.ts';
import { readPackage, type CatalogCase } from './catalog.ts';

export interface CaseRun {
  exitCodes: number[];
  stderr: string;
  results: string;
  files: PackageFile[];
  error?: string;
}

const encoder = new TextEncoder();

function withPreSteps(c: CatalogCase, files: PackageFile[]): PackageFile[] {
  if (!(c.spec.invocation.preSteps ?? []).some((s) => s.startsWith('kpt pkg init'))) return files;
  const kptfile = files.find((f) => f.path === 'Kptfile');
  const name = (parse(new TextDecoder().decode(kptfile?.content)) as { metadata?: { name?: string } })?.metadata?.name ?? '';
  return [...files, { path: 'package-context.yaml', content: encoder.encode(packageContextText(name)) }];
}

function evalArgs(c: CatalogCase): string[] {
  const inv = c.spec.invocation;
  const fromFiles = inv.argsFromFiles ?? {};
  return Object.entries(inv.args ?? {}).map(([k, v]) => {
    if (fromFiles[k]) {
      // `$(cat file)` in the upstream script drops the file's trailing newlines.
      return `${k}=${fs.readFileSync(path.join(c.dir, 'input', fromFiles[k]!), 'utf8').replace(/\n+$/, '')}`;
    }
    return `${k}=${String(v)}`;
  });
}

/** Why a case cannot run here, or undefined. */
export function pendingReason(c: CatalogCase): string | undefined {
  if (c.spec.function === 'starlark' && !lookupBuiltin('gcr.io/kpt-fn/starlark')) return 'starlark is not built in yet (src-main/render/functions/starlark.ts)';
  if (c.spec.invocation.mode === 'pipe') return 'a raw `kpt fn source | function | format | kpt fn sink` pipe: the format function is not built in';
  return undefined;
}

export async function runPackageCase(c: CatalogCase): Promise<CaseRun> {
  const inv = c.spec.invocation;
  let files = withPreSteps(c, readPackage(path.join(c.dir, 'input')));
  const exitCodes: number[] = [];
  let stderr = '';
  let results = '';
  let error: string | undefined;
  for (let run = 0; run < 2; run++) {
    // The upstream runner checks stderr and results on the first run only (idempotency is about files).
    const onStep = (line: string): void => {
      if (run === 0) stderr += `${line}\n`;
    };
    const out =
      inv.mode === 'render'
        ? await renderPackage(files, { onStep, packageName: 'pkg' })
        : await evalFunction(files, { image: inv.image, fnConfig: inv.fnConfig, args: inv.fnConfig ? undefined : evalArgs(c), onStep });
    exitCodes.push(out.error ? 1 : 0);
    if (run === 0) results = formatResultList(out.results);
    error = out.error;
    files = out.files;
  }
  return { exitCodes, stderr, results, files, error };
}

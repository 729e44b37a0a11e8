// `npm run bench -- render`: in-process kpt render speed. Each Nephio
// blueprint is rendered with its built-in steps only (steps naming other
// images are dropped from the Kptfile), many times, for a p50; then the whole
// catalog conformance suite runs once, timed.
//
// Targets (issue 17): blueprint render p50 < 25 ms; the catalog suite < 5 s.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseDocument } from 'yaml';
import type { PackageFile } from '../src-main/render/package/file-tree.ts';
import { lookupBuiltin } from '../src-main/render/registry.ts';
import { renderPackage } from '../src-main/render/render-package.ts';
import { CATALOG_DIR, listCases, readPackage } from '../test/render/support/catalog.ts';
import { pendingReason, runPackageCase } from '../test/render/support/run-case.ts';
import { runUnitCase } from '../test/render/support/unit-harness.ts';
import { machineInfo, percentile, renderTable, writeJson, type ResultRow } from './measure.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BLUEPRINTS = ['free5gc-amf-bp', 'nephio-workload-cluster', 'nephio-workload-cluster-gke', 'ric', 'rootsync'];

/** The package with only the pipeline steps Porchlight runs itself. */
function builtInStepsOnly(files: PackageFile[]): { files: PackageFile[]; kept: number; dropped: number } {
  let kept = 0;
  let dropped = 0;
  const out = files.map((f) => {
    if (f.path !== 'Kptfile') return f;
    const doc = parseDocument(new TextDecoder().decode(f.content));
    for (const kind of ['mutators', 'validators']) {
      const steps = doc.getIn(['pipeline', kind]) as { items: unknown[] } | undefined;
      if (!steps) continue;
      const builtIn = steps.items.filter((s) => {
        const image = (s as { get(k: string): unknown }).get('image');
        return typeof image === 'string' && !!lookupBuiltin(image);
      });
      kept += builtIn.length;
      dropped += steps.items.length - builtIn.length;
      steps.items = builtIn;
    }
    return { path: f.path, content: new TextEncoder().encode(doc.toString()) };
  });
  return { files: out, kept, dropped };
}

export async function runRenderBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { runs: { type: 'string', default: '50' }, out: { type: 'string', default: path.join(HERE, 'results', 'render.json') } },
  });
  const runs = Number(values.runs);
  const rows: ResultRow[] = [];
  const samples: Record<string, number[]> = {};
  for (const name of BLUEPRINTS) {
    const { files, kept, dropped } = builtInStepsOnly(readPackage(path.join(CATALOG_DIR, 'blueprints', name)));
    const times: number[] = [];
    let error: string | undefined;
    for (let i = 0; i < runs + 5; i++) {
      const started = performance.now();
      const out = await renderPackage(files, { packageName: name });
      const ms = performance.now() - started;
      error ??= out.error;
      if (i >= 5) times.push(ms);
    }
    samples[name] = times.map((t) => Math.round(t * 100) / 100);
    const p50 = percentile(times, 50);
    rows.push({
      engine: '',
      figure: `render ${name}, p50`,
      value: error ? null : p50,
      unit: 'ms',
      target: '< 25 ms',
      verdict: error ? 'ERROR' : p50 < 25 ? 'PASS' : 'FAIL',
      note: error ?? `${kept} built-in step(s)${dropped ? `, ${dropped} other step(s) left out` : ''}, ${runs} runs`,
    });
  }
  const started = performance.now();
  let passed = 0;
  let failed = 0;
  let pending = 0;
  for (const c of listCases()) {
    if (pendingReason(c)) {
      pending++;
      continue;
    }
    try {
      if (c.spec.invocation.mode === 'go-unit-test') runUnitCase(c);
      else await runPackageCase(c);
      passed++;
    } catch {
      failed++;
    }
  }
  const suiteMs = performance.now() - started;
  rows.push({
    engine: '',
    figure: 'catalog conformance suite (every case, twice where kpt runs it twice)',
    value: suiteMs,
    unit: 'ms',
    target: '< 5000 ms',
    verdict: failed ? 'ERROR' : suiteMs < 5000 ? 'PASS' : 'FAIL',
    note: `${passed} case(s) run${pending ? `, ${pending} pending` : ''}${failed ? `, ${failed} threw` : ''}`,
  });
  process.stdout.write(`${renderTable(rows)}\n`);
  await writeJson(values.out, { ranAt: new Date().toISOString(), machine: await machineInfo(), rows, samples });
  return 0;
}

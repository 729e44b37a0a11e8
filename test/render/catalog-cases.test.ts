// Every case of the krm-functions-catalog conformance data, run through the
// built-in functions: the package after the run must equal expected/ byte for
// byte, with kpt's exit code, stderr and results file. New case directories
// run without changes here.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { asTextMap, listCases, readPackage, type CatalogCase } from './support/catalog.ts';
import { pendingReason, runPackageCase } from './support/run-case.ts';
import { runUnitCase } from './support/unit-harness.ts';

const cases = listCases();

function expectedFiles(c: CatalogCase): Record<string, string> {
  return asTextMap(readPackage(path.join(c.dir, 'expected')).filter((f) => !f.path.endsWith('.unchecked')));
}

async function checkPackageCase(c: CatalogCase): Promise<void> {
  const run = await runPackageCase(c);
  const want = c.spec.expect.exitCode ?? 0;
  expect(run.exitCodes, `exit codes (error: ${run.error ?? 'none'})\n${run.stderr}`).toEqual([want, want]);
  expect(asTextMap(run.files)).toEqual(expectedFiles(c));
  if (c.spec.expect.results) expect(run.results.trim()).toBe(c.spec.expect.results.trim());
  if (c.spec.expect.stdErrContains) expect(run.stderr).toContain(c.spec.expect.stdErrContains);
}

function checkUnitCase(c: CatalogCase): void {
  const out = runUnitCase(c);
  const e = c.spec.expect;
  if (e.errorContains) {
    expect(out.error ?? '').toContain(e.errorContains);
    return;
  }
  expect(out.error).toBeUndefined();
  const expected = expectedFiles(c);
  const compare = e.compare ?? 'exact';
  for (const [name, text] of Object.entries(expected)) {
    const got = out.output?.[name];
    if (compare.startsWith('trimmed')) expect(got?.trim(), name).toBe(text.trim());
    else expect(got, name).toBe(text);
  }
  if (e.expectedOutput !== undefined) expect(out.resultsString).toBe(e.expectedOutput);
}

describe('catalog conformance cases', () => {
  it('finds the shared case data', () => {
    expect(cases.length).toBeGreaterThanOrEqual(94);
    expect(fs.existsSync(cases[0]!.dir)).toBe(true);
  });

  for (const c of cases) {
    const reason = pendingReason(c);
    if (reason) {
      it.skip(`${c.id} (pending: ${reason})`, () => {});
      continue;
    }
    it(c.id, async () => {
      if (c.spec.invocation.mode === 'go-unit-test') checkUnitCase(c);
      else await checkPackageCase(c);
    });
  }
});

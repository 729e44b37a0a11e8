// Against the real kpt (when installed): the same package rendered by
// `kpt fn render --allow-exec` and by renderPackage running the same exec
// functions through runExternal must end up byte for byte the same, and
// print the same lines.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExternalRunner } from '../../src-main/render/pipeline/external-call.ts';
import { renderPackage } from '../../src-main/render/render-package.ts';
import { asTextMap, readPackage } from './support/catalog.ts';

const hasKpt = spawnSync('kpt', ['version'], { encoding: 'utf8' }).status === 0;
let work: string;

const FILES: Record<string, string> = {
  Kptfile:
    'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: root\npipeline:\n  mutators:\n  - exec: FN/recolor.sh\n    selectors:\n    - kind: ConfigMap\n  - exec: FN/echo.sh\n',
  'cm.yaml':
    "# The colour map.\n\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: colours # line\n  annotations:\n    note: 'kept'\ndata:\n  color: red\n  list:\n    - a\n    # between\n    - b\n",
  'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n  annotations: {color: red}\nspec:\n  ports: [{port: 80}]\n',
  'sub/Kptfile': 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: sub\npipeline:\n  mutators:\n  - exec: FN/echo.sh\n',
  'sub/x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  color: red\n  folded: >\n    some text\n',
};

const SCRIPTS: Record<string, string> = {
  'recolor.sh': '#!/bin/sh\nsed "s/color: red/color: blue/"\n',
  'echo.sh': '#!/bin/sh\ncat\n',
};

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-kpt-ref-'));
  fs.mkdirSync(path.join(work, 'fn'));
  for (const [name, text] of Object.entries(SCRIPTS)) fs.writeFileSync(path.join(work, 'fn', name), text, { mode: 0o755 });
  for (const [p, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(work, 'pkg', p)), { recursive: true });
    fs.writeFileSync(path.join(work, 'pkg', p), text.replace(/FN\//g, `${work}/fn/`));
  }
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const runScript: ExternalRunner = async (fn, resourceList) => {
  const r = spawnSync(fn.exec!, [], { input: resourceList, encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.status ?? 1 };
};

describe.skipIf(!hasKpt)('kpt fn render as the reference', () => {
  it('writes the same files and prints the same lines', async () => {
    const before = readPackage(path.join(work, 'pkg'));
    const lines: string[] = [];
    const ours = await renderPackage(before, { allowExec: true, runExternal: runScript, packageName: 'pkg', onStep: (l) => lines.push(l) });
    const kpt = spawnSync('kpt', ['fn', 'render', '--allow-exec', 'pkg'], { cwd: work, encoding: 'utf8' });
    expect(kpt.status, kpt.stderr).toBe(0);
    expect(ours.error).toBeUndefined();
    const text = asTextMap(ours.files);
    expect(text).toEqual(asTextMap(readPackage(path.join(work, 'pkg'))));
    expect(text['cm.yaml']).toContain('  color: blue\n');
    expect(text['svc.yaml']).toContain('{color: red}');
    expect(text['sub/x.yaml']).toContain('folded: "some text\\n"');
    const timing = (l: string): string => l.replace(/ in [0-9.]+m?s$/, ' in <t>');
    expect(lines.map(timing)).toEqual(kpt.stderr.trimEnd().split('\n').map(timing));
  });
});

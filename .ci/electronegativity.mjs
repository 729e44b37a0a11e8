// Electron's security linter over the built desktop app (out/main,
// out/preload, out/renderer). CI fails on any finding above LOW severity.
// Its own CLI does not run against the commander this project pins, so its
// runner is called directly.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity');
// PRELOAD_JS_CHECK only asks for a manual review of any preload. Reviewed:
// src-main/electron/preload.ts exposes two named functions (call, onEvent)
// and nothing of ipcRenderer; the relay checks the sender, the service
// validates every payload.
const reviewed = ['PreloadJSCheck'];
const result = await run(
  { input: process.argv[2] ?? 'out', output: '.ci/out/electronegativity.csv', isRelative: true, electronVersionOverride: '41.7.1', excludeFromScan: reviewed },
  false,
);
const issues = result?.issues ?? [];
const serious = issues.filter((i) => i.severity.value > 1); // INFORMATIONAL 0, LOW 1, MEDIUM 2, HIGH 3
for (const i of issues) console.log(`electronegativity: ${i.severity.name ?? i.severity.value} ${i.id} ${i.file}:${i.location?.line ?? ''}`);
console.log(`electronegativity: ${issues.length} findings, ${serious.length} above LOW`);
process.exit(serious.length ? 1 : 0);

#!/usr/bin/env node
// The `porchlight` command: the compiled CLI in dist/cli/ (built at install,
// and again here whenever its sources changed), or, if it cannot be built,
// the TypeScript sources through tsx.
import { compiledEntry } from './compiled.mjs';

const io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
};
// The progress line only on a terminal: a script reads stderr exactly as porchctl writes it.
const entry = await compiledEntry('cli', process.stderr.isTTY ? io.stderr : undefined);
let runCli;
if (entry) {
  // Stack traces name the TypeScript sources; reading the maps costs every start a little, so only when asked.
  if (process.env.PORCHLIGHT_LOG) process.setSourceMapsEnabled(true);
  ({ runCli } = await import(entry));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ runCli } = await import('../src-main/cli/main.ts'));
}
process.exitCode = await runCli(process.argv.slice(2), io);

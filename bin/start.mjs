#!/usr/bin/env node
// `npm start`: the desktop app where Electron's binary is present, otherwise
// browser mode (the same renderer and service, on 127.0.0.1 with a token).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function electronBinary() {
  try {
    const binary = createRequire(import.meta.url)('electron');
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : undefined;
  } catch {
    return undefined; // not installed, or its binary was never downloaded
  }
}

/** Runs the app as a child and passes Ctrl-C and SIGTERM on to it: stopping `npm start` stops the app, never orphans it. */
function run(command, args, options) {
  const child = spawn(command, args, { stdio: 'inherit', ...options });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

const electron = electronBinary();
if (electron) {
  if (!fs.existsSync(`${root}/out/main/main.js`)) {
    const built = spawnSync(process.execPath, [`${root}/node_modules/electron-vite/bin/electron-vite.js`, 'build'], { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) process.exit(built.status ?? 1);
  }
  run(electron, [`${root}/out/main/main.js`], { cwd: root });
} else {
  console.log("Electron's binary is not installed here, so Porchlight starts in browser mode.\n");
  const cli = fileURLToPath(new URL('./porchlight.mjs', import.meta.url));
  run(process.execPath, [cli, 'serve', ...process.argv.slice(2)]);
}

// Electron fuses for a packaged Porchlight: switches in the Electron binary
// itself that turn off ways to run other code with the app's identity
// (ELECTRON_RUN_AS_NODE, NODE_OPTIONS, --inspect) and tie it to its signed
// app.asar. electron-vite builds but does not package, so nothing flips them
// yet: a packager's after-pack step calls flipPorchlightFuses(binary), or
// `node --import tsx src-main/electron/fuses.ts <binary>` with @electron/fuses
// installed. Never flip the binary in node_modules: OnlyLoadAppFromAsar stops
// `npm start` from loading out/main.
import { fileURLToPath } from 'node:url';
import { failedPrecondition } from '../../src-shared/errors.ts';

/** By @electron/fuses' FuseV1Options names. The service runs on a worker thread, never as a forked Node, so RunAsNode can go. */
export const PORCHLIGHT_FUSES = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  LoadBrowserProcessSpecificV8Snapshot: false,
  // The app's files come through porchlight://, never file://.
  GrantFileProtocolExtraPrivileges: false,
} as const;

interface FusesModule {
  flipFuses(binary: string, config: Record<string | number, unknown>): Promise<unknown>;
  FuseVersion: { V1: string };
  FuseV1Options: Record<string, number>;
}

export async function flipPorchlightFuses(electronBinary: string): Promise<void> {
  const moduleName = '@electron/fuses';
  let fuses: FusesModule;
  try {
    fuses = (await import(moduleName)) as FusesModule;
  } catch {
    throw failedPrecondition(`${moduleName} is not installed; install it in the packaging step (npm install --no-save ${moduleName}) and run this again`);
  }
  const config: Record<string | number, unknown> = { version: fuses.FuseVersion.V1 };
  for (const [name, on] of Object.entries(PORCHLIGHT_FUSES)) {
    const option = fuses.FuseV1Options[name];
    if (option === undefined) throw failedPrecondition(`this ${moduleName} does not know the fuse ${name}; use a version that does`);
    config[option] = on;
  }
  await fuses.flipFuses(electronBinary, config);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const binary = process.argv[2];
  if (!binary) {
    process.stderr.write('usage: node --import tsx src-main/electron/fuses.ts <packaged Electron binary>\n');
    process.exit(2);
  }
  await flipPorchlightFuses(binary);
}

// Where the key that seals the stored Git credentials lives (credential-store.ts
// seals each entry with it; the sealed entries stay in credentials.json):
//   1. the desktop app: given by Electron's main thread, which keeps it sealed
//      with safeStorage (the OS keychain) and hands it to the service's thread;
//   2. the OS keyring, when the machine has one Porchlight can reach without
//      a prompt (libsecret's `secret-tool` on Linux), shared by the CLI,
//      browser mode and the desktop app: a key found in the file is moved in;
//   3. else a file readable only by the user (credentials.key).
// PORCHLIGHT_KEYRING=off keeps the key in the file (a machine whose keyring
// locks with the session, e.g. for scheduled CLI runs).
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PorchlightError } from '../../src-shared/errors.ts';

export interface KeyVault {
  /** Said in messages: where the key is. */
  readonly where: string;
  load(): Promise<Buffer | undefined>;
  save(key: Buffer): Promise<void>;
}

let injected: Buffer | undefined;

/** The desktop app's service thread: the key Electron unsealed (never written anywhere by this process). */
export function useInjectedCredentialKey(key: Buffer | Uint8Array | undefined): void {
  injected = key ? Buffer.from(key) : undefined;
}

/** Written to a private temp file and renamed over: never readable by others, never half written. */
export function writePrivate(file: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

export function fileVault(keyFile: string): KeyVault {
  return {
    where: keyFile,
    async load() {
      try {
        return fs.readFileSync(keyFile);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
    async save(key) {
      writePrivate(keyFile, key);
    },
  };
}

function run(cmd: string, args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: 10_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    child.on('error', () => resolve({ code: -1, stdout, stderr: stderr || `${cmd} could not be run` }));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    // A child that exits before reading its stdin (a lookup ignores it) makes the write fail with EPIPE: its exit code says what happened.
    child.stdin.on('error', () => {});
    // The secret travels on stdin, never on the command line where `ps` shows it.
    child.stdin.end(input ?? '');
  });
}

/** libsecret's keyring (GNOME Keyring, KWallet) through `secret-tool`; the entry is named by the key file it replaces. */
export function secretToolVault(keyFile: string): KeyVault {
  const attributes = ['service', 'porchlight', 'key', keyFile];
  return {
    where: `the OS keyring (secret-tool, "${keyFile}")`,
    async load() {
      const r = await run('secret-tool', ['lookup', ...attributes]);
      if (r.code === 0 && r.stdout.trim()) return Buffer.from(r.stdout.trim(), 'base64');
      if (r.stderr.trim())
        throw new PorchlightError(
          'UNAVAILABLE',
          `the OS keyring could not be read (${r.stderr.trim()}); unlock it, or set PORCHLIGHT_KEYRING=off to keep the key in ${keyFile}`,
        );
      return undefined;
    },
    async save(key) {
      const r = await run('secret-tool', ['store', '--label', `Porchlight credentials key (${keyFile})`, ...attributes], key.toString('base64'));
      if (r.code !== 0)
        throw new PorchlightError(
          'UNAVAILABLE',
          `the OS keyring refused the key (${r.stderr.trim() || `exit ${r.code}`}); unlock it, or set PORCHLIGHT_KEYRING=off`,
        );
    },
  };
}

let keyringReachable: Promise<boolean> | undefined;

/** A keyring that answers without a prompt: secret-tool present and its service up. */
export function keyringAvailable(env: NodeJS.ProcessEnv): Promise<boolean> {
  if (env.PORCHLIGHT_KEYRING === 'off' || process.platform !== 'linux' || !env.DBUS_SESSION_BUS_ADDRESS) return Promise.resolve(false);
  keyringReachable ??= new Promise((resolve) =>
    execFile('secret-tool', ['search', 'service', 'porchlight-probe'], { timeout: 5_000 }, (error, _out, stderr) => {
      // "Not found" is exit 1 with nothing on stderr; a missing tool or service says why on stderr.
      resolve(!(error && (error as NodeJS.ErrnoException).code === 'ENOENT') && !String(stderr).trim());
    }),
  );
  return keyringReachable;
}

/** Where this process keeps the key; a key in the file moves into the keyring the first time one is there. */
export async function credentialKeyVault(keyFile: string, env: NodeJS.ProcessEnv = process.env): Promise<KeyVault> {
  if (injected) {
    const key = injected;
    return { where: 'the desktop app (Electron safeStorage)', load: async () => key, save: async () => {} };
  }
  const file = fileVault(keyFile);
  if (!(await keyringAvailable(env))) return file;
  const keyring = secretToolVault(keyFile);
  const inFile = await file.load();
  if (inFile && !(await keyring.load())) {
    await keyring.save(inFile);
    // Only once the keyring gives it back is the file's copy removed.
    if ((await keyring.load())?.equals(inFile)) fs.rmSync(keyFile, { force: true });
  }
  return keyring;
}

/** For tests: forget what was probed, so a changed environment is looked at again. */
export function resetCredentialKeyProbe(): void {
  keyringReachable = undefined;
}

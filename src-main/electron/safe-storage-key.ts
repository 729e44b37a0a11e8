// The desktop app keeps the credentials key sealed with Electron's safeStorage
// (the OS keychain: Keychain on macOS, DPAPI on Windows, libsecret on Linux)
// in credentials.key.safe, and hands the unsealed key to the service's thread.
// Where the OS keyring is reachable from the command line too (secret-tool),
// the key stays there instead, so the CLI and the app share it; and with
// PORCHLIGHT_KEYRING=off it stays in the private file, as for the CLI.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { keyringAvailable, writePrivate } from '../service/credential-key.ts';

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
}

/** The key to give the service, or undefined to let it find its own (shared keyring, or the file). */
export async function safeStorageCredentialKey(safeStorage: SafeStorageLike, dataHome: string, env: NodeJS.ProcessEnv): Promise<Uint8Array | undefined> {
  if (env.PORCHLIGHT_KEYRING === 'off' || !safeStorage.isEncryptionAvailable() || (await keyringAvailable(env))) return undefined;
  const plainFile = path.join(dataHome, 'credentials.key');
  const sealedFile = path.join(dataHome, 'credentials.key.safe');
  if (fs.existsSync(sealedFile)) return Buffer.from(safeStorage.decryptString(fs.readFileSync(sealedFile)), 'base64');
  // First start: the CLI's key (if any) moves under safeStorage; else a new one.
  const key = fs.existsSync(plainFile) ? fs.readFileSync(plainFile) : randomBytes(32);
  writePrivate(sealedFile, safeStorage.encryptString(key.toString('base64')));
  if (Buffer.from(safeStorage.decryptString(fs.readFileSync(sealedFile)), 'base64').equals(key)) fs.rmSync(plainFile, { force: true });
  return key;
}

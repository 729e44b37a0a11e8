// Where the credentials key lives (issue 7): in the OS keyring when there is
// one (a real GNOME Keyring in a private D-Bus session, reached through
// libsecret's secret-tool), a key already in the file moved into it; in a
// 0600 file otherwise; and in the desktop app, sealed with Electron's
// safeStorage (its main thread, driven here by a stand-in for safeStorage: the
// Electron binary is not on this machine).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { safeStorageCredentialKey, type SafeStorageLike } from '../../src-main/electron/safe-storage-key.ts';
import { CredentialStore } from '../../src-main/service/credential-store.ts';

const CHILD = fileURLToPath(new URL('./keyring-child.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const have = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const keyringTools = have('secret-tool') && have('gnome-keyring-daemon') && have('dbus-run-session');

if (!keyringTools && process.env.PORCHLIGHT_REQUIRE_KEYRING === '1') {
  throw new Error('the keyring test needs secret-tool, gnome-keyring-daemon and dbus-run-session: apt-get install libsecret-tools gnome-keyring dbus');
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-key-'));

/** The child, with the keyring: in a D-Bus session of its own with an unlocked GNOME Keyring. */
function inKeyringSession(keyringHome: string, args: string[], env: Record<string, string> = {}): Record<string, unknown> {
  const script = `eval "$(printf unlock-pw | gnome-keyring-daemon --daemonize --unlock --components=secrets)" >/dev/null; exec node --import tsx ${CHILD} "$@"`;
  const out = execFileSync('dbus-run-session', ['--', 'bash', '-c', script, 'child', ...args], {
    cwd: REPO,
    env: { ...process.env, HOME: keyringHome, XDG_DATA_HOME: path.join(keyringHome, '.local/share'), PORCHLIGHT_KEYRING: '', ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 60_000,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
}

describe.skipIf(!keyringTools)('the credentials key in the OS keyring', () => {
  it('keeps the key in the keyring, not on disk, and moves a key from the file into it', () => {
    const keyringHome = tmp();
    const home = tmp();
    const first = inKeyringSession(keyringHome, [home, 'set', 'keyring-pass-1']);
    expect(first).toMatchObject({ password: 'keyring-pass-1', keyFile: false, jsonHasPassword: false, where: expect.stringContaining('OS keyring') });
    // A later process finds it there.
    expect(inKeyringSession(keyringHome, [home, 'get'])).toMatchObject({ password: 'keyring-pass-1', keyFile: false });

    // A data home whose key was in the file (the keyring was off): the first run with the keyring moves it in.
    const older = tmp();
    expect(inKeyringSession(keyringHome, [older, 'set', 'file-pass-2'], { PORCHLIGHT_KEYRING: 'off' })).toMatchObject({
      keyFile: true,
      where: path.join(older, 'credentials.key'),
    });
    expect(inKeyringSession(keyringHome, [older, 'get'])).toMatchObject({
      password: 'file-pass-2',
      keyFile: false,
      where: expect.stringContaining('OS keyring'),
    });
    // No file anywhere under either data home holds the password.
    for (const [dir, pw] of [
      [home, 'keyring-pass-1'],
      [older, 'file-pass-2'],
    ] as const) {
      for (const f of fs.readdirSync(dir)) expect(fs.readFileSync(path.join(dir, f)).includes(pw), f).toBe(false);
    }
  }, 120_000);
});

describe('the desktop app: the key sealed with safeStorage', () => {
  // A stand-in with safeStorage's contract: opaque bytes out, the string back.
  const fakeSafeStorage = (): SafeStorageLike & { sealed: number } => {
    const box = {
      sealed: 0,
      isEncryptionAvailable: () => true,
      encryptString: (plain: string) => {
        box.sealed++;
        return Buffer.from(`sealed:${Buffer.from(plain).toString('hex').split('').reverse().join('')}`);
      },
      decryptString: (sealed: Buffer) => Buffer.from(sealed.toString().slice('sealed:'.length).split('').reverse().join(''), 'hex').toString(),
    };
    return box;
  };
  const noKeyring = { PORCHLIGHT_KEYRING: '', DBUS_SESSION_BUS_ADDRESS: '' };

  it("moves the CLI's key under safeStorage, keeps no plain copy, and gives the same key on every start", async () => {
    const home = tmp();
    const store = new CredentialStore(path.join(home, 'credentials.json'));
    await store.set('default/repo-auth', { username: 'u', password: 'cli-pass' });
    const plain = fs.readFileSync(path.join(home, 'credentials.key'));
    const safe = fakeSafeStorage();
    const key = await safeStorageCredentialKey(safe, home, noKeyring);
    expect(Buffer.from(key!)).toEqual(plain);
    expect(fs.existsSync(path.join(home, 'credentials.key'))).toBe(false);
    expect(fs.readFileSync(path.join(home, 'credentials.key.safe')).includes(plain)).toBe(false);
    expect(Buffer.from((await safeStorageCredentialKey(safe, home, noKeyring))!)).toEqual(plain);
    expect(safe.sealed).toBe(1);
    // The CLI, which cannot open the keychain, says so and what to do.
    await expect(new CredentialStore(path.join(home, 'credentials.json')).get('default/repo-auth')).rejects.toThrow(
      /sealed with the desktop app's keychain .*PORCHLIGHT_KEYRING=off/,
    );
  });

  it('leaves the key where the CLI can share it when asked to', async () => {
    const home = tmp();
    expect(await safeStorageCredentialKey(fakeSafeStorage(), home, { PORCHLIGHT_KEYRING: 'off' })).toBeUndefined();
    expect(fs.existsSync(path.join(home, 'credentials.key.safe'))).toBe(false);
  });
});

// Git credentials, kept apart from the database (which holds only the
// secret's name, as Porch's Repository holds a secretRef), and never written
// in plain text: each entry is sealed with AES-256-GCM under a random key. The
// key lives where credential-key.ts says: with the desktop app's safeStorage,
// in the OS keyring, or in a file readable by this user only.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PorchlightError } from '../../src-shared/errors.ts';
import type { BasicAuth } from '../git/credentials.ts';
import { credentialKeyVault, writePrivate, type KeyVault } from './credential-key.ts';

interface Sealed {
  iv: string;
  tag: string;
  data: string;
}

type Stored = { version: 2; entries: Record<string, Sealed> };

export class CredentialStore {
  private readonly keyFile: string;
  private vault?: Promise<KeyVault>;

  constructor(private readonly file: string) {
    this.keyFile = file.replace(/\.json$/, '') + '.key';
  }

  private async key(create: boolean): Promise<Buffer | undefined> {
    this.vault ??= credentialKeyVault(this.keyFile);
    const vault = await this.vault;
    const key = await vault.load();
    if (key) {
      if (key.length !== 32) throw new PorchlightError('INTERNAL', `the credentials key in ${vault.where} is not one (expected 32 bytes); remove it to start over, and register the repositories' credentials again`);
      return key;
    }
    if (!create) return undefined;
    const fresh = randomBytes(32);
    await vault.save(fresh);
    return fresh;
  }

  private async read(): Promise<Record<string, BasicAuth>> {
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(this.file, 'utf8'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw e;
    }
    const stored = raw as Partial<Stored>;
    // Version 1 kept entries in the clear; they are read once and sealed on the next write.
    if (stored.version !== 2) return raw as Record<string, BasicAuth>;
    const key = await this.key(false);
    if (!key && fs.existsSync(`${this.keyFile}.safe`)) {
      throw new PorchlightError(
        'FAILED_PRECONDITION',
        `the stored Git credentials are sealed with the desktop app's keychain (Electron safeStorage, ${this.keyFile}.safe), which a command line cannot open; do this in the app, or start the app once with PORCHLIGHT_KEYRING=off to keep the key in a file the CLI can read`,
      );
    }
    if (!key) throw new PorchlightError('INTERNAL', `the credentials key (${(await this.vault!).where}) is missing, so the stored credentials cannot be read; register the repositories' credentials again`);
    return Object.fromEntries(
      Object.entries(stored.entries ?? {}).map(([name, s]) => {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(s.iv, 'base64'));
        decipher.setAuthTag(Buffer.from(s.tag, 'base64'));
        const plain = Buffer.concat([decipher.update(Buffer.from(s.data, 'base64')), decipher.final()]);
        return [name, JSON.parse(plain.toString('utf8')) as BasicAuth];
      }),
    );
  }

  private async write(secrets: Record<string, BasicAuth>): Promise<void> {
    const key = (await this.key(true))!;
    const entries: Record<string, Sealed> = {};
    for (const [name, auth] of Object.entries(secrets)) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(JSON.stringify(auth), 'utf8'), cipher.final()]);
      entries[name] = { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    }
    writePrivate(this.file, JSON.stringify({ version: 2, entries } satisfies Stored));
  }

  async get(name: string | undefined): Promise<BasicAuth | undefined> {
    return name ? (await this.read())[name] : undefined;
  }

  async set(name: string, auth: BasicAuth): Promise<void> {
    await this.write({ ...(await this.read()), [name]: auth });
  }

  async delete(name: string): Promise<void> {
    const secrets = await this.read();
    if (!(name in secrets)) return;
    delete secrets[name];
    await this.write(secrets);
  }
}

// Git credentials, kept apart from the database (which holds only the
// secret's name, as Porch's Repository holds a secretRef), and never written
// in plain text: each entry is sealed with AES-256-GCM under a random key. The
// key lives where credential-key.ts says: with the desktop app's safeStorage,
// in the OS keyring, or in a file readable by this user only.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { failedPrecondition, PorchlightError } from '../../src-shared/errors.ts';
import type { BasicAuth } from '../git/credentials.ts';
import { credentialKeyVault, writePrivate, type KeyVault } from './credential-key.ts';

interface Sealed {
  iv: string;
  tag: string;
  data: string;
}

type Stored = { version: 2; entries: Record<string, Sealed> };

/** A secret and the address (scheme://host:port) it may be sent to, sealed together. */
type Secret = BasicAuth & { origin?: string };

/** scheme://host[:port] of a URL, the default port left out: what a secret is bound to. */
export function originOf(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
}

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
      if (key.length !== 32)
        throw new PorchlightError(
          'INTERNAL',
          `the credentials key in ${vault.where} is not one (expected 32 bytes); remove it to start over, and register the repositories' credentials again`,
        );
      return key;
    }
    if (!create) return undefined;
    const fresh = randomBytes(32);
    await vault.save(fresh);
    return fresh;
  }

  private async read(): Promise<Record<string, Secret>> {
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(this.file, 'utf8'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw e;
    }
    const stored = raw as Partial<Stored>;
    // Version 1 kept entries in the clear; they are read once and sealed on the next write.
    if (stored.version !== 2) return raw as Record<string, Secret>;
    const key = await this.key(false);
    if (!key && fs.existsSync(`${this.keyFile}.safe`)) {
      throw new PorchlightError(
        'FAILED_PRECONDITION',
        `the stored Git credentials are sealed with the desktop app's keychain (Electron safeStorage, ${this.keyFile}.safe), which a command line cannot open; do this in the app, or start the app once with PORCHLIGHT_KEYRING=off to keep the key in a file the CLI can read`,
      );
    }
    if (!key)
      throw new PorchlightError(
        'INTERNAL',
        `the credentials key (${(await this.vault!).where}) is missing, so the stored credentials cannot be read; register the repositories' credentials again`,
      );
    return Object.fromEntries(
      Object.entries(stored.entries ?? {}).map(([name, s]) => {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(s.iv, 'base64'));
        decipher.setAuthTag(Buffer.from(s.tag, 'base64'));
        const plain = Buffer.concat([decipher.update(Buffer.from(s.data, 'base64')), decipher.final()]);
        return [name, JSON.parse(plain.toString('utf8')) as Secret];
      }),
    );
  }

  private async write(secrets: Record<string, Secret>): Promise<void> {
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

  /** The secret whatever its address: for what is not sent over the network by Git (the database's password). */
  async get(name: string | undefined): Promise<BasicAuth | undefined> {
    const secret = name ? (await this.read())[name] : undefined;
    return secret && { username: secret.username, password: secret.password };
  }

  /** Stores a secret bound to `origin` (originOf the address it was given for). */
  async set(name: string, auth: BasicAuth, origin?: string): Promise<void> {
    await this.write({ ...(await this.read()), [name]: { username: auth.username, password: auth.password, ...(origin ? { origin } : {}) } });
  }

  /**
   * The secret `name` for a request to `url`, only if `url` is on the address
   * it is bound to. A secret stored before secrets were bound is bound on first
   * use to `ownerUrl()`, the address of the repository that names it.
   */
  async getFor(name: string, url: string, ownerUrl: () => Promise<string | undefined>): Promise<BasicAuth | undefined> {
    const secrets = await this.read();
    const secret = secrets[name];
    if (!secret) return undefined;
    let origin = secret.origin;
    if (!origin) {
      const owner = await ownerUrl();
      if (!owner) {
        throw failedPrecondition(
          `the credentials "${name}" were stored before Porchlight tied credentials to an address, and no registered repository names them, so they are not sent anywhere; register the repository again with its credentials`,
          { secret: name },
        );
      }
      origin = originOf(owner);
      await this.write({ ...secrets, [name]: { ...secret, origin } });
    }
    const wanted = originOf(url);
    if (wanted !== origin) {
      throw failedPrecondition(
        `the credentials "${name}" belong to ${origin}, the address they were registered for, and are not sent to ${wanted}; ` +
          `use the credentials of a repository registered at ${wanted}, or register it with its own (repo register --repo-basic-username)`,
        { secret: name, origin, refused: wanted },
      );
    }
    return { username: secret.username, password: secret.password };
  }

  async delete(name: string): Promise<void> {
    const secrets = await this.read();
    if (!(name in secrets)) return;
    delete secrets[name];
    await this.write(secrets);
  }
}

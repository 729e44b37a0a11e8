// Git credentials, kept apart from the database (which holds only the
// secret's name, as Porch's Repository holds a secretRef), and never written
// in plain text: each entry is sealed with AES-256-GCM under a random key in a
// separate file. Both files are readable by this user only. The key on disk
// keeps secrets out of backups, greps and screen shares, not from someone who
// can read the user's files; the desktop app's next step is to keep the key in
// the OS keychain (Electron's safeStorage).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PorchlightError } from '../../src-shared/errors.ts';
import type { BasicAuth } from '../git/credentials.ts';

interface Sealed {
  iv: string;
  tag: string;
  data: string;
}

type Stored = { version: 2; entries: Record<string, Sealed> };

function writePrivate(file: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Write a private temp file and rename it over the old one: never a moment
  // where the file is readable by others, or half written.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

export class CredentialStore {
  private readonly keyFile: string;

  constructor(private readonly file: string) {
    this.keyFile = file.replace(/\.json$/, '') + '.key';
  }

  private key(create: boolean): Buffer | undefined {
    try {
      const key = fs.readFileSync(this.keyFile);
      if (key.length !== 32) throw new PorchlightError('INTERNAL', `${this.keyFile} is not a credentials key (expected 32 bytes); move it away to start over, and register the repositories' credentials again`);
      return key;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      if (!create) return undefined;
      const key = randomBytes(32);
      writePrivate(this.keyFile, key);
      return key;
    }
  }

  private read(): Record<string, BasicAuth> {
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
    const key = this.key(false);
    if (!key) throw new PorchlightError('INTERNAL', `the credentials key ${this.keyFile} is missing, so the stored credentials cannot be read; register the repositories' credentials again`);
    return Object.fromEntries(
      Object.entries(stored.entries ?? {}).map(([name, s]) => {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(s.iv, 'base64'));
        decipher.setAuthTag(Buffer.from(s.tag, 'base64'));
        const plain = Buffer.concat([decipher.update(Buffer.from(s.data, 'base64')), decipher.final()]);
        return [name, JSON.parse(plain.toString('utf8')) as BasicAuth];
      }),
    );
  }

  private write(secrets: Record<string, BasicAuth>): void {
    const key = this.key(true)!;
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
    return name ? this.read()[name] : undefined;
  }

  async set(name: string, auth: BasicAuth): Promise<void> {
    this.write({ ...this.read(), [name]: auth });
  }

  async delete(name: string): Promise<void> {
    const secrets = this.read();
    if (!(name in secrets)) return;
    delete secrets[name];
    this.write(secrets);
  }
}

// Git credentials, kept apart from the database: a file only this user can read,
// next to the data directory. The database holds only the secret's name, as
// Porch's Repository holds a secretRef. (Electron's safeStorage and the OS keyring
// come with the desktop app.)
import fs from 'node:fs';
import path from 'node:path';
import type { BasicAuth } from '../git/credentials.ts';

type Secrets = Record<string, BasicAuth>;

export class CredentialStore {
  constructor(private readonly file: string) {}

  private read(): Secrets {
    try {
      return JSON.parse(fs.readFileSync(this.file, 'utf8')) as Secrets;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw e;
    }
  }

  private write(secrets: Secrets): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    // Write a private temp file and rename it over the old one: never a moment
    // where the secrets are readable by others, or half written.
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(secrets), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
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

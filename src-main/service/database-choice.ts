// Which database the next start opens, as chosen in the settings screen:
// the embedded PGlite directory or a PostgreSQL a team shares. --db and
// PORCHLIGHT_DB still win (a command line says what it means). The URL is kept
// in settings.json without its password; the password goes to the sealed
// credential store, like Git credentials.
import fs from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../../src-shared/errors.ts';
import { redactUrl } from '../git/http-client.ts';
import { CredentialStore, originOf } from './credential-store.ts';
import { checkSslFiles } from '../db/test-postgres.ts';

export type DatabaseChoice = { kind: 'pglite' } | { kind: 'postgres'; url: string };

const CREDENTIAL = 'porchlight/database';

interface SettingsFile {
  database?: { kind: 'pglite' } | { kind: 'postgres'; url: string };
}

const settingsFile = (dataHome: string) => path.join(dataHome, 'settings.json');
const credentials = (dataHome: string) => new CredentialStore(path.join(dataHome, 'credentials.json'));

function readSettings(dataHome: string): SettingsFile {
  try {
    return JSON.parse(fs.readFileSync(settingsFile(dataHome), 'utf8')) as SettingsFile;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw invalidArgument(`${settingsFile(dataHome)} is not valid JSON (${(e as Error).message}); fix it or delete it to go back to the defaults`);
  }
}

/** The saved choice as a --db value (a postgres:// URL with its password), or undefined for the default directory. */
export async function savedDatabase(dataHome: string): Promise<string | undefined> {
  const choice = readSettings(dataHome).database;
  if (choice?.kind !== 'postgres') return undefined;
  const url = new URL(choice.url);
  const auth = await credentials(dataHome).get(CREDENTIAL);
  if (auth) {
    url.username = encodeURIComponent(auth.username);
    url.password = encodeURIComponent(auth.password);
  }
  return url.toString();
}

/** Saves the choice for the next start; the password never reaches settings.json. */
export async function saveDatabaseChoice(dataHome: string, choice: DatabaseChoice): Promise<void> {
  const store = credentials(dataHome);
  const settings = readSettings(dataHome);
  if (choice.kind === 'pglite') {
    settings.database = { kind: 'pglite' };
    await store.delete(CREDENTIAL);
  } else {
    const url = new URL(choice.url);
    const username = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    url.username = '';
    url.password = '';
    if (username || password) await store.set(CREDENTIAL, { username, password }, originOf(choice.url));
    else await store.delete(CREDENTIAL);
    settings.database = { kind: 'postgres', url: url.toString() };
  }
  fs.mkdirSync(dataHome, { recursive: true, mode: 0o700 });
  const tmp = `${settingsFile(dataHome)}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(settings, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, settingsFile(dataHome));
}

/** What the settings screen shows of a choice: never the password. */
export function describeChoice(dataHome: string, choice: string | undefined): { kind: 'pglite' | 'postgres'; location: string } {
  if (choice && /^postgres(ql)?:\/\//i.test(choice)) return { kind: 'postgres', location: redactUrl(choice) };
  return { kind: 'pglite', location: choice ?? path.join(dataHome, 'db') };
}

/** The --db value a front door opens: --db, else PORCHLIGHT_DB, else the saved choice, else the default directory. */
export async function databaseToOpen(
  dataHome: string,
  explicit: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ db?: string; overriddenBy?: string }> {
  if (explicit?.trim()) return { db: explicit, overriddenBy: '--db' };
  if (env.PORCHLIGHT_DB?.trim()) return { db: env.PORCHLIGHT_DB, overriddenBy: 'PORCHLIGHT_DB' };
  return { db: await savedDatabase(dataHome) };
}

/** The settings screen's database part, for a service that opened `opened`. */
export function databaseSettings(dataHome: string, opened: { db?: string; overriddenBy?: string }) {
  const info = async () => {
    const database = describeChoice(dataHome, opened.db);
    const next = opened.overriddenBy ? database : describeChoice(dataHome, await savedDatabase(dataHome));
    return {
      dataHome,
      database,
      ...(next.kind !== database.kind || next.location !== database.location ? { next } : {}),
      ...(opened.overriddenBy ? { overriddenBy: opened.overriddenBy } : {}),
    };
  };
  return {
    info,
    async setDatabase(choice: DatabaseChoice) {
      if (opened.overriddenBy)
        throw invalidArgument(`the database is set by ${opened.overriddenBy}, which wins over the settings; start Porchlight without it to use a saved choice`);
      // The next start reads the SSL files the URL names: only ones the user may have given here.
      if (choice.kind === 'postgres') checkSslFiles(choice.url, { dataHome });
      await saveDatabaseChoice(dataHome, choice);
      return info();
    },
  };
}

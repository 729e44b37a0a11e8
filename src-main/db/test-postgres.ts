// The settings screen's connection test: can this machine reach that
// PostgreSQL with those credentials? One short connection, nothing written,
// and the password never appears in the answer.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { invalidArgument, PorchlightError } from '../../src-shared/errors.ts';
import { redactUrl } from '../git/http-client.ts';

/** URL parameters pg reads a file for (pg-connection-string). */
const SSL_FILE_PARAMETERS = ['sslrootcert', 'sslcert', 'sslkey'];

/** The files a URL from the window may name: under the data home, or chosen with the file picker. */
export interface SslFileScope {
  dataHome?: string;
  picked?: readonly string[];
}

export async function testPostgres(url: string, scope: SslFileScope = {}, timeoutMs = 5_000): Promise<{ serverVersion: string }> {
  checkSslFiles(url, scope);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  try {
    await client.connect();
    const res = await client.query<{ server_version: string }>('SHOW server_version');
    return { serverVersion: res.rows[0]?.server_version ?? 'unknown' };
  } catch (e) {
    throw new PorchlightError('UNAVAILABLE', `cannot use PostgreSQL at ${redactUrl(url)}: ${(e as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * A URL from the window or the API must not make this process read any file
 * it names (pg reads sslrootcert, sslcert and sslkey as it parses the URL):
 * only files under the data home or picked by the user. A path outside is
 * refused before it is touched, so the answer never tells whether it exists.
 */
export function checkSslFiles(url: string, scope: SslFileScope): void {
  const named = sslFilesOf(url);
  if (!named.length) return;
  const home = scope.dataHome ? realOrNothing(scope.dataHome) : undefined;
  const picked = new Set((scope.picked ?? []).flatMap((p) => [path.resolve(p), realOrNothing(p) ?? path.resolve(p)]));
  for (const { parameter, file } of named) {
    const refuse = () =>
      invalidArgument(
        `${parameter} names a file that is neither in Porchlight's data home${home ? ` (${home})` : ''} nor chosen with the file picker, and Porchlight reads no other file for a URL given here; ` +
          `${home ? `copy the file into ${path.join(home, 'certs')} and name it there` : 'choose the file with the picker'}, or give the URL with --db on the command line`,
        { parameter },
      );
    const lexical = path.resolve(file);
    const inHome = home !== undefined && isInside(lexical, home);
    if (!inHome && !picked.has(lexical)) throw refuse();
    // Inside by name; a symbolic link out of the data home is refused too.
    const real = realOrNothing(lexical);
    if (real === undefined) throw invalidArgument(`${parameter}: there is no file ${lexical} in the data home; put the file there first`, { parameter });
    if (!(home !== undefined && isInside(real, home)) && !picked.has(real)) throw refuse();
  }
}

function sslFilesOf(url: string): { parameter: string; file: string }[] {
  if (!URL.canParse(url)) {
    // pg retries a URL it cannot parse with a dummy host; refuse rather than guess what it will read.
    if (SSL_FILE_PARAMETERS.some((p) => url.toLowerCase().includes(p)))
      throw invalidArgument('the PostgreSQL URL does not parse, and it names SSL files; give a valid URL');
    return [];
  }
  const params = new URL(url).searchParams;
  return SSL_FILE_PARAMETERS.flatMap((parameter) =>
    params
      .getAll(parameter)
      .filter(Boolean)
      .map((file) => ({ parameter, file })),
  );
}

function realOrNothing(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}

const isInside = (p: string, dir: string) => {
  const rel = path.relative(dir, p);
  return rel !== '' && rel.split(path.sep)[0] !== '..' && !path.isAbsolute(rel);
};

// The settings screen's connection test: can this machine reach that
// PostgreSQL with those credentials? One short connection, nothing written,
// and the password never appears in the answer.
import pg from 'pg';
import { PorchlightError } from '../../src-shared/errors.ts';
import { redactUrl } from '../git/http-client.ts';

export async function testPostgres(url: string, timeoutMs = 5_000): Promise<{ serverVersion: string }> {
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

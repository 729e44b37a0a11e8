// Fresh PostgreSQL databases for benchmarks, created and dropped through an
// admin URL (PORCHLIGHT_BENCH_PG_URL, else PORCHLIGHT_TEST_PG_URL).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export function benchAdminUrl(): string {
  return (process.env.PORCHLIGHT_BENCH_PG_URL ?? process.env.PORCHLIGHT_TEST_PG_URL ?? '').trim();
}

export type EngineKind = 'pglite' | 'postgres';

/**
 * The engines an `--engine pglite|postgres|both` flag asks for (both by
 * default when an admin URL is set), or the message to refuse it with. A run
 * without PostgreSQL says so in `warning`, in the results as on the screen.
 */
export function benchEngines(flag: string | undefined, adminUrl: string): { engines: EngineKind[]; warning?: string } | { error: string } {
  let engines: EngineKind[];
  if (flag === 'pglite' || flag === 'postgres') engines = [flag];
  else if (flag === undefined || flag === 'both') engines = adminUrl ? ['pglite', 'postgres'] : ['pglite'];
  else return { error: `--engine must be pglite, postgres or both, not "${flag}"` };
  if (engines.includes('postgres') && !adminUrl) {
    return { error: '--engine postgres needs PORCHLIGHT_BENCH_PG_URL (or PORCHLIGHT_TEST_PG_URL): an admin URL to create databases with' };
  }
  return engines.includes('postgres') ? { engines } : { engines, warning: 'PostgreSQL NOT MEASURED: set PORCHLIGHT_BENCH_PG_URL (or PORCHLIGHT_TEST_PG_URL)' };
}

/** A fresh PostgreSQL database per use, created and dropped through the admin URL. */
export class PgDatabases {
  private readonly created: string[] = [];
  constructor(readonly adminUrl: string) {}

  private async admin(sql: string): Promise<string[]> {
    const client = new pg.Client({ connectionString: this.adminUrl, connectionTimeoutMillis: 10_000 });
    await client.connect();
    try {
      const res = await client.query(sql);
      return res.rows.map((r: Record<string, unknown>) => String(Object.values(r)[0]));
    } finally {
      await client.end();
    }
  }

  async version(): Promise<string> {
    return (await this.admin('SHOW server_version'))[0] ?? 'unknown';
  }

  /** Returns the URL of a new, empty database. The name is hex only, so quoting it is safe. */
  async create(): Promise<{ name: string; url: string }> {
    const name = `porchlight_bench_${randomBytes(6).toString('hex')}`;
    await this.admin(`CREATE DATABASE "${name}"`);
    this.created.push(name);
    const url = new URL(this.adminUrl);
    url.pathname = `/${name}`;
    return { name, url: url.toString() };
  }

  async drop(name: string): Promise<void> {
    await this.admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    const i = this.created.indexOf(name);
    if (i >= 0) this.created.splice(i, 1);
  }

  async dropAll(): Promise<void> {
    for (const name of [...this.created]) await this.drop(name).catch(() => {});
  }
}

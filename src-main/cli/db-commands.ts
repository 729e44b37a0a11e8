// porchlight db backup|restore: the whole database (every draft, proposal and
// cached revision) to one file and back. The database is the one every other
// command opens (--db, PORCHLIGHT_DB, else the one chosen in the settings).
import type { Command } from 'commander';
import { formatBytes } from '../../src-shared/format-bytes.ts';
import { backupDatabase, restoreDatabase } from '../db/backup.ts';
import { redactUrl } from '../db/postgres-driver.ts';
import { resolveDatabaseTarget, resolveDataHome, type DatabaseTarget } from '../db/open-database.ts';
import { databaseToOpen } from '../service/database-choice.ts';
import type { CliContext } from './cli-context.ts';
import type { BackgroundMigrationStatus } from '../db/background-migrations.ts';
import { formatJson, formatTable } from './printers.ts';

async function targetOf(ctx: CliContext, cmd: Command): Promise<DatabaseTarget> {
  const dataHome = resolveDataHome(ctx.io.env);
  const { db } = await databaseToOpen(dataHome, cmd.optsWithGlobals().db as string | undefined, ctx.io.env);
  return resolveDatabaseTarget({ db, env: ctx.io.env, dataHome });
}

const describe = (t: DatabaseTarget) => (t.kind === 'pglite' ? t.dir : redactUrl(t.url));

export function addDbCommands(program: Command, ctx: CliContext): void {
  const db = program.command('db').description('Back up and restore the database: drafts exist nowhere else until they are approved.');

  db.command('backup')
    .description('Write the whole database to FILE (PGlite: a gzipped copy of the data directory; PostgreSQL: pg_dump custom format).')
    .argument('<file>', 'where to write the backup (readable by you only)')
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const target = await targetOf(ctx, cmd);
      const r = await backupDatabase(target, file);
      ctx.io.stdout(`backed up ${describe(target)} to ${r.file} (${r.format}, ${formatBytes(r.bytes)})\n`);
    });

  db.command('migrations')
    .description('Background migrations: data changes done in batches after an upgrade, with their progress (--run finishes them now).')
    .option('--run', 'run what is left now, showing progress, instead of waiting for an idle moment in the app', false)
    .option('-o, --output <format>', 'json, or the default table')
    .action(async (o: { run: boolean; output?: string }) => {
      const service = await ctx.open();
      const show = process.stderr.isTTY ? (s: BackgroundMigrationStatus) => ctx.io.stderr(`\r\x1b[K${s.name}: ${s.percent}% (${s.rowsDone} rows)`) : undefined;
      const statuses = o.run ? await service.runBackgroundMigrations(show) : await service.backgroundMigrations();
      if (show && o.run) ctx.io.stderr('\r\x1b[K');
      if (o.output === 'json') return ctx.io.stdout(formatJson(statuses));
      ctx.io.stdout(
        formatTable(
          ['NAME', 'STATUS', 'PROGRESS', 'ROWS', 'WHAT'],
          statuses.map((s) => [
            s.name,
            s.status,
            `${s.percent}%`,
            `${s.rowsDone}${s.rowsTotal !== undefined ? `/${s.rowsTotal}` : ''}`,
            s.error ? `${s.description} (failed: ${s.error})` : s.description,
          ]),
        ),
      );
    });

  db.command('restore')
    .description('Replace the database with the backup in FILE, then bring it up to this release. PGlite keeps the replaced directory aside.')
    .argument('<file>', 'a file written by "porchlight db backup"')
    .option('--replace', 'PostgreSQL: replace a database that already holds Porchlight data', false)
    .action(async (file: string, o: { replace: boolean }, cmd: Command) => {
      const target = await targetOf(ctx, cmd);
      const r = await restoreDatabase(target, file, { replace: o.replace });
      ctx.io.stdout(
        `restored ${file} into ${describe(target)}` +
          (r.migrated ? `, upgraded by ${r.migrated} migration(s)` : '') +
          (r.replacedDir ? `; the previous database is kept in ${r.replacedDir}` : '') +
          '\n',
      );
    });
}

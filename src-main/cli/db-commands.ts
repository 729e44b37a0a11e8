// porchlight db backup|restore|migrations: the whole database (every draft,
// proposal and cached revision) to one file and back, and the background
// migrations. The database is the one every other command opens (--db,
// PORCHLIGHT_DB, else the one chosen in the settings).
import type { Command } from 'commander';
import type { BackgroundMigrationView, ServiceEvent } from '../../src-shared/contract.ts';
import { formatBytes } from '../../src-shared/format-bytes.ts';
import type { CliContext } from './cli-context.ts';
import { formatJson, formatTable } from './printers.ts';

/** The database's files, which a backup and a restore work on directly. */
async function localDatabaseOf(ctx: CliContext, cmd: Command) {
  const { localDatabase } = await import('../host/in-process-service.ts');
  return localDatabase({ env: ctx.io.env, db: cmd.optsWithGlobals().db as string | undefined });
}

export function addDbCommands(program: Command, ctx: CliContext): void {
  const db = program.command('db').description('Back up and restore the database: drafts exist nowhere else until they are approved.');

  db.command('backup')
    .description('Write the whole database to FILE (PGlite: a gzipped copy of the data directory; PostgreSQL: pg_dump custom format).')
    .argument('<file>', 'where to write the backup (readable by you only)')
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const database = await localDatabaseOf(ctx, cmd);
      const r = await database.backup(file);
      ctx.io.stdout(`backed up ${database.location} to ${r.file} (${r.format}, ${formatBytes(r.bytes)})\n`);
    });

  db.command('migrations')
    .description('Background migrations: data changes done in batches after an upgrade, with their progress (--run finishes them now).')
    .option('--run', 'run what is left now, showing progress, instead of waiting for an idle moment in the app', false)
    .option('-o, --output <format>', 'json, or the default table')
    .action(async (o: { run: boolean; output?: string }) => {
      const service = await ctx.client();
      const show = (s: BackgroundMigrationView) => ctx.io.stderr(`\r\x1b[K${s.name}: ${s.percent}% (${s.rowsDone} rows)`);
      const onEvent = process.stderr.isTTY ? (e: ServiceEvent) => e.type === 'migration.progress' && show(e.migration) : undefined;
      const statuses = o.run
        ? await service.call('database.runBackgroundMigrations', {}, { onEvent })
        : await service.call('database.backgroundMigrations', {});
      if (onEvent && o.run) ctx.io.stderr('\r\x1b[K');
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
      const database = await localDatabaseOf(ctx, cmd);
      const r = await database.restore(file, { replace: o.replace });
      ctx.io.stdout(
        `restored ${file} into ${database.location}` +
          (r.migrated ? `, upgraded by ${r.migrated} migration(s)` : '') +
          (r.replacedDir ? `; the previous database is kept in ${r.replacedDir}` : '') +
          '\n',
      );
    });
}

// Background migrations: data changes over many rows done in batches after an
// upgrade (db/background-migrations.ts), and how far each is.
import { backgroundMigrations, runBackgroundMigrations } from '../../db/background-migrations.ts';
import type { Operations } from './operation.ts';

export const databaseOperations: Operations<'database.backgroundMigrations' | 'database.runBackgroundMigrations'> = {
  'database.backgroundMigrations': (ctx) => backgroundMigrations(ctx.db),
  'database.runBackgroundMigrations': (ctx) =>
    runBackgroundMigrations(ctx.db, { onProgress: (migration) => ctx.emit({ type: 'migration.progress', migration }) }),
};

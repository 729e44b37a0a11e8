// The service opened in this process, for one command, when no service runs:
// the database chosen as the window chooses it, the same dispatcher as every
// door, and no background work (no schedules, no cleanup worker, no upkeep).
// Lives in host/ so the CLI itself imports nothing from db/ or cache/; loaded only when needed.
import { PorchlightError } from '../../src-shared/errors.ts';
import type { ServiceEvent } from '../../src-shared/contract.ts';
import { backupDatabase, restoreDatabase, type BackupResult, type RestoreResult } from '../db/backup.ts';
import { openDatabase, resolveDatabaseTarget, resolveDataHome, type DatabaseTarget } from '../db/open-database.ts';
import { redactUrl } from '../db/postgres-driver.ts';
import { databaseToOpen } from '../service/database-choice.ts';
import { openService } from '../service/service.ts';
import type { ServiceClient } from '../../src-shared/service-client.ts';

export interface InProcessOptions {
  env: NodeJS.ProcessEnv;
  /** --db, if given. */
  db?: string;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export async function openInProcessClient(opts: InProcessOptions): Promise<ServiceClient> {
  const dataHome = resolveDataHome(opts.env);
  // The CLI opens what the window opens: --db, PORCHLIGHT_DB, else the database chosen in the settings.
  const { db: target } = await databaseToOpen(dataHome, opts.db, opts.env);
  const db = await openDatabase({ db: target, env: opts.env, dataHome });
  const service = openService({ db, dataHome, log: opts.log });
  return {
    async call(channel, request, callOpts) {
      const off = callOpts?.onEvent ? service.onEvent((e: ServiceEvent) => callOpts.onEvent!(e)) : undefined;
      try {
        const answer = await service.dispatch(channel, request);
        if (!answer.ok) throw new PorchlightError(answer.error.code, answer.error.message, answer.error.data);
        return answer.value as never;
      } finally {
        off?.();
      }
    },
    close: () => service.close(),
  };
}

/** The database file itself, for a backup or a restore: never through a service, which would hold it open. */
export interface LocalDatabase {
  /** Where it is, with no password. */
  readonly location: string;
  backup(file: string): Promise<BackupResult>;
  restore(file: string, opts: { replace: boolean }): Promise<RestoreResult>;
}

export async function localDatabase(opts: Omit<InProcessOptions, 'log'>): Promise<LocalDatabase> {
  const dataHome = resolveDataHome(opts.env);
  const { db } = await databaseToOpen(dataHome, opts.db, opts.env);
  const target: DatabaseTarget = resolveDatabaseTarget({ db, env: opts.env, dataHome });
  return {
    location: target.kind === 'pglite' ? target.dir : redactUrl(target.url),
    backup: (file) => backupDatabase(target, file),
    restore: (file, o) => restoreDatabase(target, file, o),
  };
}

// Which door each command goes through: before its action runs, the CLI
// looks for a service holding the data home (remote-client.ts) and, when one
// runs, refuses the commands that need the database closed, saying what to do.
import type { Command } from 'commander';
import { PorchlightError } from '../../src-shared/errors.ts';
import { resolveDataHome } from '../host/data-home.ts';
import { liveRecord, sameDatabase } from '../host/socket-record.ts';
import type { CliContext } from './cli-context.ts';
import { connectToService, databaseTheCliOpens } from './remote-client.ts';

/** Commands that work on the database's files and need it closed: refused, saying so, while a service holds it. */
const NEEDS_DATABASE_CLOSED = new Set(['db restore']);

/** "rpkg approve": the command's words as commander's tree names them, never its arguments (which may hold a password). */
export function commandWords(action: Command): string {
  const words: string[] = [];
  for (let c: Command | null = action; c?.parent; c = c.parent) words.unshift(c.name());
  return words.join(' ');
}

/**
 * Run before each command's action: its calls go to the service holding the
 * data home when one runs (ctx.client() asks connectRemote first), and a
 * command that needs the database closed is refused beside one.
 */
export function useRunningService(ctx: CliContext, action: Command): void {
  const words = commandWords(action);
  const env = ctx.io.env;
  const dataHome = resolveDataHome(env);
  if (NEEDS_DATABASE_CLOSED.has(words)) {
    const record = liveRecord(dataHome);
    if (record && sameDatabase(record.database, databaseTheCliOpens(dataHome, ctx.dbOption(), env))) throw needsClosed(words, record.pid);
  }
  ctx.connectRemote = () => connectToService({ dataHome, db: ctx.dbOption(), env, command: words });
}

/** A lock error met while a service holds the data home (a backup of its PGlite directory, say) says what to do about it. */
export function explainServiceLock(e: unknown, ctx: CliContext, action: string | undefined): unknown {
  if ((e as { code?: unknown })?.code !== 'DB_LOCKED') return e;
  const record = liveRecord(resolveDataHome(ctx.io.env));
  return record ? needsClosed(action ?? 'this command', record.pid) : e;
}

const needsClosed = (words: string, pid: number) =>
  new PorchlightError(
    'FAILED_PRECONDITION',
    `the Porchlight service (pid ${pid}) holds this database, and "${words}" needs it closed: stop the service first with "porchlight service stop" (or close its window), then run this again`,
    { pid },
  );

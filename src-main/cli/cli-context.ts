// What every command needs: a client of the service, and the streams to
// write to. A running service is asked first (connectRemote); without one, the
// service opens in this process for the command. Opening is lazy, so `--help`
// never touches a database.
import type { ServiceClient } from '../../src-shared/service-client.ts';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** All of stdin, for a secret piped in (defaults to the process's stdin). */
  stdin?: () => Promise<string>;
}

export class CliContext {
  private opened?: Promise<ServiceClient>;
  /** The running service of this data home, if there is one (the local socket); undefined: none runs. */
  connectRemote?: () => Promise<ServiceClient | undefined>;
  /** Set by a command whose outcome is an exit code other than 0 without an error (`service status`: 3 when none runs). */
  exitCode?: number;

  constructor(
    readonly io: CliIo,
    /** --db, once the program has parsed it. */
    readonly dbOption: () => string | undefined,
  ) {}

  client(): Promise<ServiceClient> {
    this.opened ??= (async () => {
      const remote = await this.connectRemote?.();
      if (remote) return remote;
      // Loaded only here: a command a running service answers never loads the database drivers or Git.
      const { openInProcessClient } = await import('../host/in-process-service.ts');
      const log = this.io.env.PORCHLIGHT_LOG ? (m: string, f?: Record<string, unknown>) => this.io.stderr(`${m} ${JSON.stringify(f ?? {})}\n`) : undefined;
      return openInProcessClient({ env: this.io.env, db: this.dbOption(), log });
    })();
    return this.opened;
  }

  /** Lets go of the service; safe to call twice (`demo --serve` hands the database on before the end). */
  async close(): Promise<void> {
    const opened = this.opened;
    this.opened = undefined;
    if (opened) await (await opened).close();
  }
}

// What every command needs: the service over the database the user chose, and
// the streams to write to. Opening is lazy, so `--help` never touches a database.
import { openDatabase, resolveDataHome } from '../db/open-database.ts';
import { databaseToOpen } from '../service/database-choice.ts';
import { PorchlightService } from '../service/porchlight-service.ts';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** All of stdin, for a secret piped in (defaults to the process's stdin). */
  stdin?: () => Promise<string>;
}

export class CliContext {
  private service?: Promise<PorchlightService>;

  constructor(
    readonly io: CliIo,
    private readonly dbOption: () => string | undefined,
  ) {}

  open(): Promise<PorchlightService> {
    this.service ??= (async () => {
      const dataHome = resolveDataHome(this.io.env);
      // The CLI opens what the window opens: --db, PORCHLIGHT_DB, else the database chosen in the settings.
      const { db: target } = await databaseToOpen(dataHome, this.dbOption(), this.io.env);
      const db = await openDatabase({ db: target, env: this.io.env, dataHome });
      return new PorchlightService({
        db,
        dataHome,
        log: this.io.env.PORCHLIGHT_LOG ? (m, f) => this.io.stderr(`${m} ${JSON.stringify(f ?? {})}\n`) : undefined,
      });
    })();
    return this.service;
  }

  /** Lets go of the database; safe to call twice (`demo --serve` hands the database on before the end). */
  async close(): Promise<void> {
    const service = this.service;
    this.service = undefined;
    if (service) await (await service).close();
  }
}

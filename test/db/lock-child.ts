// A second process for the lock tests: `node --import tsx lock-child.ts <mode> <dir> [extra]`,
// where extra is the migrations folder for 'open' and the start time (epoch ms) for 'race'.
// Prints one JSON line describing what happened.
import { acquireDirLock } from '../../src-main/db/dir-lock.ts';
import { isDatabaseError } from '../../src-main/db/errors.ts';
import { openDatabase } from '../../src-main/db/open-database.ts';

const [mode, dir, extra] = process.argv.slice(2);
if (!mode || !dir) throw new Error('usage: lock-child.ts <open|crash|exit|race> <dir> [extra]');

const report = (value: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ pid: process.pid, ...value })}\n`);
const failure = (e: unknown) => report(isDatabaseError(e) ? { ok: false, error: e.toJSON() } : { ok: false, error: { message: String(e) } });

switch (mode) {
  case 'open': // the whole openDatabase path, as the CLI runs it
    try {
      const db = await openDatabase({ db: dir, migrationsDir: extra });
      report({ ok: true });
      await db.close();
    } catch (e) {
      failure(e);
    }
    break;
  case 'crash': // take the lock and die without any chance to clean up
    acquireDirLock(dir);
    report({ ok: true });
    process.kill(process.pid, 'SIGKILL');
    break;
  case 'exit': // take the lock and exit without releasing it
    acquireDirLock(dir);
    report({ ok: true });
    process.exit(0);
    break;
  case 'race': // contend for a stale lock, all at once, and hold it long enough for the others to see it
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(extra) - Date.now())));
    try {
      acquireDirLock(dir);
      report({ ok: true });
      await new Promise((resolve) => setTimeout(resolve, 1500));
    } catch (e) {
      failure(e);
    }
    break;
  default:
    throw new Error(`unknown mode ${mode}`);
}

// One first sync in a process of its own, for the memory figure: the parent
// runs this once per repository size, so neither run inflates the other's RSS.
// Input: one JSON argument (ChildRequest). Output: one line `RESULT <json>`.
import { openDatabase } from '../src-main/db/open-database.ts';
import { openService } from '../src-main/service/service.ts';
import { memory } from './measure.ts';

export interface ChildRequest {
  /** PGlite directory or postgres:// URL of a fresh database. */
  db: string;
  dataHome: string;
  url: string;
  username: string;
  password: string;
}

export interface ChildResult {
  ok: boolean;
  error?: string;
  rssStart: number;
  rssAfterOpen: number;
  /** process.memoryUsage().rss right after the first sync: the target's figure. */
  rssAfterSync: number;
  peakRss: number;
  heapUsed: number;
  syncMs: number;
  revisions: number;
}

async function main(): Promise<void> {
  const req = JSON.parse(process.argv[2] ?? '{}') as ChildRequest;
  const rssStart = memory().rss;
  const db = await openDatabase({ db: req.db, dataHome: req.dataHome });
  const rssAfterOpen = memory().rss;
  const service = openService({ db, dataHome: req.dataHome });
  let result: ChildResult;
  try {
    const started = performance.now();
    const { sync } = await service.call('repositories.register', {
      url: req.url,
      name: 'bench',
      namespace: 'default',
      username: req.username,
      password: req.password,
    });
    const syncMs = performance.now() - started;
    const m = memory();
    const ok = !('code' in sync);
    result = {
      ok,
      ...('code' in sync ? { error: sync.message } : {}),
      rssStart,
      rssAfterOpen,
      rssAfterSync: m.rss,
      peakRss: m.peakRss,
      heapUsed: m.heapUsed,
      syncMs,
      revisions: ok ? (await service.call('revisions.list', { namespace: 'default' })).length : 0,
    };
  } finally {
    await service.close();
  }
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stdout.write(`RESULT ${JSON.stringify({ ok: false, error: e instanceof Error ? e.message : String(e) })}\n`);
    process.exit(1);
  },
);

// The process the kill -9 tests kill: `node --import tsx kill-child.ts '<json>'`.
// It opens the database as the app does and works until it is killed,
// printing one line per acknowledged operation ("ack <what>") only after the
// service call returned: what was acknowledged must survive the kill.
//
//   {mode: 'save', db, home, name}            edits one draft for ever: counter.yaml = "value: N"
//   {mode: 'migrate', db}                     opens (and so migrates) the database, says "migrated"
//   {mode: 'background', db, count}           runs the background migrations in batches of `count`,
//                                             acknowledging each batch's rows done so far
//   {mode: 'approve', db, home, names, killAfterPush?}
//                                             approves the proposals in order; with killAfterPush=k
//                                             it kills itself right after the k-th push, before
//                                             the database records it
//   {mode: 'sync', db, home, register}        registers the repository (or, when it is there, syncs it
//                                             with force), then says "ack synced"
//   {mode: 'cleanup', db, home, name}         unregisters the repository (force) and cleans up after it
//   {mode: 'append', db, home, name, who, count}
//                                             appends "<who>-<i>" to entries.txt of a draft `count` times,
//                                             each a read-modify-write with the resource version read;
//                                             a conflict is counted ("conflict") and retried from a fresh read
import fs from 'node:fs';
import { openDatabase } from '../../src-main/db/open-database.ts';
import { runBackgroundMigrations } from '../../src-main/db/background-migrations.ts';
import { openTestService } from '../support/service.ts';

interface Job {
  mode: 'save' | 'approve' | 'migrate' | 'sync' | 'cleanup' | 'append' | 'background';
  who?: string;
  count?: number;
  /** append: start at this time (ms since the epoch), so two children run their loops together. */
  startAt?: number;
  register?: { url: string; name: string; username: string; password: string };
  db: string;
  home: string;
  name?: string;
  names?: string[];
  killAfterPush?: number;
}

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
// Synchronous, unbuffered: the line is out before the next operation starts.
const ack = (what: string | number) => fs.writeSync(1, `ack ${what}\n`);

if (job.mode === 'migrate') {
  fs.writeSync(1, 'opening\n');
  const db = await openDatabase({ db: job.db });
  fs.writeSync(1, 'migrated\n');
  await db.close();
  process.exit(0);
}

if (job.mode === 'background') {
  const db = await openDatabase({ db: job.db });
  fs.writeSync(1, 'ready\n');
  await runBackgroundMigrations(db, { batchSize: job.count, onProgress: (s) => ack(s.rowsDone) });
  fs.writeSync(1, 'done\n');
  await db.close();
  process.exit(0);
}

let pushes = 0;
const service = openTestService({
  db: await openDatabase({ db: job.db }),
  dataHome: job.home,
  afterPush: async () => {
    if (job.killAfterPush !== undefined && ++pushes === job.killAfterPush) process.kill(process.pid, 'SIGKILL');
  },
});
fs.writeSync(1, 'ready\n');

if (job.mode === 'save') {
  let current = await service.getPackageRevision({ name: job.name! });
  const start = Number(
    /value: (\d+)/.exec(
      Buffer.from((await service.readResources({ name: job.name! })).resources.find((r) => r.path === 'counter.yaml')?.content ?? []).toString(),
    )?.[1] ?? 0,
  );
  for (let n = start + 1; ; n++) {
    // Sizes vary, so some saves rewrite a page and some spill into TOAST.
    const content = Buffer.from(
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: counter\ndata:\n  value: "${n}"\n  pad: "${'x'.repeat((n * 977) % 6000)}"\n# value: ${n}\n`,
    );
    const { revision } = await service.updateResources({
      name: job.name!,
      resourceVersion: current.metadata.resourceVersion!,
      mode: 'patch',
      files: [{ path: 'counter.yaml', content }],
    });
    current = revision;
    ack(n);
  }
} else if (job.mode === 'append') {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, (job.startAt ?? 0) - Date.now())));
  for (let i = 1; i <= job.count!;) {
    const { revision, resources } = await service.readResources({ name: job.name! });
    const before = Buffer.from(resources.find((r) => r.path === 'entries.txt')?.content ?? []).toString();
    try {
      await service.updateResources({
        name: job.name!,
        resourceVersion: revision.metadata.resourceVersion!,
        mode: 'patch',
        files: [{ path: 'entries.txt', content: Buffer.from(`${before}${job.who}-${i}\n`) }],
      });
      ack(`${job.who}-${i}`);
      i++;
    } catch (e) {
      if ((e as { code?: string }).code !== 'CONFLICT') throw e;
      fs.writeSync(1, 'conflict\n');
    }
  }
  fs.writeSync(1, 'done\n');
  await service.close();
} else if (job.mode === 'sync') {
  const r = job.register!;
  const known = (await service.listRepositories({})).some((x) => x.metadata.name === r.name);
  if (known) await service.syncRepository({ name: r.name, force: true });
  else {
    const { sync } = await service.registerRepository(r);
    if (sync instanceof Error) throw sync;
  }
  ack('synced');
  await service.close();
} else if (job.mode === 'cleanup') {
  await service.unregisterRepository({ name: job.name!, force: true });
  ack('unregistered');
  await service.cleanup();
  ack('cleaned');
  await service.close();
} else {
  for (const name of job.names ?? []) {
    await service.changeLifecycle({ name, verb: 'approve' });
    ack(name);
  }
  fs.writeSync(1, 'done\n');
  await service.close();
}

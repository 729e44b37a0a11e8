// Two processes on one PostgreSQL editing the same draft at once (issue 7):
// each appends its own lines to one file, every write a read-modify-write that
// carries the resource version it read. Conflicts must happen (the test shows
// they do) and be reported, and no acknowledged line may be lost: the file
// ends with every line of both, each once. (On PGlite a second process is
// refused outright: test/db/dir-lock.test.ts.)
import { describe, expect, it } from 'vitest';
import { testEngines, useTestEngine } from '../support/databases.ts';
import { useWorkbench } from '../support/workbench.ts';
import { startChild } from './killable-child.ts';

const EACH = 60;

describe.each(testEngines().filter((e) => e.kind === 'postgres'))('two processes on one $kind', (engine) => {
  useTestEngine(engine);
  const wb = useWorkbench(engine, { repositories: { simple: 'simple-repository' } });

  it('never lose an update: stale writes are refused as conflicts and every acknowledged line is kept', async () => {
    await wb.service.registerRepository({ url: wb.server.baseUrl('simple'), name: 'simple' });
    const draft = await wb.service.initPackage({ repository: 'simple', name: 'shared/notes', workspace: 'one' });
    // Both loops start at the same moment, once both processes have opened the database.
    const startAt = Date.now() + 5_000;
    const job = (who: string) => ({ mode: 'append', db: engine.target, home: wb.home, name: draft.metadata.name, who, count: EACH, startAt });
    const a = startChild(job('a'));
    const b = startChild(job('b'));
    const [ea, eb] = await Promise.all([a.exited, b.exited]);
    expect(ea.code, ea.stderr).toBe(0);
    expect(eb.code, eb.stderr).toBe(0);

    const { resources } = await wb.service.readResources({ name: draft.metadata.name });
    const lines = Buffer.from(resources.find((r) => r.path === 'entries.txt')!.content)
      .toString()
      .trim()
      .split('\n');
    const acked = [...a.acks, ...b.acks];
    expect(acked).toHaveLength(2 * EACH);
    expect(lines.slice().sort()).toEqual(acked.slice().sort());
    // Each process's own lines are in its order.
    for (const who of ['a', 'b']) expect(lines.filter((l) => l.startsWith(`${who}-`))).toEqual(Array.from({ length: EACH }, (_, i) => `${who}-${i + 1}`));
    // Run together, they did collide, and the collisions were refused rather than overwritten.
    const conflicts = [...a.lines, ...b.lines].filter((l) => l === 'conflict').length;
    expect(conflicts).toBeGreaterThan(0);
    const rev = await wb.service.getPackageRevision({ name: draft.metadata.name });
    expect(Number(rev.metadata.resourceVersion)).toBeGreaterThanOrEqual(2 * EACH);
  }, 120_000);
});

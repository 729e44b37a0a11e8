// kill -9 of the process, at many points, on both engines (issue 7). A real
// child process (kill-child.ts) opens the database as the app does and works
// until SIGKILL; then this test opens the database again and checks:
//   - no acknowledged draft edit is lost (an edit not yet acknowledged may or
//     may not be there, never half of it);
//   - amcheck finds every index and heap sound;
//   - after the next sync, every published row has its tag and every tag its
//     row, no revision number is used twice, and `git fsck` is clean;
//   - an approval cut short is finished by approving again, once.
// Kill points of approval: while checking the remote (Git hangs), in the
// middle of the push (the pack sent, no answer), between the push and the
// database write, and at random moments.
import { describe, expect, it } from 'vitest';
import { git, listRefs } from '../support/fixtures.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';
import { amcheckProblems } from '../support/integrity.ts';
import type { GitRequestLogEntry } from '../support/git-server.ts';
import { useWorkbench } from '../support/workbench.ts';
import { kill, rng, startChild } from './killable-child.ts';

const PASSWORD = 'kill-secret';

describe.each(testEngines())('kill -9 on $kind', (engine) => {
  useTestEngine(engine);
  const wb = useWorkbench(engine, { repositories: { simple: 'simple-repository' }, username: 'alice', password: PASSWORD });
  const seed = Number(process.env.PORCHLIGHT_KILL_SEED ?? Date.now() % 100_000);
  const random = rng(seed);

  const job = (extra: Record<string, unknown>) => ({ db: engine.target, home: wb.home, ...extra });

  it(`loses no acknowledged draft edit (seed ${seed})`, async () => {
    await wb.service.registerRepository({ url: wb.server.baseUrl('simple'), name: 'simple', username: 'alice', password: PASSWORD });
    const draft = await wb.service.initPackage({ repository: 'simple', name: 'crash/edits', workspace: 'one' });
    const name = draft.metadata.name;
    const counter = async () => {
      const { resources } = await wb.service.readResources({ name });
      const file = resources.find((r) => r.path === 'counter.yaml');
      if (!file) return 0;
      const text = Buffer.from(file.content).toString();
      const value = Number(/value: "(\d+)"/.exec(text)![1]);
      // Never half an edit: the whole file is the one written for that value.
      expect(text).toContain(`# value: ${value}\n`);
      expect(text).toContain(`pad: "${'x'.repeat((value * 977) % 6000)}"`);
      return value;
    };

    const rounds = engine.kind === 'pglite' ? 5 : 6;
    for (let round = 0; round < rounds; round++) {
      const before = await counter();
      const wantAcks = 1 + Math.floor(random() * 15);
      const delayMs = Math.floor(random() * 20);
      const lastAck = await wb.whileClosed(async () => {
        const child = startChild(job({ mode: 'save', name }));
        await child.waitFor((acks) => acks.length >= wantAcks);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        await kill(child);
        const last = Number(child.acks.at(-1));
        expect(last).toBeGreaterThan(before);
        expect(await amcheckProblems(engine)).toEqual([]);
        return last;
      });
      const after = await counter();
      // What was acknowledged is there; at most the one edit in flight went further.
      expect(after, `round ${round}: ${wantAcks} acks + ${delayMs} ms`).toBeGreaterThanOrEqual(lastAck);
      expect(after).toBeLessThanOrEqual(lastAck + 1);
    }
    // The draft is still an ordinary draft: it saves, proposes and reads.
    const rev = await wb.service.getPackageRevision({ name });
    expect(rev.spec.lifecycle).toBe('Draft');
    await wb.service.updateResources({
      name,
      resourceVersion: rev.metadata.resourceVersion!,
      mode: 'patch',
      files: [{ path: 'extra.yaml', content: Buffer.from('kind: Extra\n') }],
    });
  });

  it(`finishes approvals cut short at every step, once each (seed ${seed})`, async () => {
    const proposals: string[] = [];
    for (let i = 0; i < 6; i++) {
      const rev = await wb.service.initPackage({ repository: 'simple', name: `crash/app${i}`, workspace: 'one' });
      await wb.service.changeLifecycle({ name: rev.metadata.name, verb: 'propose' });
      proposals.push(rev.metadata.name);
    }
    const acknowledged = new Set<string>();
    const pending = () => proposals.filter((p) => !acknowledged.has(p));

    const rounds: { label: string; run: () => Promise<void> }[] = [
      {
        label: 'while checking the remote (Git hangs)',
        run: () => killWhileGitHangs('hang', () => true),
      },
      {
        label: 'in the middle of the push',
        run: () => killWhileGitHangs('hang-push', (r) => r.method === 'POST' && r.url.includes('git-receive-pack')),
      },
      { label: 'between the push and the database write', run: () => approveUntilKilled({ killAfterPush: 1 }) },
      { label: 'at a random moment', run: () => approveUntilKilled({ delayMs: Math.floor(random() * 1500) }) },
      { label: 'after the second push', run: () => approveUntilKilled({ killAfterPush: 2 }) },
    ];

    /** Approves with Git answering nothing (or nothing to a push), killed once the request `reached` is in. */
    async function killWhileGitHangs(fault: 'hang' | 'hang-push', reached: (r: GitRequestLogEntry) => boolean): Promise<void> {
      wb.server.clearLog();
      wb.server.setFault(fault);
      const child = startChild(job({ mode: 'approve', names: pending() }));
      try {
        await child.waitFor('ready');
        await waitUntil(() => wb.server.requestLog.some(reached));
        await kill(child);
      } finally {
        wb.server.setFault(null);
      }
    }

    async function approveUntilKilled(how: { killAfterPush?: number; delayMs?: number }): Promise<void> {
      const child = startChild(job({ mode: 'approve', names: pending(), ...(how.killAfterPush ? { killAfterPush: how.killAfterPush } : {}) }));
      await child.waitFor('ready');
      if (how.delayMs !== undefined) {
        await new Promise((resolve) => setTimeout(resolve, how.delayMs));
        child.process.kill('SIGKILL');
      }
      await child.exited;
      for (const a of child.acks) acknowledged.add(a);
    }

    for (const round of rounds) {
      await wb.whileClosed(async () => {
        await round.run();
        expect(await amcheckProblems(engine), round.label).toEqual([]);
      });
      await checkConsistent(round.label);
    }
    // Whatever is left goes out by approving again, once each.
    for (const name of pending()) {
      const rev = await wb.service.getPackageRevision({ name });
      if (rev.spec.lifecycle === 'Proposed') await wb.service.changeLifecycle({ name, verb: 'approve' });
    }
    await checkConsistent('after approving the rest');
    const tags = [...(await listRefs(wb.served.simple!)).keys()].filter((r) => r.startsWith('refs/tags/crash/app'));
    expect(tags.sort()).toEqual(proposals.map((_, i) => `refs/tags/crash/app${i}/v1`).sort());
    for (const name of proposals) expect((await wb.service.getPackageRevision({ name })).spec).toMatchObject({ lifecycle: 'Published', revision: 1 });

    async function checkConsistent(label: string): Promise<void> {
      // Sync repairs what a kill left between Git and the database.
      await wb.service.syncRepository({ name: 'simple' });
      for (const name of acknowledged)
        expect((await wb.service.getPackageRevision({ name })).spec.lifecycle, `${label}: ${name} was acknowledged`).toBe('Published');
      const refs = await listRefs(wb.served.simple!);
      const tags = [...refs.keys()]
        .filter((r) => r.startsWith('refs/tags/crash/'))
        .map((r) => r.slice('refs/tags/'.length))
        .sort();
      const published = (await wb.service.listPackageRevisions({}))
        .filter((r) => r.spec.packageName.startsWith('crash/') && (r.spec.revision ?? 0) > 0)
        .map((r) => `${r.spec.packageName}/v${r.spec.revision}`);
      // Every tag has its row and every row its tag, and no number is used twice.
      expect(published.slice().sort(), label).toEqual(tags);
      expect(new Set(published).size, label).toBe(published.length);
      const fsck = await git(wb.served.simple!, ['fsck', '--strict', '--no-dangling']);
      expect(fsck.trim(), label).toBe('');
    }
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

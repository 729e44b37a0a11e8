// A Git host that holds every response for a minute, or answers errors
// (issue 7): each Git call gives up at its deadline with a message that says
// what happened, the repository shows it, drafts go on being edited meanwhile,
// and an approval waits in the queue until Git answers in time again. The
// service here has a 2 s deadline instead of the default 30 s, so the minute
// is the host's and the test stays short.
import { describe, expect, it } from 'vitest';
import { openTestService } from '../support/service.ts';
import { createHttpClient, DEFAULT_GIT_TIMEOUT_MS } from '../../src-main/git/http-client.ts';
import { listRefs } from '../support/fixtures.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';
import { useWorkbench } from '../support/workbench.ts';

const PASSWORD = 'slow-secret';
const DEADLINE_MS = 2_000;
const A_MINUTE = 60_000;

describe.each(testEngines())('a slow or failing Git host on $kind', (engine) => {
  useTestEngine(engine);
  const wb = useWorkbench(engine, { repositories: { simple: 'simple-repository' }, username: 'alice', password: PASSWORD });
  const timed = async <T>(fn: () => Promise<T>) => {
    const started = Date.now();
    const outcome = await fn().then(
      (value) => ({ value, error: undefined }),
      (error: Error) => ({ value: undefined, error }),
    );
    return { ...outcome, ms: Date.now() - started };
  };

  it('gives up at the deadline, says so, keeps drafts working, and queues the approval until Git answers', async () => {
    // The default deadline is well under a minute: a held response never hangs anything for long.
    expect(DEFAULT_GIT_TIMEOUT_MS).toBeLessThan(A_MINUTE);
    await wb.service.close();
    wb.service = openTestService({ db: await engine.open(), dataHome: wb.home, http: createHttpClient({ timeoutMs: DEADLINE_MS }) });
    await wb.service.registerRepository({ url: wb.server.baseUrl('simple'), name: 'simple', username: 'alice', password: PASSWORD });
    const draft = await wb.service.initPackage({ repository: 'simple', name: 'slow/app', workspace: 'one' });
    await wb.service.changeLifecycle({ name: draft.metadata.name, verb: 'propose' });

    wb.server.setFault({ holdMs: A_MINUTE });
    try {
      const sync = await timed(() => wb.service.syncRepository({ name: 'simple' }));
      expect(sync.error?.message).toMatch(new RegExp(`Git server at .*simple\\.git.* did not answer within ${DEADLINE_MS / 1000} s`));
      expect(sync.ms).toBeLessThan(DEADLINE_MS * 3);
      const repo = await wb.service.getRepository({ name: 'simple' });
      expect(repo.status.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', message: expect.stringContaining('did not answer') });

      // Drafts go on as if Git were not there.
      const other = await timed(async () => {
        const d = await wb.service.initPackage({ repository: 'simple', name: 'slow/other', workspace: 'one' });
        return wb.service.updateResources({
          name: d.metadata.name,
          resourceVersion: d.metadata.resourceVersion!,
          mode: 'patch',
          files: [{ path: 'cm.yaml', content: Buffer.from('kind: ConfigMap\n') }],
        });
      });
      expect(other.error).toBeUndefined();
      expect(other.ms).toBeLessThan(DEADLINE_MS);

      const approve = await timed(() => wb.service.changeLifecycle({ name: draft.metadata.name, verb: 'approve' }));
      expect(approve.error).toMatchObject({ code: 'UNAVAILABLE' });
      expect(approve.ms).toBeLessThan(DEADLINE_MS * 3);
      expect((await wb.service.getPackageRevision({ name: draft.metadata.name })).spec.lifecycle).toBe('Proposed');
      await wb.service.queueApproval({ name: draft.metadata.name });
      expect((await wb.service.drainApprovalQueue()).waiting).toEqual([draft.metadata.name]);
    } finally {
      wb.server.setFault(null);
    }
    expect((await wb.service.drainApprovalQueue()).approved).toEqual([draft.metadata.name]);
    expect((await listRefs(wb.served.simple!)).has('refs/tags/slow/app/v1')).toBe(true);
  }, 60_000);

  it('answers errors with what the host said', async () => {
    wb.server.setFault({ status: 500, body: 'internal trouble\n' });
    try {
      await expect(wb.service.syncRepository({ name: 'simple' })).rejects.toThrow(/listing remote refs: .*simple\.git.*HTTP 500/);
    } finally {
      wb.server.setFault(null);
    }
    wb.server.setFault({ status: 403 });
    try {
      await expect(wb.service.syncRepository({ name: 'simple' })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    } finally {
      wb.server.setFault(null);
    }
    await expect(wb.service.syncRepository({ name: 'simple' })).resolves.toBeDefined();
  });
});

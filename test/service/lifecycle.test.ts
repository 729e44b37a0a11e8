// Every door refuses what the window refuses: a draft whose YAML does not
// parse (or whose Kptfile or resources are not KRM) is saved, but neither
// proposed nor approved, through the service, the CLI and the IPC dispatcher,
// nor published by the approval queue; Git never hears of it.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/main.ts';
import { findLiveRevision, moveLifecycle } from '../../src-main/cache/lifecycle-store.ts';
import type { Answer } from '../../src-shared/contract.ts';
import { checkPackageFile, packageProblemsMessage } from '../../src-shared/package-check.ts';
import { listRefs } from '../support/fixtures.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';
import { useWorkbench } from '../support/workbench.ts';

const BROKEN = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata: [unclosed\n';
const enc = (s: string) => new TextEncoder().encode(s);

describe.each(testEngines())('a broken draft on $kind', (engine) => {
  useTestEngine(engine);
  const wb = useWorkbench(engine, { repositories: { simple: 'simple-repository' } });
  let refs: Map<string, string>;

  beforeAll(async () => {
    await wb.service.registerRepository({ url: wb.server.baseUrl('simple'), name: 'simple', syncIntervalSeconds: 0 });
    refs = await listRefs(wb.served.simple!);
  }, 60_000);

  /** A draft with one broken file, saved as an editor saves it (a patch). */
  const brokenDraft = async (workspace: string, file = 'web.yaml', text = BROKEN) => {
    const rev = await wb.service.initPackage({ repository: 'simple', name: `web-${workspace}`, workspace });
    const saved = await wb.service.updateResources({
      name: rev.metadata.name,
      resourceVersion: rev.metadata.resourceVersion!,
      mode: 'patch',
      files: [{ path: file, content: enc(text) }],
    });
    return saved.revision.metadata.name;
  };
  /** What an older Porchlight could leave behind: a broken draft already Proposed. */
  const brokenProposal = async (workspace: string) => {
    const name = await brokenDraft(workspace);
    const rev = (await findLiveRevision(wb.service.db, 'default', name))!;
    expect(await moveLifecycle(wb.service.db, rev, 'Draft', 'Proposed', 'an older release')).toBe(true);
    return name;
  };
  const lifecycle = async (name: string) => (await wb.service.getPackageRevision({ name })).spec.lifecycle;
  const gitUntouched = async () => {
    expect(await listRefs(wb.served.simple!)).toEqual(refs);
    expect(wb.server.requestLog.filter((r) => r.service === 'git-receive-pack')).toEqual([]);
  };

  it('the service: saved, not proposed, not approved, not published from the queue', async () => {
    const name = await brokenDraft('svc');
    const expected = packageProblemsMessage('propose', name, checkPackageFile('web.yaml', BROKEN));
    await expect(wb.service.changeLifecycle({ name, verb: 'propose' })).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: expected,
      data: { name, problems: [{ path: 'web.yaml', line: 5, message: expect.stringContaining('YAML does not parse') }] },
    });
    expect(expected).toMatch(/^cannot propose simple\.web-svc\.svc: web\.yaml line 5: YAML does not parse: .*Fix these files in the draft/);
    expect(await lifecycle(name)).toBe('Draft');

    const proposed = await brokenProposal('svc-old');
    await expect(wb.service.changeLifecycle({ name: proposed, verb: 'approve' })).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: expect.stringMatching(/^cannot approve simple\.web-svc-old\.svc-old: web\.yaml line 5/),
    });
    await expect(wb.service.queueApproval({ name: proposed })).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
    expect(await lifecycle(proposed)).toBe('Proposed');
    await gitUntouched();
  });

  it('the approval queue does not publish a broken proposal queued before it broke the rule', async () => {
    const proposed = await brokenProposal('queued');
    // Queued directly in the database, as a queue filled by an older release would be.
    const { setQueuedApproval } = await import('../../src-main/cache/lifecycle-store.ts');
    await setQueuedApproval(wb.service.db, (await findLiveRevision(wb.service.db, 'default', proposed))!, {
      since: new Date().toISOString(),
      by: 'an older release',
    });
    expect(await wb.service.drainApprovalQueue()).toEqual({ approved: [], waiting: [proposed] });
    const [queued] = await wb.service.queuedApprovals({});
    expect(queued?.lastError).toMatch(/^FAILED_PRECONDITION: cannot approve simple\.web-queued\.queued: web\.yaml line 5/);
    expect(await lifecycle(proposed)).toBe('Proposed');
    await wb.service.cancelQueuedApproval({ name: proposed });
    await gitUntouched();
  });

  it('the CLI: rpkg push keeps it, rpkg propose and approve refuse it with the same words', async () => {
    const name = await brokenDraft('cli', 'Kptfile', 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: web\n');
    const proposed = await brokenProposal('cli-old');
    const dir = path.join(wb.work, 'pulled-cli');
    const messages = await wb.whileClosed(async () => {
      const cli = async (...args: string[]) => {
        let stdout = '';
        let stderr = '';
        const code = await runCli(args, {
          stdout: (s) => (stdout += s),
          stderr: (s) => (stderr += s),
          env: { ...process.env, PORCHLIGHT_HOME: wb.home, PORCHLIGHT_DB: engine.target },
        });
        return { code, stdout, stderr };
      };
      expect((await cli('rpkg', 'pull', name, dir)).code).toBe(0);
      fs.writeFileSync(path.join(dir, 'Kptfile'), 'apiVersion: kpt.dev/v1alpha2\nkind: Kptfile\n');
      expect(await cli('rpkg', 'push', name, dir)).toMatchObject({ code: 0, stdout: `${name} pushed\n` });
      return { propose: await cli('rpkg', 'propose', name), approve: await cli('rpkg', 'approve', proposed) };
    });
    const kptfile = packageProblemsMessage('propose', name, checkPackageFile('Kptfile', 'apiVersion: kpt.dev/v1alpha2\nkind: Kptfile\n'));
    expect(kptfile).toContain('Kptfile line 1: apiVersion must be kpt.dev/v1, not "kpt.dev/v1alpha2"; Kptfile line 1: a Kptfile needs metadata.name');
    expect(messages.propose).toEqual({ code: 1, stdout: '', stderr: `${name} failed (${kptfile})\nError: errors:\n  ${kptfile} \n` });
    expect(messages.approve).toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringContaining(`${proposed} failed (cannot approve ${proposed}: web.yaml line 5: YAML does not parse`),
    });
    expect(await lifecycle(name)).toBe('Draft');
    expect(await lifecycle(proposed)).toBe('Proposed');
    await gitUntouched();
  });

  it('the IPC dispatcher: revisions.save keeps it, revisions.lifecycle refuses it', async () => {
    const dispatch = wb.service.dispatch;
    const rev = await wb.service.initPackage({ repository: 'simple', name: 'web-ipc', workspace: 'ipc' });
    const name = rev.metadata.name;
    const saved = (await dispatch('revisions.save', {
      name,
      resourceVersion: rev.metadata.resourceVersion,
      files: [{ path: 'web.yaml', base64: Buffer.from(BROKEN).toString('base64') }],
    })) as Answer<unknown>;
    expect(saved.ok).toBe(true);
    const refused = (await dispatch('revisions.lifecycle', { name, verb: 'propose' })) as Answer<unknown>;
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'FAILED_PRECONDITION',
        message: packageProblemsMessage('propose', name, checkPackageFile('web.yaml', BROKEN)),
        data: expect.objectContaining({ name }),
      },
    });
    const proposed = await brokenProposal('ipc-old');
    expect(await dispatch('revisions.lifecycle', { name: proposed, verb: 'approve' })).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } });
    expect(await dispatch('approvals.enqueue', { name: proposed })).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } });
    expect(await lifecycle(name)).toBe('Draft');
    expect(await lifecycle(proposed)).toBe('Proposed');
    await gitUntouched();
  });

  it('a draft made whole again is proposed and approved', async () => {
    const name = await brokenDraft('fixed');
    const rev = await wb.service.getPackageRevision({ name });
    await wb.service.updateResources({
      name,
      resourceVersion: rev.metadata.resourceVersion!,
      mode: 'patch',
      files: [{ path: 'web.yaml', content: enc('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n') }],
    });
    expect(await wb.service.changeLifecycle({ name, verb: 'propose' })).toBe('proposed');
    expect(await wb.service.changeLifecycle({ name, verb: 'approve' })).toBe('approved');
    expect((await listRefs(wb.served.simple!)).has('refs/tags/web-fixed/v1')).toBe(true);
  });
});

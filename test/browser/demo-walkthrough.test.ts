// The README's five-minute walkthrough, end to end in Debian's Chromium: an
// empty data directory, "Try the demo", then edit the waiting draft, see the
// diff, propose and approve it on the local deployment repository, and check
// what landed with native git (fsck clean, Porch's tag and approval commit).
// With PORCHLIGHT_SCREENSHOTS=1 it writes the README's screenshots.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { haveChromium, launchChromium, SCREENSHOTS } from '../support/chromium.ts';
import { startBrowserServer, type BrowserServer } from '../../src-main/host/browser-server.ts';
import { startServiceHost, type ServiceHost } from '../../src-main/host/service-host.ts';
import { ensureRendererBuilt, RENDERER_DIR } from '../../src-main/cli/serve-command.ts';
import { git } from '../support/fixtures.ts';

describe.skipIf(!haveChromium)('the demo walkthrough in Chromium', () => {
  let work: string;
  let host: ServiceHost;
  let server: BrowserServer;
  let browser: Browser;
  let page: Page;
  let deployments: string;

  const shot = async (name: string) => {
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, `walkthrough-${name}.png`) });
  };

  beforeAll(async () => {
    await ensureRendererBuilt(() => {}, true);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-demo-'));
    host = await startServiceHost({ dataHome: path.join(work, 'home'), env: {}, backgroundSync: false });
    server = await startBrowserServer({ host, rendererDir: RENDERER_DIR });
    deployments = path.join(work, 'home', 'demo', 'deployments.git');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
    page.on('dialog', (d) => void d.accept().catch(() => {}));
    await page.goto(server.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await host?.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('from an empty data directory: the demo, then edit, diff, propose and approve; Git has it as Porch writes it', async () => {
    const demo = page.getByRole('button', { name: 'Try the demo' });
    await expect.poll(() => demo.count()).toBe(1);
    await shot('1-first-screen');
    await demo.click();
    await expect.poll(() => page.locator('table.revisions tbody tr', { hasText: 'deployments' }).count(), { timeout: 60_000 }).toBeGreaterThan(3);
    await expect.poll(() => page.locator('.toasts').textContent()).toContain('The demo workspace is ready');
    await shot('2-demo');
    for (const dismiss of await page.getByRole('button', { name: 'Dismiss' }).all()) await dismiss.click();

    // The draft waiting in the deployment repository.
    await page.getByLabel('Search', { exact: true }).fill('team-a');
    await page.locator('table.revisions tbody tr', { hasText: 'Draft' }).first().click();
    await expect.poll(() => page.locator('.revision-header h2').textContent()).toBe('deployments.team-a.v1');
    await page.locator('.files button', { hasText: 'resourcequota.yaml' }).click();
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(
      'apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: default-quota\nspec:\n  hard:\n    requests.cpu: "8"\n    requests.memory: 16Gi\n',
    );
    await expect
      .poll(async () => (await page.locator('.saving').count()) === 0 && (await page.locator('.notice.error').count()) === 0, { timeout: 10_000 })
      .toBe(true);
    await shot('3-edit');

    await page.getByRole('button', { name: 'Diff' }).click();
    await page.getByRole('button', { name: 'This file' }).click();
    await expect.poll(() => page.getByTestId('patch').textContent()).toContain('+    requests.cpu: "8"');
    await expect.poll(() => page.getByTestId('patch').textContent()).not.toContain('Kptfile');
    await shot('4-diff');

    await page.getByRole('button', { name: 'Propose' }).click();
    await expect.poll(() => page.locator('.revision-header .lifecycle').textContent()).toBe('Proposed');
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => page.locator('.revision-header .lifecycle').textContent(), { timeout: 30_000 }).toBe('Published');
    await shot('5-approved');

    // What Porch would find in the repository.
    expect(await git(deployments, ['fsck', '--strict', '--no-dangling'])).toBe('');
    expect(await git(path.join(work, 'home', 'demo', 'blueprints.git'), ['fsck', '--strict', '--no-dangling'])).toBe('');
    const tagged = (await git(deployments, ['rev-parse', 'team-a/v1^{commit}'])).trim();
    expect((await git(deployments, ['rev-parse', 'main'])).trim()).toBe(tagged);
    expect(await git(deployments, ['show', '-s', '--format=%B', tagged])).toBe(
      'Approving package revision team-a/1\n\nkpt:{"package":"team-a","workspaceName":"v1","revision":"1"}\n\n',
    );
    const [previousHead, task] = (await git(deployments, ['show', '-s', '--format=%P', tagged])).trim().split(' ');
    expect((await git(deployments, ['show', '-s', '--format=%P', task!])).trim()).toBe(previousHead);
    expect(await git(deployments, ['show', '-s', '--format=%s', task!])).toMatch(/^Creating new revision by cloning/);
    expect(await git(deployments, ['show', 'team-a/v1:team-a/resourcequota.yaml'])).toContain('requests.cpu: "8"');
    // Cloned from the catalog: the upstream lock names the blueprint's tag.
    expect(await git(deployments, ['show', 'team-a/v1:team-a/Kptfile'])).toMatch(/upstreamLock:[\s\S]*ref: basens\/v3/);

    // The demo again adds nothing.
    const again = await host.call('demo.create', {});
    expect(again).toMatchObject({ ok: true, value: { created: [] } });
    const all = await host.call('revisions.page', { limit: 1000 });
    const names = (all as { ok: true; value: { items: { name: string }[] } }).value.items.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n) => n.startsWith('deployments.team-a.'))).toEqual(['deployments.team-a.main', 'deployments.team-a.v1']);
  }, 180_000);
});

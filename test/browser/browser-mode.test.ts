// Browser mode end to end, in Debian's Chromium driven by Playwright: the
// real renderer, the real service on its worker thread, PGlite, and a Git
// server on loopback with basic auth. Register test-blueprints, find basens by
// search, make a new revision, edit a resource, see the diff, propose,
// approve, and find the tag with native git; then the same with the Git
// server stopped: the approval waits in the queue and goes out when it returns.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { haveChromium, launchChromium, SCREENSHOTS } from '../support/chromium.ts';
import { startBrowserServer, type BrowserServer } from '../../src-main/host/browser-server.ts';
import { startServiceHost, type ServiceHost } from '../../src-main/host/service-host.ts';
import { ensureRendererBuilt, RENDERER_DIR } from '../../src-main/cli/serve-command.ts';
import { git, unpackBundle } from '../support/fixtures.ts';
import { startGitServer, type GitServer } from '../support/git-server.ts';

describe.skipIf(!haveChromium)('browser mode in Chromium', () => {
  let work: string;
  let gitServer: GitServer;
  let host: ServiceHost;
  let server: BrowserServer;
  let browser: Browser;
  let page: Page;
  let served: string;
  const promptAnswers: string[] = [];

  const shot = async (name: string) => {
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };
  const tags = async () => (await git(served, ['tag', '--list', 'basens/*'])).trim().split('\n');

  /** The latest published basens, then "New revision" with this workspace; returns its name. */
  async function newRevisionOfBasens(workspace: string): Promise<string> {
    await page.getByRole('button', { name: 'Packages' }).click();
    await page.getByLabel('Search', { exact: true }).fill('basens');
    await page.getByLabel('Latest only').check();
    // Wait for the filtered list to settle (a loaded machine may still show the
    // unfiltered one), then open the published row and wait for it to be open.
    const rows = page.locator('table.revisions tbody tr[data-index]');
    await expect
      .poll(
        async () => {
          const texts = await rows.allTextContents();
          return texts.length > 0 && texts.every((t) => t.includes('basens')) && texts.some((t) => t.includes('Published'));
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    await rows.filter({ hasText: 'Published' }).first().click();
    await expect.poll(() => page.locator('.revision-header .lifecycle').textContent(), { timeout: 30_000 }).toBe('Published');
    await expect.poll(() => page.locator('.revision-header h2').textContent(), { timeout: 30_000 }).toContain('basens');
    await page.getByRole('button', { name: 'New revision' }).click();
    await page.getByLabel('Workspace name').fill(workspace);
    await page.getByRole('button', { name: 'Create draft' }).click();
    const name = `test-blueprints.basens.${workspace}`;
    await expect.poll(() => page.locator('.revision-header h2').textContent()).toBe(name);
    return name;
  }

  async function editNamespace(newName: string): Promise<void> {
    await page.locator('.files button', { hasText: 'namespace.yaml' }).click();
    const content = page.locator('.cm-content');
    await content.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${newName}\n`);
    // Autosave: the draft in the database gets the edit.
    await expect
      .poll(async () => (await page.locator('.saving').count()) === 0 && (await page.locator('.notice.error').count()) === 0, { timeout: 10_000 })
      .toBe(true);
  }

  beforeAll(async () => {
    // Built from the sources under test, never a stale build.
    await ensureRendererBuilt(() => {}, true);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-browser-'));
    const root = path.join(work, 'served');
    fs.mkdirSync(root);
    served = await unpackBundle('test-blueprints', root);
    gitServer = await startGitServer({ root, username: 'nephio', password: 'secret' });
    host = await startServiceHost({ dataHome: path.join(work, 'home'), env: {}, backgroundSync: false });
    server = await startBrowserServer({ host, rendererDir: RENDERER_DIR });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // Prompts get the answer a step set; confirmations are accepted.
    page.on('dialog', (d) => {
      const answer = d.type() === 'prompt' ? promptAnswers.shift() : undefined;
      d.accept(answer).catch(() => {});
    });
    await page.goto(server.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await host?.close();
    await gitServer?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('registers, finds, edits, diffs, proposes and approves; the tag is in Git', async () => {
    // The token leaves the address bar as soon as the page has read it.
    await expect.poll(() => page.url()).not.toContain('token=');
    await page.getByRole('button', { name: 'Repositories' }).click();
    await page.getByLabel('Git URL').fill(gitServer.baseUrl('test-blueprints', 'nephio'));
    await page.getByLabel('Name', { exact: true }).fill('test-blueprints');
    await page.getByLabel('Username', { exact: true }).fill('nephio');
    await page.getByLabel('Password', { exact: true }).fill('secret');
    await page.getByRole('button', { name: 'Register' }).click();
    await expect.poll(() => page.locator('td.ok').count(), { timeout: 30_000 }).toBe(1);
    await shot('repositories');

    const name = await newRevisionOfBasens('edit1');
    await editNamespace('edited-by-the-browser');
    await shot('editor');
    await page.getByRole('button', { name: 'Diff' }).click();
    await expect.poll(() => page.getByTestId('patch').textContent()).toContain('+  name: edited-by-the-browser');
    await shot('diff');

    await page.getByRole('button', { name: 'Propose' }).click();
    await expect.poll(() => page.locator('.revision-header .lifecycle').textContent()).toBe('Proposed');
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => page.locator('.revision-header .lifecycle').textContent(), { timeout: 20_000 }).toBe('Published');
    await shot('published');
    expect(await tags()).toContain('basens/v5');
    expect(await git(served, ['show', 'basens/v5:basens/namespace.yaml'])).toContain('name: edited-by-the-browser');
    expect((await git(served, ['log', '-1', '--format=%s', 'basens/v5'])).trim()).toBe('Approving package revision basens/5');
    expect(name).toBe('test-blueprints.basens.edit1');

    // Clone the published revision into a new package: kpt's upstream lock shows.
    await page.getByRole('button', { name: 'Clone' }).click();
    const cloneDialog = page.getByRole('dialog', { name: /^Clone / });
    await cloneDialog.getByLabel('Name of the new package').fill('basens-clone');
    await cloneDialog.getByRole('button', { name: 'Clone' }).click();
    await expect.poll(() => page.locator('.revision-header h2').textContent()).toBe('test-blueprints.basens-clone.v1');
    await expect.poll(() => page.locator('.summary').textContent()).toContain('basens@basens/v5');
    // The command palette opens any revision by name.
    await page.keyboard.press('Control+K');
    await page.getByLabel('Command', { exact: true }).fill('open basens edit1');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.revision-header h2').textContent()).toBe('test-blueprints.basens.edit1');
    await page.getByRole('button', { name: 'Packages' }).click();
    await page.getByLabel('Latest only').uncheck();
    await shot('packages');
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect.poll(() => page.locator('.summary').first().textContent()).toContain('embedded PGlite');
    // The cleanup policy: saved for the namespace, and a run reports what it freed.
    await page.getByLabel('Days without a read').fill('7');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await expect.poll(() => page.locator('.toasts').textContent()).toContain('evict after 7 days without a read');
    await page.getByRole('button', { name: 'Run now' }).click();
    await expect.poll(() => page.locator('.toasts').textContent()).toContain('cleanup freed 0 rows');
    await expect.poll(() => page.getByLabel('Cache statistics').textContent()).toMatch(/Package revisions\d+ \(0 with files evicted\)/);
    await shot('settings');
  }, 120_000);

  it('queues an approval while Git is down and publishes it when Git returns', async () => {
    await newRevisionOfBasens('edit2');
    await editNamespace('edited-offline');
    await page.getByRole('button', { name: 'Propose' }).click();
    await expect.poll(() => page.locator('.revision-header .lifecycle').textContent()).toBe('Proposed');
    await gitServer.pause();
    try {
      await page.getByRole('button', { name: 'Approve' }).click();
      await expect.poll(() => page.getByLabel('approval queue').textContent(), { timeout: 20_000 }).toContain('approve test-blueprints.basens.edit2');
      await expect.poll(() => page.locator('.banner.offline').count()).toBe(1);
      await shot('offline-queue');
      expect(await tags()).not.toContain('basens/v6');
      // The queue lives in the service's database, not in the page: a reload still shows it.
      await page.reload();
      await expect.poll(() => page.getByLabel('approval queue').textContent(), { timeout: 20_000 }).toContain('approve test-blueprints.basens.edit2');
    } finally {
      await gitServer.resume();
    }
    await expect.poll(() => page.getByLabel('approval queue').count(), { timeout: 30_000 }).toBe(0);
    // The service tells the window the queued approval went out.
    await expect.poll(() => page.locator('.toasts').textContent(), { timeout: 10_000 }).toContain('test-blueprints.basens.edit2 approved');
    expect(await tags()).toContain('basens/v6');
    expect(await git(served, ['show', 'basens/v6:basens/namespace.yaml'])).toContain('name: edited-offline');
  }, 120_000);

  it('moves through the list by keyboard, filters by repository, diffs against the upstream, undoes, renames, and changes the sync schedule', async () => {
    await page.getByRole('button', { name: 'Packages' }).click();
    await page.getByLabel('Search', { exact: true }).fill('');
    await page.getByLabel('Latest only').uncheck();
    await page.getByLabel('Repository').selectOption('test-blueprints');
    const scroller = page.getByTestId('revisions-scroller');
    await expect.poll(() => scroller.getAttribute('data-loaded')).not.toBe('0');
    // From the search box, arrow down into the list; Enter opens the row under the cursor.
    await page.getByLabel('Search', { exact: true }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const second = await page.locator('tr.cursor td').first().textContent();
    expect(await page.locator('tr.cursor').getAttribute('data-index')).toBe('2');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.revision-header h2').textContent()).toBe(second);
    // '/' goes back to the search box from anywhere but a text field.
    await page.getByRole('button', { name: 'Packages' }).click();
    await page.locator('body').press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Search');

    // The clone against its upstream: what kpt wrote into the Kptfile is the difference.
    await page.getByLabel('Search', { exact: true }).fill('basens-clone');
    await page.locator('table.revisions tbody tr', { hasText: 'basens-clone' }).first().click();
    await page.getByRole('button', { name: 'Diff' }).click();
    await page.getByLabel('Compare with').selectOption({ label: 'upstream (basens@basens/v5)' });
    await expect.poll(() => page.getByTestId('patch').textContent()).toContain('+upstream:');
    expect(await page.locator('.diff-toolbar').textContent()).toContain('upstream test-blueprints.basens.');
    await page.getByRole('button', { name: 'Side by side' }).click();
    await expect.poll(() => page.locator('.cm-mergeView').count()).toBeGreaterThan(0);
    await shot('diff-upstream');

    // Undo survives switching files; a rename goes through a dialog and is saved.
    await page.getByRole('button', { name: 'Files' }).click();
    await page.locator('.files button', { hasText: 'namespace.yaml' }).click();
    const editor = page.locator('.cm-content');
    const before = await editor.textContent();
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('# a comment to undo\n');
    await expect.poll(() => editor.textContent()).toContain('a comment to undo');
    await page.locator('.files button', { hasText: 'Kptfile' }).click();
    await page.locator('.files button', { hasText: 'namespace.yaml' }).click();
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => editor.textContent()).toBe(before);
    await page.getByRole('button', { name: 'Rename namespace.yaml' }).click();
    await page.getByLabel('New name').fill('ns.yaml');
    await page.getByRole('dialog').getByRole('button', { name: 'Rename' }).click();
    await expect.poll(() => page.locator('.files').textContent()).toContain('ns.yaml');
    await expect.poll(async () => (await page.locator('.saving').count()) === 0).toBe(true);
    const files = await page.evaluate(async () => {
      const token = sessionStorage.getItem('porchlight-token');
      const res = await fetch('/api/call', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ channel: 'revisions.resources', payload: { name: 'test-blueprints.basens-clone.v1' } }),
      });
      return ((await res.json()) as { value: { files: { path: string }[] } }).value.files.map((f) => f.path);
    });
    expect(files).toContain('ns.yaml');
    expect(files).not.toContain('namespace.yaml');

    // A YAML error: saved, but Propose is refused until it parses.
    await page.locator('.files button', { hasText: 'ns.yaml' }).click();
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('broken: [\n');
    await expect.poll(() => page.getByRole('button', { name: 'Propose' }).isDisabled(), { timeout: 10_000 }).toBe(true);

    // The schedule: every 5 minutes, from the repositories screen.
    await page.getByRole('button', { name: 'Repositories' }).click();
    await page.getByRole('button', { name: 'Schedule…' }).click();
    await page.getByLabel('Every (minutes, 0 for on demand only)').fill('5');
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('table.repositories').textContent()).toContain('every 5 min');

    // A catalog of one repository; a clone from it resolves basens to its latest published revision.
    await page.getByLabel('Catalog name').fill('blueprints');
    await page.getByLabel('Repositories, highest priority first').fill('test-blueprints');
    await page.getByRole('button', { name: 'Create catalog' }).click();
    await expect.poll(() => page.locator('table.catalogs').textContent()).toContain('test-blueprints');
    await page.getByRole('button', { name: 'Packages' }).click();
    await page.getByRole('button', { name: 'Clone from Git…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('From').selectOption('catalog');
    await dialog.getByLabel('Package path').fill('basens');
    await dialog.getByLabel('Name of the new package').fill('from-catalog');
    await dialog.getByRole('button', { name: 'Clone' }).click();
    await expect.poll(() => page.locator('.revision-header h2').textContent()).toBe('test-blueprints.from-catalog.v1');
    await expect.poll(() => page.locator('.summary').textContent()).toContain('basens@basens/v6');
  }, 120_000);
});

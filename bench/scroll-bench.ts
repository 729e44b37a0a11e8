// `npm run bench -- scroll`: does the package table scroll through 100,000
// revisions without slowing? (issue 5). Seeds 100,000 package revisions
// straight into a fresh database (test/support/seed-revisions.ts), starts the real
// service on its worker thread and the browser-mode server (as
// test/browser/browser-mode.test.ts does), opens the renderer in Debian's
// Chromium (Playwright, headless) and scrolls the Packages view's table to
// its bottom again and again until every revision is loaded.
//
// Each page is timed inside the page (performance.now and a MutationObserver,
// so Playwright's round trips are not in the figure): from setting scrollTop
// to the bottom to the first newly loaded row being in the DOM. Also in the
// page: each revisions.page fetch (window.fetch wrapped by an init script),
// long tasks (PerformanceObserver 'longtask'), the rows in the DOM; over CDP:
// the JS heap. Outside: each revisions.page call's time in the service host
// (the worker's own answer, no HTTP).
//
// The renderer's contract (src-renderer/src/views/PackagesView.tsx): a
// scrollable `[data-testid="revisions-scroller"]` with `data-loaded` (revisions
// loaded so far) and `data-has-more` ("true"/"false"); rows `tr[data-index]`,
// only the visible window of them in the DOM.
//
// Targets: the last 20 pages' p50 within 1.3x of the first 20 pages' p50, and
// both under 100 ms; under 300 rows in the DOM at the end; no main-thread task
// over 50 ms while scrolling.
//
// The default shape is the scale benchmark's: 500 repositories of 200
// revisions. Planner statistics are left as the app leaves them (the seeder's
// 'like-sync': a sync analyzes only after caching 500 revisions of one
// repository, and PGlite has no autovacuum; PostgreSQL's autovacuum analyzes
// the partitions about a minute after the seed, possibly mid-run). The table
// says which statistics existed before and after the scroll.
//
// Options: --revisions N (100000) --repositories N (500) --engine pglite|postgres|both
//          (default: both when PORCHLIGHT_BENCH_PG_URL or PORCHLIGHT_TEST_PG_URL
//          names a server, else pglite) --analyze like-sync|full|none (like-sync)
//          --window N (20 pages) --budget-s N (300: stop scrolling an engine
//          after this long) --no-build (serve out/renderer as it is)
//          --renderer-dir DIR --out FILE
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import type { Queryable } from '../src-main/db/database.ts';
import { openDatabase } from '../src-main/db/open-database.ts';
import { startBrowserServer, type BrowserServer } from '../src-main/host/browser-server.ts';
import { startServiceHost, type ServiceHost } from '../src-main/host/service-host.ts';
import { ensureRendererBuilt, RENDERER_DIR } from '../src-main/cli/serve-command.ts';
import { machineInfo, MB, median, renderTable, round1, writeJson, type ResultRow, benchLogger, errorText, percentile } from './measure.ts';
import { benchAdminUrl, benchEngines, type EngineKind, PgDatabases } from './pg-databases.ts';
import { seedRevisions, verifySeeded, type SeedOptions, type SeedResult } from '../test/support/seed-revisions.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.PORCHLIGHT_CHROMIUM ?? '/usr/bin/chromium';
const TARGET = { lastP50Ms: 100, ratio: 1.3, domRows: 300, longTaskMs: 50 };
const SCROLLER = '[data-testid="revisions-scroller"]';
/** Pages measured per page.evaluate: the measuring is in the page, this only bounds one call. */
const PAGES_PER_CALL = 25;
const PAGE_TIMEOUT_MS = 30_000;

const log = benchLogger('scroll');

// Runs in the page before the renderer's scripts (an init script is not
// subject to the page's CSP). Plain JavaScript in a string: a function passed
// to Playwright would carry the TypeScript loader's helpers into the page.
const IN_PAGE = String.raw`
(() => {
  if (window.__scrollBench) return;
  const B = (window.__scrollBench = { pageCalls: [], longTasks: [], longTaskSupported: true });

  // Every revisions.page call of the renderer, timed to the whole body.
  const original = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const body = init && typeof init.body === 'string' ? init.body : '';
    if (!url.endsWith('/api/call') || !body.includes('"revisions.page"')) return original(input, init);
    const t0 = performance.now();
    const res = await original(input, init);
    const text = await res.text();
    const ms = performance.now() - t0;
    let after = null;
    try { after = JSON.parse(body).payload.after ?? null; } catch {}
    B.pageCalls.push({ t0, ms, bytes: text.length, after });
    return new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers });
  };

  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) B.longTasks.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) {
    B.longTaskSupported = false;
  }

  // One page: scroll to the bottom, then wait for the next page's rows.
  function onePage(timeoutMs) {
    return new Promise((resolve, reject) => {
      const el = document.querySelector('${SCROLLER}');
      if (!el) return reject(new Error('no ${SCROLLER} in the page'));
      const before = Number(el.dataset.loaded);
      if (el.dataset.hasMore !== 'true') return resolve(null);
      let loadedAt = null;
      let done = false;
      let rescrolled = false;
      const newRowsInDom = () => {
        for (const tr of el.querySelectorAll('tr[data-index]')) if (Number(tr.dataset.index) >= before) return true;
        return false;
      };
      const finish = (domAt) => {
        done = true;
        observer.disconnect();
        clearTimeout(timer);
        // The frame that paints them.
        requestAnimationFrame(() => {
          const frameAt = performance.now();
          resolve({
            before,
            loaded: Number(el.dataset.loaded),
            hasMore: el.dataset.hasMore === 'true',
            loadedMs: loadedAt - t0,
            domMs: domAt - t0,
            frameMs: frameAt - t0,
            rows: el.querySelectorAll('tr[data-index]').length,
            rescrolled,
          });
        });
      };
      const check = () => {
        if (done) return;
        const loaded = Number(el.dataset.loaded);
        if (loadedAt === null && (loaded > before || el.dataset.hasMore !== 'true')) loadedAt = performance.now();
        if (loadedAt === null) return;
        if (loaded === before) return finish(loadedAt); // the end: nothing more came
        if (newRowsInDom()) return finish(performance.now());
      };
      const observer = new MutationObserver(check);
      observer.observe(el, { attributes: true, attributeFilter: ['data-loaded', 'data-has-more'], childList: true, subtree: true });
      // Rows loaded but none of them rendered (a list that renders nothing
      // below the viewport): keep scrolling, as a user would.
      const poll = () => {
        if (done) return;
        check();
        if (!done && loadedAt !== null && !rescrolled && performance.now() - loadedAt > 50) {
          rescrolled = true;
          el.scrollTop = el.scrollHeight;
        }
        if (!done) requestAnimationFrame(poll);
      };
      const timer = setTimeout(() => {
        done = true;
        observer.disconnect();
        reject(new Error('no new rows ' + timeoutMs + ' ms after scrolling to the bottom with ' + before + ' loaded (data-has-more=' + el.dataset.hasMore + ')'));
      }, timeoutMs);
      const t0 = performance.now();
      el.scrollTop = el.scrollHeight;
      requestAnimationFrame(poll);
    });
  }

  B.pages = async (count, timeoutMs) => {
    const out = [];
    for (let i = 0; i < count; i++) {
      const r = await onePage(timeoutMs);
      if (r === null) break;
      out.push(r);
      if (!r.hasMore) break;
    }
    return out;
  };
  B.state = () => {
    const el = document.querySelector('${SCROLLER}');
    return el ? { loaded: Number(el.dataset.loaded), hasMore: el.dataset.hasMore === 'true', rows: el.querySelectorAll('tr[data-index]').length } : null;
  };
})();
`;

interface PageSample {
  before: number;
  loaded: number;
  hasMore: boolean;
  loadedMs: number;
  domMs: number;
  frameMs: number;
  rows: number;
  rescrolled: boolean;
}

interface PageCall {
  t0: number;
  ms: number;
  bytes: number;
  after: string | null;
}

/** Which tables the planner has statistics for (pg_stats rows). */
interface PlannerStats {
  revisionPartitions: number;
  revisionsParent: boolean;
  repositories: boolean;
}

async function plannerStats(q: Queryable): Promise<PlannerStats> {
  const res = await q.query<{ tablename: string }>(
    `SELECT DISTINCT tablename FROM pg_stats WHERE schemaname = current_schema() AND (tablename LIKE 'package\\_revisions%' OR tablename = 'repositories')`,
  );
  const names = res.rows.map((r) => r.tablename);
  return {
    revisionPartitions: names.filter((n) => /^package_revisions_p\d+$/.test(n)).length,
    revisionsParent: names.includes('package_revisions'),
    repositories: names.includes('repositories'),
  };
}

function describeStats(s: PlannerStats): string {
  const parts = [
    `${s.revisionPartitions}/16 revision partitions`,
    s.revisionsParent ? 'parent' : 'no parent',
    s.repositories ? 'repositories' : 'no repositories',
  ];
  return parts.join(', ');
}

interface EngineResult {
  engine: EngineKind;
  stats: { start: PlannerStats; end: PlannerStats };
  seed: Omit<SeedResult, 'repositories'> & { repositories: number };
  firstPageShownMs: number;
  pages: PageSample[];
  fetches: PageCall[];
  serviceMs: number[];
  longTasks: { start: number; ms: number }[];
  longTaskSupported: boolean;
  scrollStart: number;
  scrollMs: number;
  /** 1-minute load average before seeding and after scrolling (a shared machine skews everything). */
  load: [number, number];
  domRowsEnd: number;
  loadedEnd: number;
  heap: { startMB: number; endMB: number; endAfterGcMB: number };
}

/** The host, with each revisions.page call timed where the browser server hands it to the worker. */
function timingHost(host: ServiceHost, serviceMs: number[]): ServiceHost {
  return {
    async call(channel, payload) {
      if (channel !== 'revisions.page') return host.call(channel, payload);
      const t = performance.now();
      const answer = await host.call(channel, payload);
      serviceMs.push(performance.now() - t);
      return answer;
    },
    onEvent: (listener) => host.onEvent(listener),
    close: () => host.close(),
  };
}

async function heapMB(page: Page, gc: boolean): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    if (gc) await cdp.send('HeapProfiler.collectGarbage');
    const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    return usage.usedSize / MB;
  } finally {
    await cdp.detach().catch(() => {});
  }
}

async function measureEngine(
  engine: EngineKind,
  browser: Browser,
  opts: {
    revisions: number;
    repositories: number;
    analyze: NonNullable<SeedOptions['analyze']>;
    budgetMs: number;
    rendererDir: string;
    work: string;
    pgdbs?: PgDatabases;
  },
): Promise<EngineResult> {
  const home = path.join(opts.work, `home-${engine}`);
  const loadBefore = os.loadavg()[0]!;
  const pgdb = engine === 'postgres' ? await opts.pgdbs!.create() : undefined;
  let host: ServiceHost | undefined;
  let server: BrowserServer | undefined;
  let context: Awaited<ReturnType<Browser['newContext']>> | undefined;
  try {
    // Seed, check through the real service, close (the worker opens it next: a PGlite directory is locked).
    const db = await openDatabase({ db: pgdb?.url, env: {}, dataHome: home });
    let seed: SeedResult;
    let statsStart: PlannerStats;
    try {
      const perRepository = Math.ceil(opts.revisions / opts.repositories);
      const repositories = Math.ceil(opts.revisions / perRepository);
      if (perRepository * repositories !== opts.revisions)
        log(`${engine}: seeding ${perRepository * repositories} revisions (${repositories} x ${perRepository})`);
      seed = await seedRevisions(db, { repositories, revisionsPerRepository: perRepository, resourcesPerRevision: 1, analyze: opts.analyze });
      log(
        `${engine}: seeded ${seed.revisions} revisions in ${seed.repositories.length} repositories, ${(seed.ms / 1000).toFixed(1)} s (${Math.round(seed.revisionsPerSecond)} revisions/s)`,
      );
      await verifySeeded(db, seed, { dataHome: home });
      statsStart = await plannerStats(db);
      log(`${engine}: planner statistics: ${describeStats(statsStart)}`);
    } finally {
      await db.close();
    }

    const serviceMs: number[] = [];
    host = await startServiceHost({ dataHome: home, db: pgdb?.url, env: {}, backgroundSync: false });
    server = await startBrowserServer({ host: timingHost(host, serviceMs), rendererDir: opts.rendererDir });
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.on('dialog', (d) => void d.dismiss().catch(() => {}));
    await page.addInitScript({ content: IN_PAGE });
    const navigated = performance.now();
    await page.goto(server.url);
    const scroller = page.locator(SCROLLER);
    // The Packages view is the first view; if a later renderer opens elsewhere, go there.
    if (
      !(await scroller.waitFor({ timeout: 10_000 }).then(
        () => true,
        () => false,
      ))
    ) {
      await page.getByRole('button', { name: 'Packages' }).click();
      await scroller.waitFor({ timeout: 20_000 });
    }
    // (A locator, not waitForFunction: the page's CSP forbids the eval that needs.)
    await page.locator(`${SCROLLER}[data-loaded]:not([data-loaded="0"])`).waitFor({ timeout: 60_000 });
    const firstPageShownMs = performance.now() - navigated;
    // Let the first render settle before the clock starts.
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    const heapStart = await heapMB(page, true);

    const scrollStart = (await page.evaluate('performance.now()')) as number;
    const serviceBefore = serviceMs.length;
    const pages: PageSample[] = [];
    const began = performance.now();
    for (;;) {
      const batch = (await page.evaluate(`window.__scrollBench.pages(${PAGES_PER_CALL}, ${PAGE_TIMEOUT_MS})`)) as PageSample[];
      pages.push(...batch);
      const last = batch.at(-1);
      if (!last || !last.hasMore) break;
      if (performance.now() - began > opts.budgetMs) {
        log(`${engine}: stopped after ${Math.round(opts.budgetMs / 1000)} s with ${last.loaded} loaded`);
        break;
      }
      if (pages.length % 100 < PAGES_PER_CALL) log(`${engine}: ${last.loaded} loaded, page ${pages.length}: ${Math.round(last.domMs)} ms`);
    }
    const scrollMs = performance.now() - began;
    const state = (await page.evaluate('window.__scrollBench.state()')) as { loaded: number; hasMore: boolean; rows: number };
    const heapEnd = await heapMB(page, false);
    const heapEndAfterGc = await heapMB(page, true);
    const recorded = (await page.evaluate(
      '({ pageCalls: window.__scrollBench.pageCalls, longTasks: window.__scrollBench.longTasks, longTaskSupported: window.__scrollBench.longTaskSupported })',
    )) as {
      pageCalls: PageCall[];
      longTasks: { start: number; ms: number }[];
      longTaskSupported: boolean;
    };
    log(`${engine}: ${state.loaded} loaded in ${pages.length} pages, ${(scrollMs / 1000).toFixed(1)} s; ${state.rows} rows in the DOM`);
    // PostgreSQL's autovacuum may have analyzed meanwhile; nothing analyzes a PGlite database the service holds.
    let statsEnd = statsStart;
    if (pgdb) {
      const again = await openDatabase({ db: pgdb.url, env: {} });
      try {
        statsEnd = await plannerStats(again);
      } finally {
        await again.close();
      }
    }
    const { repositories, ...seedRest } = seed;
    return {
      engine,
      stats: { start: statsStart, end: statsEnd },
      seed: { ...seedRest, repositories: repositories.length },
      firstPageShownMs,
      pages,
      // Only the calls the scrolling made (the first page came with the view).
      fetches: recorded.pageCalls.filter((c) => c.t0 >= scrollStart),
      serviceMs: serviceMs.slice(serviceBefore),
      longTasks: recorded.longTasks,
      longTaskSupported: recorded.longTaskSupported,
      scrollStart,
      scrollMs,
      load: [loadBefore, os.loadavg()[0]!],
      domRowsEnd: state.rows,
      loadedEnd: state.loaded,
      heap: { startMB: heapStart, endMB: heapEnd, endAfterGcMB: heapEndAfterGc },
    };
  } finally {
    await context?.close().catch(() => {});
    await server?.close().catch(() => {});
    await host?.close().catch(() => {});
    if (pgdb) await opts.pgdbs!.drop(pgdb.name).catch((e: unknown) => log(`could not drop ${pgdb.name}: ${errorText(e)}`));
  }
}

function rowsFor(r: EngineResult, windowSize: number, revisions: number): ResultRow[] {
  const engine = r.engine;
  const n = Math.min(windowSize, Math.floor(r.pages.length / 2));
  // The final page can be short (fewer rows to render); leave it out of the late window.
  const full = r.pages.filter((p) => p.hasMore);
  const first = full.slice(0, n).map((p) => p.domMs);
  const last = full.slice(-n).map((p) => p.domMs);
  const firstP50 = median(first);
  const lastP50 = median(last);
  const ratio = lastP50 / firstP50;
  const fetchFirst = r.fetches.slice(0, n).map((c) => c.ms);
  const fetchLast = r.fetches.slice(-n - 1, -1).map((c) => c.ms);
  const svcFirst = r.serviceMs.slice(0, n);
  const svcLast = r.serviceMs.slice(-n - 1, -1);
  const duringScroll = r.longTasks.filter((t) => t.start >= r.scrollStart);
  const longest = duringScroll.reduce((m, t) => Math.max(m, t.ms), 0);
  const maxRows = r.pages.reduce((m, p) => Math.max(m, p.rows), 0);
  const rescrolled = r.pages.filter((p) => p.rescrolled).length;
  const bytes = median(r.fetches.map((c) => c.bytes));
  const reachedAll = r.loadedEnd === revisions;
  return [
    {
      engine,
      figure: 'seeded revisions',
      value: r.seed.revisions,
      unit: 'rows',
      target: '',
      verdict: 'INFO',
      note: `${r.seed.repositories} repositories, ${(r.seed.ms / 1000).toFixed(1)} s, ${Math.round(r.seed.revisionsPerSecond)} revisions/s; ${JSON.stringify(r.seed.byLifecycle)}`,
    },
    {
      engine,
      figure: 'planner statistics before / after the scroll',
      value: null,
      unit: 'rows',
      target: '',
      verdict: 'INFO',
      note: `${describeStats(r.stats.start)} / ${describeStats(r.stats.end)}`,
    },
    {
      engine,
      figure: 'first page shown after navigation',
      value: r.firstPageShownMs,
      unit: 'ms',
      target: '',
      verdict: 'INFO',
      note: `machine load average ${r.load[0].toFixed(1)} before the seed, ${r.load[1].toFixed(1)} after the scroll (${os.availableParallelism?.() ?? os.cpus().length} cores)`,
    },
    {
      engine,
      figure: 'revisions loaded by scrolling',
      value: r.loadedEnd,
      unit: 'rows',
      target: `= ${revisions}`,
      verdict: reachedAll ? 'PASS' : 'FAIL',
      note: `${r.pages.length} pages in ${(r.scrollMs / 1000).toFixed(1)} s${reachedAll ? '' : ' (stopped: --budget-s)'}${rescrolled ? `; ${rescrolled} needed a second scroll to show new rows` : ''}`,
    },
    {
      engine,
      figure: `page time, first ${n} pages, p50`,
      value: firstP50,
      unit: 'ms',
      target: `< ${TARGET.lastP50Ms} ms`,
      verdict: firstP50 < TARGET.lastP50Ms ? 'PASS' : 'FAIL',
      note: `p95 ${Math.round(percentile(first, 95))} ms; scroll to new rows in the DOM`,
    },
    {
      engine,
      figure: `page time, last ${n} pages, p50`,
      value: lastP50,
      unit: 'ms',
      target: `< ${TARGET.lastP50Ms} ms`,
      verdict: lastP50 < TARGET.lastP50Ms ? 'PASS' : 'FAIL',
      note: `p95 ${Math.round(percentile(last, 95))} ms`,
    },
    {
      engine,
      figure: `page time p50, last ${n} / first ${n}`,
      value: ratio,
      unit: 'x',
      target: `<= ${TARGET.ratio}x`,
      verdict: ratio <= TARGET.ratio ? 'PASS' : 'FAIL',
    },
    {
      engine,
      figure: `revisions.page fetch p50, first ${n}`,
      value: median(fetchFirst),
      unit: 'ms',
      target: '',
      verdict: 'INFO',
      note: `in the page, whole body; ~${Math.round(bytes / 1024)} KB a page`,
    },
    {
      engine,
      figure: `revisions.page fetch p50, last ${n}`,
      value: median(fetchLast),
      unit: 'ms',
      target: '',
      verdict: 'INFO',
      note: `p95 ${Math.round(percentile(fetchLast, 95))} ms`,
    },
    {
      engine,
      figure: `revisions.page in the service p50, first ${n}`,
      value: median(svcFirst),
      unit: 'ms',
      target: '',
      verdict: 'INFO',
      note: 'service host call (worker), no HTTP',
    },
    {
      engine,
      figure: `revisions.page in the service p50, last ${n}`,
      value: median(svcLast),
      unit: 'ms',
      target: '',
      verdict: 'INFO',
      note: `p95 ${Math.round(percentile(svcLast, 95))} ms`,
    },
    {
      engine,
      figure: 'tr[data-index] in the DOM at the end',
      value: r.domRowsEnd,
      unit: 'rows',
      target: `< ${TARGET.domRows}`,
      verdict: r.domRowsEnd < TARGET.domRows ? 'PASS' : 'FAIL',
      note: `most during the scroll: ${maxRows}`,
    },
    {
      engine,
      figure: 'longest main-thread task while scrolling',
      value: r.longTaskSupported ? longest : null,
      unit: 'ms',
      target: `< ${TARGET.longTaskMs} ms`,
      verdict: !r.longTaskSupported ? 'ERROR' : longest < TARGET.longTaskMs ? 'PASS' : 'FAIL',
      note: r.longTaskSupported ? `${duringScroll.length} long tasks (> 50 ms)` : 'PerformanceObserver longtask unsupported',
    },
    { engine, figure: 'JS heap used, start (after GC)', value: r.heap.startMB, unit: 'MB', target: '', verdict: 'INFO' },
    {
      engine,
      figure: 'JS heap used, end',
      value: r.heap.endMB,
      unit: 'MB',
      target: '',
      verdict: 'INFO',
      note: `${Math.round(r.heap.endAfterGcMB)} MB after GC`,
    },
  ];
}

export async function runScrollBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      revisions: { type: 'string', default: '100000' },
      repositories: { type: 'string', default: '500' },
      analyze: { type: 'string', default: 'like-sync' },
      engine: { type: 'string' },
      window: { type: 'string', default: '20' },
      'budget-s': { type: 'string', default: '300' },
      'no-build': { type: 'boolean', default: false },
      'renderer-dir': { type: 'string' },
      out: { type: 'string', default: path.join(HERE, 'results', 'scroll.json') },
    },
  });
  const revisions = Number(values.revisions);
  const repositories = Math.min(Number(values.repositories), revisions);
  const windowSize = Number(values.window);
  const budgetMs = Number(values['budget-s']) * 1000;
  if (!(revisions >= 1) || !(repositories >= 1) || !(windowSize >= 1) || !(budgetMs > 0)) {
    process.stderr.write('--revisions, --repositories, --window and --budget-s must be positive numbers\n');
    return 1;
  }
  const analyze = values.analyze as NonNullable<SeedOptions['analyze']>;
  if (!['like-sync', 'full', 'none'].includes(analyze)) {
    process.stderr.write(`--analyze must be like-sync, full or none, not "${values.analyze}"\n`);
    return 1;
  }
  const adminUrl = benchAdminUrl();
  const chosen = benchEngines(values.engine, adminUrl);
  if ('error' in chosen) {
    process.stderr.write(`${chosen.error}\n`);
    return 1;
  }
  const { engines } = chosen;
  const warnings = chosen.warning ? [chosen.warning] : [];
  if (!fs.existsSync(CHROMIUM)) {
    process.stderr.write(`Chromium is missing at ${CHROMIUM}: apt-get install chromium, or set PORCHLIGHT_CHROMIUM\n`);
    return 1;
  }
  for (const w of warnings) log(`!!! ${w} !!!`);

  let rendererDir = RENDERER_DIR;
  if (values['renderer-dir']) rendererDir = path.resolve(values['renderer-dir']);
  else if (!values['no-build']) {
    // Built from the sources under test, never a stale build (as the browser test does).
    log('building the renderer');
    await ensureRendererBuilt(() => {}, true);
  } else await ensureRendererBuilt((s) => log(s.trim()));
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    process.stderr.write(`no renderer in ${rendererDir}\n`);
    return 1;
  }

  const machine = await machineInfo();
  const pgdbs = adminUrl ? new PgDatabases(adminUrl) : undefined;
  const pgVersion = engines.includes('postgres') ? await pgdbs!.version().catch(() => 'unknown') : undefined;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const browserVersion = browser.version();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-bench-scroll-'));
  const results: EngineResult[] = [];
  const errors: { engine: EngineKind; error: string }[] = [];
  try {
    for (const engine of engines) {
      try {
        results.push(await measureEngine(engine, browser, { revisions, repositories, analyze, budgetMs, rendererDir, work, pgdbs }));
      } catch (e) {
        log(`${engine}: ERROR ${errorText(e)}`);
        errors.push({ engine, error: errorText(e) });
      }
    }
  } finally {
    await browser.close().catch(() => {});
    await pgdbs?.dropAll();
    fs.rmSync(work, { recursive: true, force: true });
  }

  const rows: ResultRow[] = [];
  for (const r of results) rows.push(...rowsFor(r, windowSize, revisions));
  for (const e of errors)
    rows.push({ engine: e.engine, figure: 'scroll through every revision', value: null, unit: 'ms', target: '', verdict: 'ERROR', note: e.error });
  process.stdout.write(`${renderTable(rows)}\n`);
  for (const w of warnings) process.stdout.write(`!!! ${w} !!!\n`);
  await writeJson(values.out, {
    ranAt: new Date().toISOString(),
    machine: { ...machine, chromium: browserVersion, ...(pgVersion ? { postgres: pgVersion } : {}) },
    options: { revisions, repositories, analyze, window: windowSize, budgetS: budgetMs / 1000, engines },
    warnings,
    rows,
    errors,
    raw: Object.fromEntries(
      results.map((r) => [
        r.engine,
        {
          seed: {
            ...r.seed,
            ms: round1(r.seed.ms),
            analyzeMs: round1(r.seed.analyzeMs),
            revisionsPerSecond: Math.round(r.seed.revisionsPerSecond),
            resourcesPerSecond: Math.round(r.seed.resourcesPerSecond),
          },
          stats: r.stats,
          firstPageShownMs: round1(r.firstPageShownMs),
          scrollMs: round1(r.scrollMs),
          loadAverage: r.load.map(round1),
          pages: r.pages.map((p) => ({
            before: p.before,
            domMs: round1(p.domMs),
            loadedMs: round1(p.loadedMs),
            frameMs: round1(p.frameMs),
            rows: p.rows,
            ...(p.rescrolled ? { rescrolled: true } : {}),
          })),
          fetchMs: r.fetches.map((c) => round1(c.ms)),
          fetchBytes: r.fetches.map((c) => c.bytes),
          serviceMs: r.serviceMs.map(round1),
          longTasks: r.longTasks.map((t) => ({ atMs: round1(t.start - r.scrollStart), ms: round1(t.ms) })),
          heap: { startMB: round1(r.heap.startMB), endMB: round1(r.heap.endMB), endAfterGcMB: round1(r.heap.endAfterGcMB) },
        },
      ]),
    ),
  });
  // Ran, whatever the verdicts; could not run at all only if no engine got through.
  return results.length > 0 ? 0 : 1;
}

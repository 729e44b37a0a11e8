// The scale benchmark's child processes (bench/scale-bench.ts), and the
// workload both sides share.
//
// A child opens a seeded database as the app does (openDatabase, then
// the service), so what it reports is a fresh process's, untouched by
// the parent's seeding:
//   - mode 'cold-open': openDatabase + service + the window's first page
//     (revisions.page: pageRevisionSummaries, namespace-wide, 100 rows), timed
//     inside the child; also the time since the process started, which adds
//     Node's start and tsx compiling the sources (the packaged app is bundled).
//   - mode 'rss': the same reads the in-process figures make (keyset pages of
//     random repositories, first and later, both page calls; readResources of
//     published revisions; name and file-path searches; namespace-wide pages),
//     then two forced GCs (node --expose-gc) and process.memoryUsage().rss.
//     RSS is the whole process: V8's heap, Node, and with PGlite the embedded
//     PostgreSQL (its WebAssembly memory: shared buffers, catalog caches, work
//     memory), which never shrinks once grown. With PostgreSQL the server is
//     another process and is not counted.
// Input: one JSON argument (ChildRequest). Output: one line `RESULT <json>`.
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../src-main/db/open-database.ts';
import { openService, type Service } from '../src-main/service/service.ts';
import { memory } from './measure.ts';

export interface ChildRequest {
  mode: 'cold-open' | 'rss';
  /** PGlite directory or postgres:// URL. */
  db: string;
  dataHome: string;
  namespace: string;
  /** Workload size and random seed (mode 'rss'). */
  workload?: WorkloadOptions;
}

export interface ChildResult {
  ok: boolean;
  error?: string;
  /** ms since the process started (performance.timeOrigin) when main() began: Node start + module loading. */
  startedAtMs?: number;
  openMs?: number;
  serviceMs?: number;
  firstPageMs?: number;
  /** openDatabase + service + first page. */
  openToFirstPageMs?: number;
  /** Process start to the first page shown. */
  processToFirstPageMs?: number;
  firstPageRows?: number;
  rssStart?: number;
  rssAfterOpen?: number;
  rssAfterWorkload?: number;
  /** After two forced GCs: the figure. */
  rssAfterGc?: number;
  peakRss?: number;
  heapUsed?: number;
  external?: number;
  arrayBuffers?: number;
  workload?: WorkloadSummary;
}

// ---- the shared workload -------------------------------------------------------

/** mulberry32: a small seeded PRNG, so every run asks the same questions. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

export interface SearchTerm {
  kind: string;
  text: string;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * What someone types into the search box (by name), drawn from the seeded
 * shape: repositories `<prefix>-NNNN`, packages `pkg-NNNNN` (one in eight
 * under `apps/`, one in eight under `infra/network/`), 50 packages per
 * repository of 200 revisions.
 *   repo          a whole repository name: its 200 revisions
 *   repo-prefix   the start of one, as typed: ~10 repositories' revisions
 *   package       a package name: its 4 revisions in every repository (~2,000)
 *   path          a directory and package (apps/pkg-00011): one package everywhere
 *   word          a directory name (apps, network): one package in eight
 *   miss          a package that exists nowhere (every search box sees typos)
 */
export function nameSearchTerms(random: () => number, repositoryNames: readonly string[], count: number): SearchTerm[] {
  const kinds = ['repo', 'repo-prefix', 'package', 'path', 'word', 'miss'] as const;
  const out: SearchTerm[] = [];
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % kinds.length]!;
    const repo = pick(random, repositoryNames);
    let text: string;
    switch (kind) {
      case 'repo':
        text = repo;
        break;
      case 'repo-prefix':
        text = repo.slice(0, repo.length - 1);
        break;
      case 'package':
        text = `pkg-${pad(Math.floor(random() * 50), 5)}`;
        break;
      case 'path': {
        // g % 8 == 3 lives under apps/, g % 8 == 7 under infra/network/ (test/support/seed-revisions.ts).
        const g = 8 * Math.floor(random() * 6) + (random() < 0.5 ? 3 : 7);
        text = `${g % 8 === 3 ? 'apps' : 'network'}/pkg-${pad(g, 5)}`;
        break;
      }
      case 'word':
        text = random() < 0.5 ? 'network' : 'apps/';
        break;
      case 'miss':
        text = `pkg-${pad(90000 + Math.floor(random() * 9999), 5)}`;
        break;
    }
    out.push({ kind, text });
  }
  return out;
}

/**
 * File paths typed into the search box in file mode. Every seeded revision
 * holds `Kptfile` and `resource-001.yaml` ... `resource-014.yaml`, so a hit
 * matches every revision and a miss matches none; both ends are asked.
 *   kptfile, resource, yaml-suffix   present in every revision
 *   miss                             a file no revision has
 */
export function filePathSearchTerms(random: () => number, count: number): SearchTerm[] {
  const kinds = ['kptfile', 'resource', 'yaml-suffix', 'miss'] as const;
  const out: SearchTerm[] = [];
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % kinds.length]!;
    const text =
      kind === 'kptfile'
        ? 'Kptfile'
        : kind === 'resource'
          ? `resource-${pad(1 + Math.floor(random() * 14), 3)}`
          : kind === 'yaml-suffix'
            ? `${pad(1 + Math.floor(random() * 14), 3)}.yaml`
            : pick(random, ['deployment.yaml', 'service.yaml', 'resource-099.yaml', 'setters.yaml']);
    out.push({ kind, text });
  }
  return out;
}

export interface WorkloadOptions {
  seed: number;
  /** Repositories whose first and second page are read (both page calls). */
  repositoryPages: number;
  /** readResources of published revisions seen on those pages. */
  gets: number;
  /** Name searches and file-path searches (both page calls each). */
  searches: number;
  /** Namespace-wide pages walked from the start. */
  namespacePages: number;
}

export interface WorkloadSummary {
  calls: number;
  rowsRead: number;
  resourcesRead: number;
  ms: number;
}

/** The reads of the scale figures, without timing each: the memory child's workload. */
export async function runWorkload(service: Service, namespace: string, w: WorkloadOptions): Promise<WorkloadSummary> {
  const started = performance.now();
  const random = rng(w.seed);
  const repos = (await service.call('repositories.list', { namespace })).map((r) => r.metadata.name);
  let calls = 1;
  let rowsRead = 0;
  let resourcesRead = 0;
  const published: string[] = [];
  for (let i = 0; i < w.repositoryPages; i++) {
    const repository = pick(random, repos);
    const a = await service.call('revisions.page', { namespace, repository, limit: 100 });
    const b = a.next ? await service.call('revisions.page', { namespace, repository, limit: 100, after: a.next }) : { items: [] };
    const c = await service.call('revisions.pageFull', { namespace, repository, limit: 100 });
    const d = c.next ? await service.call('revisions.pageFull', { namespace, repository, limit: 100, after: c.next }) : { items: [] };
    calls += 2 + (a.next ? 1 : 0) + (c.next ? 1 : 0);
    rowsRead += a.items.length + b.items.length + c.items.length + d.items.length;
    for (const item of [...a.items, ...b.items]) if (item.lifecycle === 'Published' && item.revision > 0) published.push(item.name);
  }
  for (let i = 0; i < w.gets && published.length; i++) {
    const r = await service.call('revisions.resources', { namespace, name: pick(random, published) });
    calls++;
    resourcesRead += r.files.length;
  }
  const names = nameSearchTerms(random, repos, w.searches);
  const files = filePathSearchTerms(random, w.searches);
  for (let i = 0; i < w.searches; i++) {
    for (const page of [
      await service.call('revisions.page', { namespace, limit: 100, search: names[i]!.text }),
      await service.call('revisions.pageFull', { namespace, limit: 100, search: names[i]!.text }),
      await service.call('revisions.page', { namespace, limit: 100, filePath: files[i]!.text }),
      await service.call('revisions.pageFull', { namespace, limit: 100, filePath: files[i]!.text }),
    ]) {
      calls++;
      rowsRead += page.items.length;
    }
  }
  let after: string | undefined;
  for (let i = 0; i < w.namespacePages; i++) {
    const page = await service.call('revisions.page', { namespace, limit: 100, ...(after ? { after } : {}) });
    calls++;
    rowsRead += page.items.length;
    if (!page.next) break;
    after = page.next;
  }
  return { calls, rowsRead, resourcesRead, ms: performance.now() - started };
}

// ---- the child ---------------------------------------------------------------

async function gcHard(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the memory child with node --expose-gc');
  gc();
  await sleep(50);
  gc();
  await sleep(50);
}

async function child(req: ChildRequest): Promise<ChildResult> {
  const startedAtMs = performance.now();
  const rssStart = memory().rss;
  const t0 = performance.now();
  const db = await openDatabase({ db: req.db, dataHome: req.dataHome, env: {} });
  const t1 = performance.now();
  const rssAfterOpen = memory().rss;
  const service = openService({ db, dataHome: req.dataHome });
  const t2 = performance.now();
  try {
    if (req.mode === 'cold-open') {
      const page = await service.call('revisions.page', { namespace: req.namespace, limit: 100 });
      const t3 = performance.now();
      if (page.items.length === 0) throw new Error('the first page is empty');
      return {
        ok: true,
        startedAtMs,
        openMs: t1 - t0,
        serviceMs: t2 - t1,
        firstPageMs: t3 - t2,
        openToFirstPageMs: t3 - t0,
        processToFirstPageMs: t3,
        firstPageRows: page.items.length,
        rssStart,
        rssAfterOpen,
      };
    }
    if (!req.workload) throw new Error('mode rss needs a workload');
    const workload = await runWorkload(service, req.namespace, req.workload);
    const rssAfterWorkload = memory().rss;
    await gcHard();
    const m = memory();
    const mu = process.memoryUsage();
    return {
      ok: true,
      startedAtMs,
      openMs: t1 - t0,
      rssStart,
      rssAfterOpen,
      rssAfterWorkload,
      rssAfterGc: m.rss,
      peakRss: m.peakRss,
      heapUsed: m.heapUsed,
      external: m.external,
      arrayBuffers: mu.arrayBuffers,
      workload,
    };
  } finally {
    await service.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  child(JSON.parse(process.argv[2] ?? '{}') as ChildRequest).then(
    (result) => {
      process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
      process.exit(0);
    },
    (e: unknown) => {
      process.stdout.write(`RESULT ${JSON.stringify({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) })}\n`);
      process.exit(1);
    },
  );
}

// `npm run bench -- <name> [options]`: runs one named benchmark. Benchmarks
// print a table and write bench/results/<name>.json; they exit 0 whether or not
// their targets are met, and 1 only when they could not run.
import { pathToFileURL } from 'node:url';

interface Benchmark {
  description: string;
  run: (args: string[]) => Promise<number>;
}

export const BENCHMARKS: Record<string, Benchmark> = {
  sync: {
    description:
      'first sync, unchanged re-sync, one new tag and memory on a generated 1,000 x 3 repository, PGlite and PostgreSQL (PORCHLIGHT_BENCH_PG_URL), against a native-git + bulk-insert floor',
    run: async (args) => (await import('./sync-bench.ts')).runSyncBench(args),
  },
  lifecycle: {
    description:
      'save of one edited resource, propose and approve (with push to a loopback Git server) in repositories of 100 and 10,000 revisions, PGlite and PostgreSQL (PORCHLIGHT_BENCH_PG_URL)',
    run: async (args) => (await import('./lifecycle-bench.ts')).runLifecycleBench(args),
  },
  responsiveness: {
    description: "revisions.list latency and the caller's event loop while the service (on its worker thread) syncs 1,000 x 3 revisions",
    run: async (args) => (await import('./responsiveness-bench.ts')).runResponsivenessBench(args),
  },
  scroll: {
    description:
      "the window's package list scrolled through 100,000 revisions in Chromium (browser mode): time per keyset page early and late, rows in the DOM, long tasks; PGlite and PostgreSQL (PORCHLIGHT_BENCH_PG_URL)",
    run: async (args) => (await import('./scroll-bench.ts')).runScrollBench(args),
  },
  scale: {
    description:
      'the cache at 100,000 revisions (500 repositories, 1.5M resources): page, get, search, catalog read, cold open, RSS vs 10,000, cleanup of a 10,000-revision repository with reads alongside; PGlite and PostgreSQL (PORCHLIGHT_BENCH_PG_URL)',
    run: async (args) => (await import('./scale-bench.ts')).runScaleBench(args),
  },
  render: {
    description: 'in-process kpt render: p50 of each Nephio blueprint with its built-in steps, and the whole catalog conformance suite',
    run: async (args) => (await import('./render-bench.ts')).runRenderBench(args),
  },
  'sync-profile': {
    description: 'where one first sync, unchanged re-sync and new-tag re-sync spend their time (timeline of SQL, Git reads, JS); --engine pglite|postgres',
    run: async (args) => (await import('./sync-profile.ts')).runSyncProfile(args),
  },
  cli: {
    description:
      "the porchlight command as whole processes: --help, rpkg get at 10,000 revisions and propose with and without a running service, Porch's porchctl scripts today vs now, repo register of 1,000 x 3 against the native floor; PGlite and PostgreSQL (PORCHLIGHT_BENCH_PG_URL)",
    run: async (args) => (await import('./cli-bench.ts')).runCliBench(args),
  },
  kube: {
    description: 'kubectl get packagerevisions -A at 10,000 revisions; watch latency',
    run: async (a) => (await import('./kube-bench.ts')).runKubeBench(a),
  },
};

function usage(): string {
  const names = Object.entries(BENCHMARKS).map(([name, b]) => `  ${name.padEnd(13)} ${b.description}`);
  return `usage: npm run bench -- <name> [options]\n\nbenchmarks:\n${names.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const bench = name ? BENCHMARKS[name] : undefined;
  if (!bench) {
    process.stderr.write(`${name ? `unknown benchmark "${name}"\n\n` : ''}${usage()}`);
    return 1;
  }
  return bench.run(rest);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    // Exit explicitly: an embedded database or a pooled connection must not keep a finished benchmark alive.
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`benchmark failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}

// Compiles the CLI and the service's worker to JavaScript in dist/cli/, so a
// command starts without compiling TypeScript. One esbuild run, ESM, with code
// splitting: a module only a lazily imported path needs (PGlite, pg,
// isomorphic-git, the in-process service) lands in a chunk only that path
// loads. Runs at `npm install` (the root package's own `prepare`), and from
// bin/porchlight.mjs whenever the sources changed since the last build.
//
//   node scripts/build-cli.mjs            builds (a failure warns, never fails npm install)
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUILD_ROOT, ROOT, writeBuildState } from '../bin/compiled.mjs';

const ENTRIES = { cli: 'src-main/cli/main.ts', 'service-worker': 'src-main/host/service-worker.ts' };

/**
 * Left to Node at run time: packages that find files of their own next to
 * their modules (PGlite's WebAssembly), native or optional parts (pg), the
 * build tools the CLI calls (vite for the renderer), and isomorphic-git.
 */
const EXTERNAL = ['@electric-sql/pglite', 'pg', 'pg-native', 'isomorphic-git', 'vite', 'electron', 'tsx', 'esbuild', 'playwright-core'];

/** tsx's own esbuild: a dependency of a dependency we declare, so it is there whenever tsx is, in the version tsx works with. */
function loadEsbuild() {
  const fromTsx = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'));
  return fromTsx('esbuild');
}

/**
 * Every module is free of side effects as far as bundling goes (no source
 * file is imported for its effects alone), so a module whose exports a path
 * does not use is left out of it entirely: the CLI's remote path reads
 * resolveDataHome from open-database.ts without loading the database drivers.
 */
const lazyModules = {
  name: 'lazy-modules',
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === 'inner' || args.kind === 'entry-point') return undefined;
      if (EXTERNAL.some((p) => args.path === p || args.path.startsWith(`${p}/`))) return { path: args.path, external: true, sideEffects: false };
      const resolved = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: 'inner' });
      if (resolved.errors.length) return { errors: resolved.errors };
      return { ...resolved, sideEffects: false };
    });
    // Modules find files next to them (migrations/, out/renderer, bin/service-worker.mjs) by import.meta.url:
    // in the bundle it still names the source file, so those paths stay right.
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      let contents = await fs.promises.readFile(args.path, 'utf8');
      if (contents.includes('import.meta.url')) {
        const source = JSON.stringify(pathToFileURL(args.path).href.slice(pathToFileURL(`${ROOT}${path.sep}`).href.length));
        contents = contents.replaceAll('import.meta.url', `new URL(${source}, new URL('../../../', import.meta.url)).href`);
      }
      return { contents, loader: 'ts' };
    });
  },
};

/** Builds into a new directory and then points dist/cli/current.json at it: a CLI starting meanwhile runs the previous build, whole. */
export async function buildCli() {
  const esbuild = loadEsbuild();
  fs.mkdirSync(BUILD_ROOT, { recursive: true });
  const id = `build-${Date.now().toString(36)}-${process.pid}`;
  const tmp = path.join(BUILD_ROOT, `.${id}.tmp`);
  const started = performance.now();
  const startedAt = Date.now();
  try {
    const result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: ENTRIES,
      outdir: tmp,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outExtension: { '.js': '.mjs' },
      chunkNames: '[name]-[hash]',
      sourcemap: 'linked',
      // Less for V8 to parse at every start; the source maps name the TypeScript.
      minify: true,
      keepNames: true,
      sourcesContent: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [lazyModules],
      // CommonJS packages bundled into ESM still call require() for Node's own modules.
      banner: { js: "import { createRequire as __porchlightRequire } from 'node:module'; const require = __porchlightRequire(import.meta.url);" },
    });
    fs.renameSync(tmp, path.join(BUILD_ROOT, id));
    writeBuildState(id, inputsOf(result.metafile), startedAt);
    if (process.env.PORCHLIGHT_BUILD_META) fs.writeFileSync(process.env.PORCHLIGHT_BUILD_META, JSON.stringify(result.metafile));
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  removeOldBuilds(id);
  return { id, dir: path.join(BUILD_ROOT, id), ms: performance.now() - started };
}

/** What the build read: our sources, and for a bundled package its package.json (a new version of it changes that file). */
function inputsOf(metafile) {
  const files = new Set([path.relative(ROOT, fileURLToPath(import.meta.url)), 'bin/compiled.mjs']);
  for (const input of Object.keys(metafile.inputs)) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    files.add(m ? `${m[1]}/package.json` : input);
  }
  return [...files];
}

/** Keeps the three builds before this one: a service started from one of them may still load a chunk. */
function removeOldBuilds(current) {
  const builds = fs
    .readdirSync(BUILD_ROOT)
    .filter((n) => n.startsWith('build-') && n !== current)
    .map((n) => ({ n, t: fs.statSync(path.join(BUILD_ROOT, n)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { n } of builds.slice(3)) fs.rmSync(path.join(BUILD_ROOT, n), { recursive: true, force: true });
  for (const n of fs.readdirSync(BUILD_ROOT)) {
    // A temporary directory of a build that died; a live one is younger than a minute.
    const p = path.join(BUILD_ROOT, n);
    if (n.endsWith('.tmp') && Date.now() - fs.statSync(p).mtimeMs > 60_000) fs.rmSync(p, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  buildCli().then(
    (b) => process.stdout.write(`porchlight: compiled the CLI into ${path.relative(ROOT, b.dir)} (${Math.round(b.ms)} ms)\n`),
    (e) => {
      // Never fail `npm install`: bin/porchlight.mjs tries again, and runs the sources with tsx meanwhile.
      process.stderr.write(`porchlight: could not compile the CLI (${e instanceof Error ? e.message : String(e)}); it will run from its sources\n`);
    },
  );
}

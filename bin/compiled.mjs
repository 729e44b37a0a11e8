// Whether dist/cli/ holds a build of the CLI made from the sources as they
// are now: dist/cli/current.json lists every file the build read with its
// modification time and size, and one stat of each says if any changed.
// Plain JavaScript, loaded before anything else, so it must stay cheap.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/[\\/]$/, '');
export const BUILD_ROOT = path.join(ROOT, 'dist', 'cli');
const STATE = path.join(BUILD_ROOT, 'current.json');

/** The URL of `<name>.mjs` in the current build, or undefined when there is none or a source changed since. */
export function freshEntry(name) {
  let state;
  try {
    state = JSON.parse(fs.readFileSync(STATE, 'utf8'));
  } catch {
    return undefined;
  }
  for (const [file, mtimeMs, size] of state.inputs) {
    const st = fs.statSync(path.join(ROOT, file), { throwIfNoEntry: false });
    if (!st || st.mtimeMs !== mtimeMs || st.size !== size) return undefined;
  }
  const entry = path.join(BUILD_ROOT, state.build, `${name}.mjs`);
  return fs.existsSync(entry) ? pathToFileURL(entry).href : undefined;
}

/**
 * Records a finished build (atomically: a reader sees the old state or the
 * new). A file changed after `startedAt` may have been read before the change:
 * it is recorded as changed, so the next run builds again.
 */
export function writeBuildState(build, files, startedAt) {
  const inputs = files.map((file) => {
    const st = fs.statSync(path.join(ROOT, file));
    return [file.split(path.sep).join('/'), st.mtimeMs >= startedAt ? -1 : st.mtimeMs, st.size];
  });
  const tmp = `${STATE}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify({ build, inputs })}\n`);
  fs.renameSync(tmp, STATE);
}

/**
 * The compiled entry, building it first when the sources changed; undefined
 * when it cannot be built (the caller then runs the sources with tsx, which
 * reports a broken source file as well as anything could). A build that
 * failed is not tried again until a source file changes.
 */
export async function compiledEntry(name, progress) {
  const fresh = freshEntry(name);
  if (fresh) return fresh;
  const sources = sourceState();
  if (readText(FAILED) === sources) return undefined;
  const lock = await buildLock();
  try {
    // Another process may have built it while this one waited.
    const built = freshEntry(name);
    if (built) return built;
    progress?.('porchlight: compiling the CLI (once after each change of its sources)…\n');
    const { buildCli } = await import('../scripts/build-cli.mjs');
    await buildCli();
    fs.rmSync(FAILED, { force: true });
    return freshEntry(name);
  } catch {
    fs.mkdirSync(BUILD_ROOT, { recursive: true });
    fs.writeFileSync(FAILED, sources);
    return undefined;
  } finally {
    lock?.();
  }
}

const FAILED = path.join(BUILD_ROOT, 'failed.txt');
const LOCK = path.join(BUILD_ROOT, '.build.lock');

function readText(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Every source file's name, time and size: walked only when the build is stale, to tell a known failure from a new attempt. */
function sourceState() {
  const lines = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.ts')) {
        const st = fs.statSync(path.join(ROOT, rel));
        lines.push(`${rel} ${st.mtimeMs} ${st.size}`);
      }
    }
  };
  for (const dir of ['src-main', 'src-shared']) walk(dir);
  return `${lines.join('\n')}\n`;
}

/** One build at a time: the others wait for it (a minute at most) rather than build the same thing. Returns the release. */
async function buildLock() {
  fs.mkdirSync(BUILD_ROOT, { recursive: true });
  for (let waited = 0; waited < 60_000; waited += 50) {
    try {
      fs.writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(LOCK, { force: true });
    } catch (e) {
      if (e.code !== 'EEXIST') return undefined;
      const holder = Number(readText(LOCK));
      if (holder && !alive(holder)) fs.rmSync(LOCK, { force: true });
      else await new Promise((r) => setTimeout(r, 50));
    }
  }
  return undefined;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

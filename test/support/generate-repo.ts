// Generates a bare repository in Porch's layout for benchmarks: packages at
// the root, history on `main`, one approval commit per published revision with
// Porch's `kpt:` annotation, and a lightweight `<pkg>/v<N>` tag on it.
// `git fast-import` writes 1,000 x 3 revisions in about a second, and fixed
// dates make the object ids the same on every run.
//
//   node --import tsx test/support/generate-repo.ts --dir /tmp/big.git --packages 1000 --revisions 3
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface GenerateRepoOptions {
  /** Bare repository to create; must not exist or be empty. */
  dir: string;
  packages?: number;
  revisions?: number;
  /** Files in each package revision (min 1, the Kptfile); default 5. */
  filesPerPackage?: number;
}

export interface GenerateRepoResult {
  dir: string;
  packages: string[];
  tags: number;
  /** Commit id of refs/heads/main. */
  head: string;
}

const AUTHOR = 'Porch Test <porch@kpt.dev>';
/** 2023-11-14T22:13:20Z; each commit is one second later. */
const BASE_EPOCH = 1_700_000_000;

async function git(dir: string, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', ['-c', 'safe.directory=*', ...args], {
    cwd: dir,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** `pkg-0001` ... zero-padded so names sort like their numbers. */
export function packageName(index: number, total: number): string {
  return `pkg-${String(index + 1).padStart(Math.max(4, String(total).length), '0')}`;
}

/**
 * Exactly the shape Porch writes on approval, as found in its test
 * repositories (nested-repository-with-invalid-kpt-annotation.tar):
 * `Approve <pkg>/v<N>`, a blank line, then the `kpt:` JSON annotation.
 */
export function approvalMessage(pkg: string, revision: number): string {
  const annotation = { package: pkg, workspaceName: `v${revision}`, revision: `v${revision}` };
  return `Approve ${pkg}/v${revision}\n\nkpt:${JSON.stringify(annotation)}\n`;
}

/** The files of one package revision; a few lines change with the revision so every tree differs. */
export function packageFiles(pkg: string, revision: number, count = 5): [string, string][] {
  const files: [string, string][] = [
    [
      'Kptfile',
      `apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: ${pkg}\n  annotations:\n    config.kubernetes.io/local-config: "true"\ninfo:\n  description: ${pkg} blueprint, revision ${revision}\n`,
    ],
    [
      'package-context.yaml',
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kptfile.kpt.dev\n  annotations:\n    config.kubernetes.io/local-config: "true"\ndata:\n  name: ${pkg}\n`,
    ],
    ['README.md', `# ${pkg}\n\n## Description\n${pkg} blueprint, revision ${revision}\n\n## Usage\n\nkpt pkg get ${pkg}\n`],
    [
      'namespace.yaml',
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${pkg}\n  labels:\n    app.kubernetes.io/name: ${pkg}\n    app.kubernetes.io/version: v${revision}\n`,
    ],
    [
      'configmap.yaml',
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${pkg}-config\n  namespace: ${pkg}\ndata:\n  revision: "${revision}"\n  replicas: "${(revision % 5) + 1}"\n  logLevel: ${revision % 2 === 0 ? 'debug' : 'info'}\n`,
    ],
  ];
  for (let i = files.length; i < count; i++) {
    files.push([
      `extra-${i - 4}.yaml`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${pkg}-extra-${i - 4}\n  namespace: ${pkg}\ndata:\n  revision: "${revision}"\n`,
    ]);
  }
  return files.slice(0, Math.max(1, count));
}

function data(text: string): string {
  return `data ${Buffer.byteLength(text)}\n${text}\n`;
}

/**
 * fast-import commands for one approval commit on main replacing `pkg/`. With
 * `tagIt`, fast-import also writes the tag (one loose ref, fine for a single
 * approval; generateRepo writes its thousands of tags to packed-refs itself).
 */
function approvalCommit(pkg: string, revision: number, epoch: number, files: number, opts: { mark?: number; from?: string; tagIt?: boolean }): string {
  let out = `commit refs/heads/main\n`;
  if (opts.mark) out += `mark :${opts.mark}\n`;
  out += `author ${AUTHOR} ${epoch} +0000\ncommitter ${AUTHOR} ${epoch} +0000\n`;
  out += data(approvalMessage(pkg, revision));
  if (opts.from) out += `from ${opts.from}\n`;
  out += `D ${pkg}\n`; // the published revision replaces the whole package directory
  for (const [name, content] of packageFiles(pkg, revision, files)) out += `M 100644 inline ${pkg}/${name}\n${data(content)}`;
  out += '\n';
  if (opts.tagIt) out += `reset refs/tags/${pkg}/v${revision}\nfrom refs/heads/main\n\n`;
  return out;
}

async function fastImport(dir: string, input: Iterable<string>, extraArgs: string[] = []): Promise<void> {
  const child = spawn('git', ['-c', 'safe.directory=*', 'fast-import', '--quiet', '--done', ...extraArgs], {
    cwd: dir,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number>((res, rej) => {
    child.on('error', rej);
    child.on('close', (code) => res(code ?? 1));
  });
  Readable.from(input).pipe(child.stdin); // streamed: 10k packages would be ~50 MB of input
  const code = await exited;
  if (code !== 0) throw new Error(`git fast-import failed (${code}): ${stderr}`);
}

export async function generateRepo(options: GenerateRepoOptions): Promise<GenerateRepoResult> {
  const dir = resolve(options.dir);
  const { packages: n = 1000, revisions = 3, filesPerPackage = 5 } = options;
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} exists and is not empty`);
  await execFileAsync('git', ['init', '-q', '--bare', '-b', 'main', dir]);
  await git(dir, ['config', 'http.receivepack', 'true']);
  const names = Array.from({ length: n }, (_, i) => packageName(i, n));

  const tagsByMark: string[] = [];
  function* commands(): Generator<string> {
    let epoch = BASE_EPOCH;
    let mark = 0;
    yield `commit refs/heads/main\nauthor ${AUTHOR} ${epoch} +0000\ncommitter ${AUTHOR} ${epoch} +0000\n${data('Initial commit\n')}\n`;
    // Revision 1 of every package, then revision 2, ...: Porch-like history
    // where tags of one package are far apart on main.
    for (let r = 1; r <= revisions; r++) {
      for (const pkg of names) {
        tagsByMark[++mark] = `refs/tags/${pkg}/v${r}`;
        yield approvalCommit(pkg, r, ++epoch, filesPerPackage, { mark });
      }
    }
    yield 'done\n';
  }
  const marksFile = join(dir, 'generate-repo.marks');
  await fastImport(dir, commands(), [`--export-marks=${marksFile}`]);
  // Thousands of loose tag files cost seconds of filesystem time (and slow
  // every ref listing); one sorted packed-refs file is what `git pack-refs` makes.
  const refs: string[] = [];
  for (const line of (await readFile(marksFile, 'utf8')).split('\n')) {
    const [m, oid] = line.split(' ');
    const ref = m ? tagsByMark[Number(m.slice(1))] : undefined;
    if (ref && oid) refs.push(`${oid} ${ref}\n`);
  }
  await rm(marksFile);
  refs.sort((a, b) => (a.slice(41) < b.slice(41) ? -1 : 1));
  await writeFile(join(dir, 'packed-refs'), `# pack-refs with: peeled fully-peeled sorted \n${refs.join('')}`);
  const head = (await git(dir, ['rev-parse', 'refs/heads/main'])).trim();
  return { dir, packages: names, tags: n * revisions, head };
}

/** Publishes the next revision of `pkg` on main, like an approval, and tags it. */
export async function addOneTag(dir: string, pkg: string, filesPerPackage = 5): Promise<{ tag: string; revision: number; commit: string }> {
  const tags = await git(dir, ['for-each-ref', '--format=%(refname:lstrip=2)', `refs/tags/${pkg}/`]);
  let last = 0;
  for (const t of tags.split('\n')) {
    const m = /\/v(\d+)$/.exec(t);
    if (m && t === `${pkg}/v${m[1]}`) last = Math.max(last, Number(m[1]));
  }
  const revision = last + 1;
  // One second after main's tip keeps the result deterministic.
  const epoch = Number((await git(dir, ['log', '-1', '--format=%ct', 'refs/heads/main'])).trim()) + 1;
  await fastImport(dir, [approvalCommit(pkg, revision, epoch, filesPerPackage, { from: 'refs/heads/main^0', tagIt: true }), 'done\n']);
  const tag = `${pkg}/v${revision}`;
  const commit = (await git(dir, ['rev-parse', `refs/tags/${tag}`])).trim();
  return { tag, revision, commit };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      packages: { type: 'string', default: '1000' },
      revisions: { type: 'string', default: '3' },
      files: { type: 'string', default: '5' },
      'add-tag': { type: 'string' },
    },
  });
  if (!values.dir) throw new Error('usage: generate-repo --dir <bare repo> [--packages 1000] [--revisions 3] [--files 5] | --add-tag <pkg>');
  const started = performance.now();
  if (values['add-tag']) {
    const r = await addOneTag(values.dir, values['add-tag'], Number(values.files));
    console.log(`tagged ${r.tag} at ${r.commit}`);
    return;
  }
  const r = await generateRepo({
    dir: values.dir,
    packages: Number(values.packages),
    revisions: Number(values.revisions),
    filesPerPackage: Number(values.files),
  });
  console.log(`${r.dir}: ${r.packages.length} packages, ${r.tags} tags, main ${r.head} in ${Math.round(performance.now() - started)} ms`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}

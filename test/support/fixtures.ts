// Materialises Porch's own test repositories (shared/porch/git-repos) as bare
// repositories a test Git server can serve. The data is read in place from
// `<repo>/../shared/porch/`, never copied into the project.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** `<repo>/../shared/porch/git-repos`, where CI keeps Porch's test repositories. */
export const PORCH_GIT_REPOS_DIR = fileURLToPath(new URL('../../../shared/porch/git-repos', import.meta.url));

/** The tarred `.git` directories of Porch's `pkg/externalrepo/git/testdata`. */
export const PORCH_TAR_REPOS = [
  'drafts-repository',
  'empty-repository',
  'manual-tagged-repository',
  'nested-repository',
  'nested-repository-with-invalid-kpt-annotation',
  'publishinfo-repository',
  'simple-repository',
  'trivial-repository',
] as const;
export type PorchTarRepo = (typeof PORCH_TAR_REPOS)[number];

/** Runs native git without a shell; tar fixtures belong to a foreign uid, hence safe.directory. */
export async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', ['-c', 'safe.directory=*', ...args], {
    cwd,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
  });
  return stdout;
}

/** Throws a message that says what is missing instead of a bare ENOENT. */
export function porchDataPath(file: string): string {
  if (!existsSync(PORCH_GIT_REPOS_DIR)) {
    throw new Error(`Porch test data not found at ${PORCH_GIT_REPOS_DIR}: check out shared/ beside the project (see shared/porch/README.md)`);
  }
  const p = join(PORCH_GIT_REPOS_DIR, file);
  if (!existsSync(p)) throw new Error(`Porch test data file ${p} is missing`);
  return p;
}

/** Settings every served fixture needs: bare, pushable over HTTP, HEAD on main like Gitea. */
async function finishBare(dir: string): Promise<void> {
  await git(dir, ['config', 'core.bare', 'true']);
  await git(dir, ['config', 'http.receivepack', 'true']);
  // The tars carry a gcloud credential helper from whoever made them.
  await git(dir, ['config', '--remove-section', 'credential.https://source.developers.google.com']).catch(() => {});
  const hasMain = await git(dir, ['rev-parse', '--verify', '-q', 'refs/heads/main']).then(
    () => true,
    () => false,
  );
  if (hasMain) await git(dir, ['symbolic-ref', 'HEAD', 'refs/heads/main']);
}

/**
 * Unpacks `<name>.tar` (a tarred `.git`) into `<destRoot>/<asName ?? name>.git`
 * as a bare repository and returns that directory.
 */
export async function unpackTarRepo(name: PorchTarRepo | string, destRoot: string, asName?: string): Promise<string> {
  const base = name.replace(/\.tar$/, '');
  const tar = porchDataPath(`${base}.tar`);
  const dest = join(destRoot, `${asName ?? base}.git`);
  if (existsSync(dest)) throw new Error(`${dest} already exists`);
  await mkdir(destRoot, { recursive: true });
  const staging = await mkdtemp(join(destRoot, `.unpack-${base}-`));
  try {
    // --no-same-owner: as root, tar would otherwise keep uid 1000 and git would call the repo dubious.
    await execFileAsync('tar', ['-xf', tar, '-C', staging, '--no-same-owner']);
    await rename(join(staging, '.git'), dest);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  await rm(join(dest, 'index'), { force: true }); // a bare repository has no index
  await finishBare(dest);
  return dest;
}

/**
 * Loads a `git bundle` (default Porch's `test-blueprints`) into
 * `<destRoot>/<asName ?? name>.git` with every branch and tag, HEAD on main.
 */
export async function unpackBundle(name = 'test-blueprints', destRoot: string, asName?: string): Promise<string> {
  const base = name.replace(/\.bundle$/, '');
  const bundle = porchDataPath(`${base}.bundle`);
  const dest = join(destRoot, `${asName ?? base}.git`);
  if (existsSync(dest)) throw new Error(`${dest} already exists`);
  await mkdir(destRoot, { recursive: true });
  await git(destRoot, ['init', '-q', '--bare', '-b', 'main', dest]);
  // Not `clone --mirror`: the bundle also holds refs/remotes/origin/*, which a
  // Gitea repository would not advertise.
  await git(dest, ['fetch', '-q', bundle, '+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*']);
  await finishBare(dest);
  return dest;
}

/** An empty bare repository `<destRoot>/<name>.git` whose unborn HEAD is main (Porch's `porch-test`). */
export async function createEmptyRepo(name: string, destRoot: string): Promise<string> {
  const dest = join(destRoot, `${name.replace(/\.git$/, '')}.git`);
  await mkdir(destRoot, { recursive: true });
  await git(destRoot, ['init', '-q', '--bare', '-b', 'main', dest]);
  await git(dest, ['config', 'http.receivepack', 'true']);
  return dest;
}

/** Creates branch `to` at the commit of `from` (a branch, tag or commit), e.g. `feature` or `nested/release`. */
export async function addBranchCopy(repoDir: string, from: string, to: string): Promise<string> {
  const ref = (await git(repoDir, ['rev-parse', '--verify', '-q', `refs/heads/${from}`]).catch(() => '')).trim();
  const commit = ref || (await git(repoDir, ['rev-parse', '--verify', `${from}^{commit}`])).trim();
  await git(repoDir, ['update-ref', `refs/heads/${to}`, commit]);
  return commit;
}

/** `refname -> object id` of every ref, for assertions. */
export async function listRefs(repoDir: string): Promise<Map<string, string>> {
  const out = await git(repoDir, ['for-each-ref', '--format=%(refname) %(objectname)']);
  const refs = new Map<string, string>();
  for (const line of out.split('\n')) {
    const [ref, oid] = line.split(' ');
    if (ref && oid) refs.set(ref, oid);
  }
  return refs;
}

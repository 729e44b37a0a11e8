// Fetching with the machine's own `git`, when there is one. isomorphic-git
// resolves pack deltas without caching their bases: on a repository whose
// root tree changes in every commit (Porch's layout: every package at the root)
// its clone is ~10x slower than native git's. Reading stays with isomorphic-git,
// which reads native packs and indexes directly. Credentials travel in the
// environment (GIT_CONFIG_*), never on the command line where `ps` shows them.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PorchlightError } from '../../src-shared/errors.ts';
import { authHeaders, type BasicAuth } from './credentials.ts';
import { redactUrl } from './http-client.ts';

let available: Promise<boolean> | undefined;

/** Whether to fetch with native git: present on PATH, and not turned off by PORCHLIGHT_GIT=isomorphic. */
export function useNativeGit(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (env.PORCHLIGHT_GIT === 'isomorphic') return Promise.resolve(false);
  available ??= new Promise((resolve) => execFile('git', ['--version'], (error) => resolve(!error)));
  return available;
}

function runGit(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number, onStderr?: (chunk: string) => void): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile('git', args, { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, killSignal: 'SIGKILL' }, (error, _stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code: (error as { killed?: boolean } | null)?.killed ? -2 : code, stderr });
    });
    if (onStderr) child.stderr?.on('data', (chunk: Buffer | string) => onStderr(String(chunk)));
  });
}

/** What git prints with --progress ("Receiving objects:  45% (123/270)"), as isomorphic-git's progress events. */
export type FetchProgress = (p: { phase: string; loaded: number; total: number }) => void;

const PROGRESS_LINE = /(Counting objects|Compressing objects|Receiving objects|Resolving deltas):\s+\d+% \((\d+)\/(\d+)\)/g;

export function progressParser(onProgress: FetchProgress): (chunk: string) => void {
  return (chunk) => {
    let last: RegExpExecArray | undefined;
    for (const m of chunk.matchAll(PROGRESS_LINE)) last = m as RegExpExecArray;
    if (last) onProgress({ phase: last[1]!, loaded: Number(last[2]), total: Number(last[3]) });
  };
}

/** The environment for one git command talking to `auth`'s server: no prompts, no helpers, credentials as a header. */
function gitEnv(auth: BasicAuth | undefined, timeoutMs: number): NodeJS.ProcessEnv {
  const config: [string, string][] = [
    // Abort a transfer that stalls: below 1 byte/s for the timeout.
    ['http.lowSpeedLimit', '1'],
    ['http.lowSpeedTime', String(Math.max(1, Math.round(timeoutMs / 1000)))],
    ['credential.helper', ''],
    // Keep every fetch as a pack: loose objects cost isomorphic-git a file each.
    ['fetch.unpackLimit', '1'],
    ...Object.entries(authHeaders(auth)).map(([k, v]): [string, string] => ['http.extraHeader', `${k}: ${v}`]),
  ];
  return {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_COUNT: String(config.length),
    ...Object.fromEntries(
      config.flatMap(([k, v], i) => [
        [`GIT_CONFIG_KEY_${i}`, k],
        [`GIT_CONFIG_VALUE_${i}`, v],
      ]),
    ),
  };
}

export async function nativeFetchAll(gitdir: string, url: string, opts: { auth?: BasicAuth; timeoutMs: number; onProgress?: FetchProgress }): Promise<void> {
  const env = gitEnv(opts.auth, opts.timeoutMs);
  // Reading goes by the remote's own ref names and object ids, so the clone is a
  // plain mirror: the first time a `clone --mirror` (one pack, packed refs), then
  // fetches that move only what changed.
  const first = !fs.existsSync(`${gitdir}/config`);
  if (first) await fs.promises.mkdir(path.dirname(gitdir), { recursive: true });
  // With a listener, git reports its progress (it does only when asked, stderr not being a terminal).
  const verbosity = opts.onProgress ? '--progress' : '--quiet';
  const onStderr = opts.onProgress && progressParser(opts.onProgress);
  const res = first
    ? await runGit(['clone', verbosity, '--mirror', '--no-hardlinks', url, gitdir], env, opts.timeoutMs * 10, onStderr)
    : await runGit(['--git-dir', gitdir, 'fetch', verbosity, '--prune', '--no-write-fetch-head', url, '+refs/*:refs/*'], env, opts.timeoutMs * 10, onStderr);
  if (res.code !== 0 && first) await fs.promises.rm(gitdir, { recursive: true, force: true });
  if (res.code === 0) return;
  throw gitFailure(res, url, 'fetching', 'the fetch');
}

/** A failed git command as a PorchlightError that says what to do. */
function gitFailure(res: { code: number; stderr: string }, url: string, doing: string, what: string): PorchlightError {
  const where = redactUrl(url);
  // The last line that says something: progress lines (\r-separated) are not the reason.
  const message =
    res.stderr
      .split(/[\r\n]+/)
      .filter((l) => l.trim() && !/^(remote: )?(Counting|Compressing|Receiving|Resolving|Enumerating|Total) /.test(l))
      .pop()
      ?.trim() ?? '';
  if (res.code === -2) return new PorchlightError('UNAVAILABLE', `Git server at ${where} did not finish ${what} in time`, { url: where });
  if (/could not read Username|Authentication failed|returned error: 40[13]/.test(res.stderr)) {
    return new PorchlightError('UNAUTHENTICATED', `${doing}: ${where} refused the credentials; check --repo-basic-username and --repo-basic-password`, {
      url: where,
    });
  }
  if (/returned error: 404|not found/i.test(res.stderr)) {
    return new PorchlightError('NOT_FOUND', `${doing}: no Git repository at ${where}; check the URL`, { url: where });
  }
  if (/Could not resolve host|Failed to connect|Connection refused|timed out|returned error: 5\d\d/i.test(res.stderr)) {
    return new PorchlightError('UNAVAILABLE', `cannot reach Git server at ${where}: ${message}`, { url: where });
  }
  return new PorchlightError('GIT_ERROR', `${doing} ${where} failed: ${message}`, { url: where, stderr: res.stderr.trim().slice(-2000) });
}

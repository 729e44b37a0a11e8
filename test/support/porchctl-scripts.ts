// Runs Porch's porchctl end-to-end scripts (../shared/porch/cli-e2e) against the
// `porchlight` CLI, judging output the way Porch's own suite does: table rows
// sorted after the header, YAML re-encoded without volatile fields, optional
// whitespace folding, exact stderr and exit codes. Shared by the conformance
// test (test/conformance/cli-e2e.test.ts) and the `cli` benchmark, which times them.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import YAML from 'yaml';
import { formatYaml } from '../../src-main/cli/printers.ts';
import { PASSWORD_WARNING } from '../../src-main/cli/repo-password.ts';

export interface E2eCommand {
  args: string[];
  stdin?: string;
  stdout?: string;
  stderr?: string;
  exitCode?: number;
  yaml?: boolean;
  ignoreWhitespace?: boolean;
  stdErrTabToWhitespace?: boolean;
  containsErrorString?: boolean;
}

export interface E2eScript {
  usesPorchTestRepo?: boolean;
  commands: E2eCommand[];
}

export interface CommandResult {
  command: E2eCommand;
  args: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  failures: string[];
}

export const PORCH_GITEA = 'http://gitea.gitea.svc.cluster.local:3000';
const CLI = fileURLToPath(new URL('../../bin/porchlight.mjs', import.meta.url));
export const SCRIPTS_DIR = fileURLToPath(new URL('../../../shared/porch/cli-e2e', import.meta.url));
/** Porch's test repositories, beside the project as CI checks them out. */
const PORCH_GIT_REPOS = fileURLToPath(new URL('../../../shared/porch/git-repos', import.meta.url));

export function loadScript(file: string): E2eScript {
  return YAML.parse(fs.readFileSync(file, 'utf8')) as E2eScript;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (stdin) child.stdin?.end(stdin);
    else child.stdin?.end();
  });
}

/** Porch's suite: header first, then the body lines sorted. */
function reorderTable(out: string): string {
  if (!out) return out;
  const lines = out.replace(/\n$/, '').split('\n');
  const [header, ...body] = lines;
  return [header, ...body.sort()].join('\n') + '\n';
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/** Porch's suite: drop resourceVersion/creationTimestamp lines, decode, re-encode with sorted keys. */
function reorderYaml(out: string): string {
  if (!out) return out;
  const kept = out
    .split('\n')
    .filter((l) => !l.includes('resourceVersion:') && !l.includes('creationTimestamp:'))
    .join('\n');
  let data: unknown;
  try {
    data = YAML.parse(kept);
  } catch {
    return out;
  }
  // Go's yaml encoder, as Porch's harness re-encodes: formatYaml writes the same quoting.
  return formatYaml(sortKeys(data));
}

const foldSpaces = (s: string) =>
  s
    .split(' ')
    .filter((p) => p !== '')
    .join(' ');

/**
 * What the runner does with a step that needs something outside Porchlight
 * (a KRM function image): run a local stand-in that makes the same change to
 * the files and whose output is not judged, or skip the step.
 */
export type StepOverride = { standIn: (args: string[]) => Promise<void> } | 'skip';

export async function runScript(
  script: E2eScript,
  opts: {
    env: NodeJS.ProcessEnv;
    replace: Record<string, string>;
    override?: (args: string[], index: number) => StepOverride | undefined;
    /** The `porchlight` entry to run (default bin/porchlight.mjs); the benchmark times an older one too. */
    cli?: string;
  },
): Promise<CommandResult[]> {
  const results: CommandResult[] = [];
  const sub = (s: string) => Object.entries(opts.replace).reduce((acc, [from, to]) => acc.split(from).join(to), s);
  for (const [index, command] of script.commands.entries()) {
    const override = opts.override?.(command.args.map(sub), index);
    if (override === 'skip') continue;
    if (override) {
      await override.standIn(command.args.map(sub));
      continue;
    }
    const args = command.args.map(sub);
    const [program, ...rest] = args;
    // Porch sleeps to let its controllers catch up; Porchlight's commands are
    // synchronous, so there is nothing to wait for.
    if (program === 'sleep') continue;
    // `kubectl get packagerevisions... NAME -o=jsonpath=...` reads the same object `rpkg get` prints.
    const kubectlGet = program === 'kubectl' && rest[0] === 'get' && rest[1]?.startsWith('packagerevisions');
    const ours = program === 'porchctl' ? rest : kubectlGet ? ['rpkg', 'get', ...rest.slice(2)] : undefined;
    const res = ours ? await run(process.execPath, [opts.cli ?? CLI, ...ours], opts.env, command.stdin) : await run(program!, rest, opts.env, command.stdin);
    let stdout = command.yaml ? reorderYaml(res.stdout) : reorderTable(res.stdout);
    // Where porchctl is silent, Porchlight warns about a password on the command line (Porch's scripts pass one).
    let stderr = res.stderr.replace(PASSWORD_WARNING, '');
    let wantOut = sub(command.stdout ?? '');
    let wantErr = sub(command.stderr ?? '');
    if (command.stdErrTabToWhitespace) stderr = stderr.replaceAll('\t', '  ');
    if (command.ignoreWhitespace) {
      [stdout, stderr, wantOut, wantErr] = [stdout, stderr, wantOut, wantErr].map(foldSpaces) as [string, string, string, string];
    }
    const failures: string[] = [];
    if (res.code !== (command.exitCode ?? 0)) failures.push(`exit code ${res.code}, want ${command.exitCode ?? 0}`);
    if (stdout !== wantOut) failures.push(`stdout:\n--- want\n${wantOut}--- got\n${stdout}`);
    if (command.containsErrorString ? !stderr.includes(wantErr) : stderr !== wantErr) failures.push(`stderr:\n--- want\n${wantErr}--- got\n${stderr}`);
    results.push({ command, args, exitCode: res.code, stdout: res.stdout, stderr: res.stderr, failures });
  }
  return results;
}

/**
 * Porch's scripts Porchlight runs. The two left out (rpkg-push-on-render-failure,
 * rpkg-unready) need KRM function images, as do two steps of rpkg-push (functionSteps).
 */
export const SCRIPTS = ['repo-register', 'rpkg-get', 'rpkg-init', 'rpkg-lifecycle', 'rpkg-push', 'rpkg-clone', 'rpkg-upgrade'];

/**
 * Steps that run KRM function images, which Porchlight has no runtime for.
 * rpkg-push: `kpt fn eval search-replace` edits the pulled Kptfile's
 * description; the stand-in makes that same edit, so the push after it is
 * judged as Porch's suite judges it. The last push expects a render failure
 * from two function images and is skipped.
 */
export function functionSteps(script: string): ((args: string[], index: number) => StepOverride | undefined) | undefined {
  if (script !== 'rpkg-push') return undefined;
  return (args, index) => {
    if (args[0] === 'kpt' && args.includes('by-path=info.description')) {
      return {
        standIn: async (a) => {
          const dir = a.find((x) => x.startsWith('/tmp/'))!;
          const value = a.find((x) => x.startsWith('put-value='))!.slice('put-value='.length);
          const file = path.join(dir, 'Kptfile');
          const doc = YAML.parseDocument(fs.readFileSync(file, 'utf8'));
          doc.setIn(['info', 'description'], value);
          fs.writeFileSync(file, doc.toString());
        },
      };
    }
    if (index === loadScript(path.join(SCRIPTS_DIR, 'rpkg-push.config.yaml')).commands.length - 1) return 'skip';
    return undefined;
  };
}

const execFileAsync = promisify(execFile);

/**
 * The two repositories the scripts use, as Porch's Gitea serves them:
 * `test-blueprints` (every branch and tag of the bundle, HEAD on main) and an
 * empty `porch-test`, as bare repositories under `root`.
 */
export async function preparePorchRepositories(root: string): Promise<void> {
  const git = (cwd: string, args: string[]) => execFileAsync('git', ['-c', 'safe.directory=*', ...args], { cwd });
  fs.mkdirSync(root, { recursive: true });
  const blueprints = path.join(root, 'test-blueprints.git');
  await git(root, ['init', '-q', '--bare', '-b', 'main', blueprints]);
  // Not `clone --mirror`: the bundle also holds refs/remotes/origin/*, which Gitea would not advertise.
  await git(blueprints, ['fetch', '-q', path.join(PORCH_GIT_REPOS, 'test-blueprints.bundle'), '+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*']);
  await git(root, ['init', '-q', '--bare', '-b', 'main', path.join(root, 'porch-test.git')]);
}

// Runs Porch's porchctl end-to-end scripts (../shared/porch/cli-e2e) against the
// `porchlight` CLI, judging output the way Porch's own suite does: table rows
// sorted after the header, YAML re-encoded without volatile fields, optional
// whitespace folding, exact stderr and exit codes.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
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
  opts: { env: NodeJS.ProcessEnv; replace: Record<string, string>; override?: (args: string[], index: number) => StepOverride | undefined },
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
    const res = ours ? await run(process.execPath, [CLI, ...ours], opts.env, command.stdin) : await run(program!, rest, opts.env, command.stdin);
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

// The `porchlight` command: porchctl's verbs, flags and output over the local
// cache. Errors print as porchctl prints them and exit non-zero.
import { Command, CommanderError } from 'commander';
import { invalidArgument, isPorchlightError } from '../../src-shared/errors.ts';
import { DEFAULT_NAMESPACE } from '../../src-shared/names.ts';
import { CliContext, type CliIo } from './cli-context.ts';
import { addRepoCommands } from './repo-commands.ts';
import { addServeCommand } from './serve-command.ts';
import { addServiceCommand } from './service-command.ts';
import { addKubeconfigCommand } from './kubeconfig-command.ts';
import { commandWords, explainServiceLock, useRunningService } from './use-running-service.ts';
import { packageVersion } from '../host/package-version.ts';
import { addDemoCommand } from './demo-command.ts';
import { addRpkgGet } from './rpkg-get.ts';
import { addRpkgDraftCommands, addRpkgLifecycleCommands } from './rpkg-draft-commands.ts';
import { addRpkgPush } from './rpkg-push.ts';
import { addRpkgCloneCopy } from './rpkg-clone-copy.ts';
import { addRpkgUpgrade } from './rpkg-upgrade.ts';
import { addCatalogCommands } from './catalog-commands.ts';
import { addCacheCommands } from './cache-commands.ts';
import { addDbCommands } from './db-commands.ts';

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('porchlight')
    .description("Porchlight: Porch's package workflow on your laptop, over a local cache of your Git repositories.")
    .option('--db <dir|url>', 'PGlite data directory or postgres:// URL (default: $PORCHLIGHT_DB, else the data directory)')
    .option('-n, --namespace <namespace>', `Namespace of the objects (default: "${DEFAULT_NAMESPACE}")`)
    .option('-A, --all-namespaces', 'List objects across all namespaces', false)
    .version(packageVersion(), '--version', 'print the version of Porchlight')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.stdout(s),
      writeErr: (s) => ctx.io.stderr(s),
    });
  addRepoCommands(program, ctx);
  addServeCommand(program, ctx, () => program.opts().db as string | undefined);
  addServiceCommand(program, ctx, () => program.opts().db as string | undefined);
  addKubeconfigCommand(program, ctx);
  addDemoCommand(program, ctx, () => program.opts().db as string | undefined);
  const rpkg = program.command('rpkg').description('Manage package revisions.');
  addRpkgGet(rpkg, ctx);
  addRpkgDraftCommands(rpkg, ctx);
  addRpkgPush(rpkg, ctx);
  addRpkgCloneCopy(rpkg, ctx);
  addRpkgUpgrade(rpkg, ctx);
  addRpkgLifecycleCommands(rpkg, ctx);
  addCatalogCommands(program, ctx);
  addCacheCommands(program, ctx);
  addDbCommands(program, ctx);
  const everyCommand = (c: Command): Command[] => [c, ...c.commands.flatMap(everyCommand)];
  for (const cmd of everyCommand(program)) {
    cmd.exitOverride().configureOutput({ writeOut: (s) => ctx.io.stdout(s), writeErr: (s) => ctx.io.stderr(s) });
  }
  return program;
}

export function formatError(e: unknown): string {
  if (isPorchlightError(e)) {
    // porchctl's flag errors are lower case "error:", server errors "Error:".
    return e.code === 'INVALID_ARGUMENT' ? `error: ${e.message}\n` : `Error: ${e.message} \n`;
  }
  return `Error: ${(e as Error).message ?? String(e)} \n`;
}

/** porchctl refuses an empty namespace instead of silently listing nothing. */
function checkNamespaceFlag(argv: readonly string[]): void {
  const empty = argv.some((a, i) => a === '--namespace=' || a === '-n=' || ((a === '--namespace' || a === '-n') && argv[i + 1] === ''));
  if (empty) throw invalidArgument('namespace flag specified without a value; please provide a value for --namespace/-n or omit the flag');
}

/**
 * porchctl's flags are Go booleans: `--deployment=true` and `--deployment=false`
 * are as good as `--deployment` and its absence. Commander knows `--x`/`--no-x`.
 */
export function normaliseBoolFlags(argv: readonly string[]): string[] {
  return argv.map((a) => {
    const m = /^--(deployment|force|no-headers|all-namespaces)=(1|t|T|true|TRUE|True|0|f|F|false|FALSE|False)$/.exec(a);
    if (!m) return a;
    return /^(1|t|T|true|TRUE|True)$/.test(m[2]!) ? `--${m[1]}` : `--no-${m[1]}`;
  });
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  // The closure reads --db only once the program has parsed it.
  const ctx = new CliContext(io, () => program.opts().db as string | undefined);
  const program = buildProgram(ctx);
  let action: string | undefined;
  program.hook('preAction', (_root, command) => {
    action = commandWords(command);
    useRunningService(ctx, command);
  });
  try {
    checkNamespaceFlag(argv);
    await program.parseAsync(normaliseBoolFlags(argv), { from: 'user' });
    return ctx.exitCode ?? 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has already printed its message (help, version or a usage error).
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version' ? 0 : 1;
    }
    io.stderr(formatError(explainServiceLock(e, ctx, action)));
    return 1;
  } finally {
    await ctx.close().catch(() => {});
  }
}

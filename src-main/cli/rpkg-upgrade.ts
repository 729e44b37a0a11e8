// porchlight rpkg upgrade: a new draft on a newer upstream revision, or with
// --discover the table of what can move (porchctl's flags, checks and tables).
import type { Command } from 'commander';
import { invalidArgument, PorchlightError } from '../../src-shared/errors.ts';
import type { CliContext } from './cli-context.ts';
import { formatTable } from './printers.ts';

interface UpgradeFlags {
  revision?: string;
  workspace?: string;
  strategy: string;
  discover?: string;
}

export function addRpkgUpgrade(rpkg: Command, ctx: CliContext): void {
  rpkg
    .command('upgrade')
    .description('Create a new draft that upgrades a published package revision to a newer upstream revision, or --discover what can be upgraded.')
    .argument('[SOURCE_PACKAGE_REVISION...]', 'the published package revision to upgrade')
    .option('--revision <n>', 'Revision of the upstream package to upgrade to (default: the latest published).')
    .option('--workspace <name>', 'Workspace name of the new package revision.')
    .option('--strategy <name>', 'resource-merge, fast-forward, force-delete-replace or copy-merge.', 'resource-merge')
    .option('--discover <which>', "List upgrades instead: 'upstream' (what each package can move to) or 'downstream' (what each upstream can move).")
    .action(async (args: string[], o: UpgradeFlags, cmd: Command) => {
      const globals = cmd.optsWithGlobals();
      if (o.discover !== undefined) {
        if (o.discover !== 'upstream' && o.discover !== 'downstream')
          throw invalidArgument("argument for 'discover' must be one of 'upstream' or 'downstream'");
        const service = await ctx.client();
        const rows = await service.call('revisions.discoverUpgrades', {
          namespace: globals.namespace,
          allNamespaces: globals.allNamespaces,
          mode: o.discover,
          names: args,
        });
        if (o.discover === 'downstream' && rows.length === 0) return ctx.io.stdout('All downstream packages are up to date.\n');
        const header =
          o.discover === 'upstream'
            ? ['PACKAGE REVISION', 'UPSTREAM REPOSITORY', 'UPSTREAM UPDATES']
            : ['PACKAGE REVISION', 'DOWNSTREAM PACKAGE', 'DOWNSTREAM UPDATE'];
        if (rows.length) ctx.io.stdout(formatTable(header, rows));
        return;
      }
      if (args.length === 0) throw invalidArgument('SOURCE_PACKAGE_REVISION is a required positional argument');
      if (args.length > 1) throw invalidArgument('too many arguments; SOURCE_PACKAGE_REVISION is the only accepted positional arguments');
      const revision = o.revision === undefined ? 0 : Number(o.revision);
      if (!Number.isInteger(revision)) throw invalidArgument(`invalid argument "${o.revision}" for "--revision" flag: not a number`);
      if (revision < 0) throw invalidArgument('revision must be positive (and not main)');
      if (!o.workspace) throw invalidArgument('workspace is required');
      const service = await ctx.client();
      const created = await service
        .call('revisions.upgrade', {
          namespace: globals.namespace,
          source: args[0]!,
          workspace: o.workspace,
          revision: revision || undefined,
          strategy: o.strategy,
        })
        .catch((e) => {
          if (e instanceof PorchlightError && (e.code === 'ALREADY_EXISTS' || e.message.startsWith('local package files'))) {
            throw new PorchlightError(e.code, `failed to do create package revision "": Internal error occurred: ${e.message}`, e.data);
          }
          throw e;
        });
      ctx.io.stdout(`${args[0]} upgraded to ${created.metadata.name}\n`);
    });
}

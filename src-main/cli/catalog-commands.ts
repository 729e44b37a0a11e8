// porchlight catalog create|get|set-repositories|delete|resolve: catalogs of
// repositories (issue 6), printed as porchctl prints its objects: tables,
// `-o json|yaml|jsonpath=...|custom-columns=...`, `--no-headers`, `-A`.
import type { Command } from 'commander';
import { invalidArgument } from '../../src-shared/errors.ts';
import type { Catalog } from '../../src-shared/catalogs.ts';
import type { CliContext } from './cli-context.ts';
import { parseOutputFormat, render, withoutHeader } from './output-format.ts';
import { withNamespaceColumn } from './printers.ts';
import { revisionTable } from './rpkg-get.ts';

function age(since: string, now = Date.now()): string {
  const s = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

export function catalogTable(catalogs: readonly Catalog[]) {
  return {
    header: ['NAME', 'REPOSITORIES', 'AGE'],
    rows: catalogs.map((c) => [c.metadata.name, c.spec.repositories.join(','), age(c.metadata.creationTimestamp)]),
  };
}

/** `--repositories a,b,c` (highest priority first); empty entries are kept so validation can name them. */
export function parseRepositoriesFlag(value: string | undefined): string[] {
  if (value === undefined) {
    throw invalidArgument('--repositories is required: the repositories to search, highest priority first, e.g. --repositories=team-blueprints,blueprints');
  }
  return value.split(',').map((s) => s.trim());
}

/** `--revision N`: a published revision number. */
export function parseRevisionFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]{0,8}$/.test(value))
    throw invalidArgument(`--revision must be a published revision number (1, 2, ...), not "${value}"; leave it out for the latest`);
  return Number(value);
}

export function addCatalogCommands(program: Command, ctx: CliContext): void {
  const catalog = program
    .command('catalog')
    .description('Manage catalogs: ordered lists of repositories in which a package path resolves to the highest-priority repository that has it.');

  catalog
    .command('create')
    .description('Create a catalog of repositories, highest priority first.')
    .argument('<NAME>', 'name of the catalog')
    .option('--repositories <names>', 'Registered repositories to search, comma separated, highest priority first')
    .option('--description <text>', 'Brief description of the catalog')
    .action(async (name: string, o: { repositories?: string; description?: string }, cmd: Command) => {
      const repositories = parseRepositoriesFlag(o.repositories);
      const service = await ctx.client();
      await service.call('catalogs.create', { namespace: cmd.optsWithGlobals().namespace, name, repositories, description: o.description });
      ctx.io.stdout(`${name} created\n`);
    });

  catalog
    .command('get')
    .alias('list')
    .description('List catalogs, or show the named ones.')
    .argument('[NAME...]', 'names of catalogs to show')
    .option('-o, --output <format>', 'Output format: json, yaml, wide, custom-columns=...')
    .option('--no-headers', 'When using the default or custom-column output format, do not print headers')
    .action(async (names: string[], o: { output?: string; headers?: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals();
      const format = parseOutputFormat(o.output);
      const service = await ctx.client();
      const catalogs = names.length
        ? await Promise.all(names.map((name) => service.call('catalogs.get', { namespace: g.namespace, name })))
        : await service.call('catalogs.list', { namespace: g.namespace, allNamespaces: g.allNamespaces });
      const table = () => catalogTable(catalogs);
      ctx.io.stdout(
        withoutHeader(
          render(
            format,
            catalogs,
            g.allNamespaces && !names.length
              ? () =>
                  withNamespaceColumn(
                    table(),
                    catalogs.map((c) => c.metadata.namespace),
                  )
              : table,
          ),
          o.headers === false && (format.kind === 'table' || format.kind === 'custom-columns'),
        ),
      );
    });

  catalog
    .command('set-repositories')
    .description("Replace a catalog's repositories (the new list, highest priority first).")
    .argument('<NAME>', 'name of the catalog')
    .option('--repositories <names>', 'Registered repositories to search, comma separated, highest priority first')
    .action(async (name: string, o: { repositories?: string }, cmd: Command) => {
      const repositories = parseRepositoriesFlag(o.repositories);
      const service = await ctx.client();
      await service.call('catalogs.setRepositories', { namespace: cmd.optsWithGlobals().namespace, name, repositories });
      ctx.io.stdout(`${name} updated\n`);
    });

  catalog
    .command('delete')
    .alias('del')
    .description('Delete a catalog; its repositories and their packages stay.')
    .argument('<NAME>', 'name of the catalog')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const service = await ctx.client();
      await service.call('catalogs.delete', { namespace: cmd.optsWithGlobals().namespace, name });
      ctx.io.stdout(`${name} deleted\n`);
    });

  catalog
    .command('resolve')
    .description(
      'Show the package revision a package path resolves to in a catalog: the latest Published one (or --revision) of the first repository that has it.',
    )
    .argument('<NAME>', 'name of the catalog')
    .argument('<PACKAGE>', 'package path, e.g. basens or team/web')
    .option('--revision <n>', 'A published revision number instead of the latest')
    .option('-o, --output <format>', 'Output format: json, yaml, wide, custom-columns=...')
    .option('--no-headers', 'When using the default or custom-column output format, do not print headers')
    .action(async (name: string, packagePath: string, o: { revision?: string; output?: string; headers?: boolean }, cmd: Command) => {
      const namespace = cmd.optsWithGlobals().namespace as string | undefined;
      const revision = parseRevisionFlag(o.revision);
      const format = parseOutputFormat(o.output);
      const service = await ctx.client();
      const resolved = await service.call('catalogs.resolve', { namespace, catalog: name, packagePath, revision });
      const pr = await service.call('revisions.get', { namespace, name: resolved.revisionName });
      ctx.io.stdout(
        withoutHeader(
          render(format, [pr], () => revisionTable([pr])),
          o.headers === false && (format.kind === 'table' || format.kind === 'custom-columns'),
        ),
      );
    });
}

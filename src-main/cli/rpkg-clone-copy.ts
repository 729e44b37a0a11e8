// porchlight rpkg clone and copy (alias edit), with porchctl's argument rules:
// clone's SOURCE is a registered revision name, or a Git URL that may carry
// `.git/<directory>@<ref>` (docs/porch-write-side.md §4.1–4.2).
import type { Command } from 'commander';
import { invalidArgument, PorchlightError } from '../../src-shared/errors.ts';
import type { ClonePackageRequest } from '../../src-shared/requests.ts';
import type { CliContext } from './cli-context.ts';

/** porchctl's reading of clone's SOURCE argument together with --directory and --ref. */
export function parseCloneSource(source: string, flags: { directory?: string; ref?: string; secretRef?: string }): ClonePackageRequest['source'] {
  if (source.startsWith('oci://')) throw invalidArgument('clone from OCI is not implemented; clone from a Git URL or a registered package revision');
  if (!source.includes('/')) return { kind: 'revision', name: source };
  let repo = source;
  let directory: string | undefined;
  let ref: string | undefined;
  const m = /\.git($|\/)/.exec(source);
  if (m) {
    repo = source.slice(0, m.index) + '.git';
    const rest = source.slice(m.index + m[0].length);
    if (rest) {
      const at = rest.indexOf('@');
      if (at >= 0) {
        directory = '/' + rest.slice(0, at);
        ref = rest
          .slice(at + 1)
          .split('@')[0]!
          .replace(/\/$/, '');
      } else {
        directory = '/' + rest;
      }
    }
  }
  if (flags.directory && directory !== undefined && flags.directory !== directory) {
    throw invalidArgument(`directory ${flags.directory} specified by --directory contradicts directory ${directory} specified by SOURCE_PACKAGE`);
  }
  if (flags.ref && ref !== undefined && flags.ref !== ref) {
    throw invalidArgument(`ref ${flags.ref} specified by --ref contradicts ref ${ref} specified by SOURCE_PACKAGE`);
  }
  return {
    kind: 'git',
    repo,
    ref: ref ?? (flags.ref || 'main'),
    directory: directory ?? (flags.directory || '/'),
    ...(flags.secretRef ? { secretRef: flags.secretRef } : {}),
  };
}

/**
 * With --catalog, SOURCE_PACKAGE is a package path resolved in the catalog, so
 * nothing that only makes sense for a Git source may come with it.
 */
export function checkCatalogSource(source: string, flags: { directory?: string; ref?: string; secretRef?: string }): void {
  const gitFlags = (['directory', 'ref', 'secretRef'] as const).filter((f) => flags[f] !== undefined).map((f) => `--${f === 'secretRef' ? 'secret-ref' : f}`);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source) || /\.git($|\/|@)/.test(source) || gitFlags.length) {
    throw invalidArgument(
      `--catalog resolves SOURCE_PACKAGE as a package path (e.g. basens or team/web) in the catalog's repositories, so it cannot be combined with a Git source` +
        `${gitFlags.length ? ` (${gitFlags.join(', ')})` : ` ("${source}")`}; clone from the Git URL without --catalog, or give the package path`,
    );
  }
}

/** Porch reports a failed create through the API server's internal-error wrapper. */
function asInternal(e: unknown): never {
  if (e instanceof PorchlightError && e.code !== 'INVALID_ARGUMENT') throw new PorchlightError(e.code, `Internal error occurred: ${e.message}`, e.data);
  throw e;
}

export function addRpkgCloneCopy(rpkg: Command, ctx: CliContext): void {
  rpkg
    .command('clone')
    .description('Create a clone of an existing package revision (a registered revision name, or a Git URL).')
    .argument('[SOURCE_PACKAGE]', 'package revision name, or Git URL (http(s)://host/repo.git/<directory>@<ref>)')
    .argument('[NAME]', 'name of the new package')
    .option('--repository <name>', 'Repository to which package will be cloned (downstream repository).')
    .option('--workspace <name>', 'Workspace name of the new package revision.', 'v1')
    .option('--directory <dir>', 'Directory within the upstream repository where the upstream package is located.')
    .option('--ref <ref>', 'Ref in the upstream repository where the upstream package is located (branch, tag, SHA).')
    .option('--secret-ref <name>', 'Credentials to reach the upstream Git repository (a registered repository\'s are "<repository>-auth").')
    .option('--catalog <name>', 'Resolve SOURCE_PACKAGE, a package path, in this catalog: the latest Published revision of the first repository that has it.')
    .action(
      async (
        source: string | undefined,
        name: string | undefined,
        o: { repository?: string; workspace: string; directory?: string; ref?: string; secretRef?: string; catalog?: string },
        cmd: Command,
      ) => {
        const provided = [source, name].filter((a) => a !== undefined).length;
        if (provided < 2) throw invalidArgument(`SOURCE_PACKAGE and NAME are required positional arguments; ${provided} provided`);
        if (!o.repository) throw invalidArgument('--repository is required to specify downstream repository');
        if (!o.workspace) throw invalidArgument('--workspace is required to specify downstream workspace name');
        if (o.catalog !== undefined) checkCatalogSource(source!, o);
        const namespace = cmd.optsWithGlobals().namespace as string | undefined;
        const service = await ctx.client();
        let from: ClonePackageRequest['source'];
        if (o.catalog !== undefined) {
          const resolved = await service.call('catalogs.resolve', { namespace, catalog: o.catalog, packagePath: source! });
          ctx.io.stderr(`${source} resolved in catalog ${o.catalog} to ${resolved.revisionName}\n`);
          from = { kind: 'revision', name: resolved.revisionName };
        } else {
          from = parseCloneSource(source!, o);
        }
        const revision = await service
          .call('revisions.clone', { namespace, repository: o.repository, name: name!, workspace: o.workspace, source: from })
          .catch(asInternal);
        ctx.io.stdout(`${revision.metadata.name} created\n`);
      },
    );

  rpkg
    .command('copy')
    .alias('edit')
    .description('Create a new revision of a package from one of its published revisions.')
    .argument('[SOURCE_PACKAGE...]', 'the published package revision to copy')
    .option('--workspace <name>', 'Workspace name of the new package revision.')
    .action(async (args: string[], o: { workspace?: string }, cmd: Command) => {
      if (args.length === 0) throw invalidArgument('SOURCE_PACKAGE is a required positional argument');
      if (args.length > 1) throw invalidArgument('too many arguments; SOURCE_PACKAGE is the only accepted positional arguments');
      const service = await ctx.client();
      const namespace = cmd.optsWithGlobals().namespace as string | undefined;
      await service.call('revisions.get', { namespace, name: args[0]! });
      if (!o.workspace) throw invalidArgument('--workspace is required to specify workspace name');
      const revision = await service.call('revisions.copy', { namespace, source: args[0]!, workspace: o.workspace }).catch(asInternal);
      ctx.io.stdout(`${revision.metadata.name} created\n`);
    });
}

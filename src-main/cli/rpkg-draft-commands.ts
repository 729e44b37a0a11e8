// porchlight rpkg init and pull: creating a package and reading a revision's
// files, from the database alone.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { invalidArgument, PorchlightError } from '../../src-shared/errors.ts';
import { packageFilePathProblem } from '../../src-shared/package-files.ts';
import type { CliContext } from './cli-context.ts';
import type { LifecycleOutcome, LifecycleVerb } from '../../src-shared/contract.ts';
import { formatYaml } from './printers.ts';
import { revisionMetadataFile, toResourceList } from './resource-list.ts';

/** Writes files under `dir`; a path out of it or into a `.git` is refused before anything is written. */
export function writePackageFiles(dir: string, files: readonly { path: string; content: Uint8Array }[]): void {
  const root = path.resolve(dir);
  const targets = files.map((f) => {
    const target = path.resolve(root, f.path);
    if (path.isAbsolute(f.path) || !target.startsWith(root + path.sep)) {
      throw invalidArgument(`refusing to write "${f.path}": it would land outside ${root}`);
    }
    const problem = packageFilePathProblem(f.path);
    if (problem) throw invalidArgument(`refusing to write "${f.path}": ${problem}`);
    return target;
  });
  files.forEach((f, i) => {
    fs.mkdirSync(path.dirname(targets[i]!), { recursive: true });
    fs.writeFileSync(targets[i]!, f.content);
  });
}

/** A revision's files without paths no package file may have (a revision synced before they were refused may hold them). */
function safeFiles<T extends { path: string }>(files: readonly T[], warn: (m: string) => void): T[] {
  return files.filter((f) => {
    const problem = packageFilePathProblem(f.path);
    if (problem) warn(`left out "${f.path}": ${problem}`);
    return !problem;
  });
}

export function addRpkgDraftCommands(rpkg: Command, ctx: CliContext): void {
  rpkg
    .command('init')
    .description('Initialize a new package in a repository, as a draft.')
    .argument('<PACKAGE_NAME>', 'name of the new package (path segments separated by /)')
    .requiredOption('--repository <name>', 'Repository to which the package will be added')
    .requiredOption('--workspace <name>', 'Workspace name of the new package revision')
    .option('--description <text>', 'Short description of the package', 'sample description')
    .option('--keywords <list>', 'Comma-separated list of keywords for the package')
    .option('--site <url>', 'Link to page with information about the package')
    .action(async (name: string, o: { repository: string; workspace: string; description: string; keywords?: string; site?: string }, cmd: Command) => {
      const service = await ctx.client();
      try {
        const revision = await service.call('revisions.init', {
          namespace: cmd.optsWithGlobals().namespace,
          repository: o.repository,
          name,
          workspace: o.workspace,
          description: o.description,
          keywords: o.keywords
            ?.split(',')
            .map((k) => k.trim())
            .filter(Boolean),
          site: o.site,
        });
        ctx.io.stdout(`${revision.metadata.name} created\n`);
      } catch (e) {
        // Porch reports this through the API server's internal-error wrapper.
        if (e instanceof PorchlightError && e.code === 'ALREADY_EXISTS') {
          throw new PorchlightError('ALREADY_EXISTS', `Internal error occurred: ${e.message}`, e.data);
        }
        throw e;
      }
    });

  rpkg
    .command('pull')
    .alias('source')
    .description("Pull a package revision's resources into a directory, or print them as a ResourceList.")
    .argument('<PACKAGE_REVISION>', 'name of the package revision')
    .argument('[DIR]', 'directory to write the files to; stdout if left out')
    .action(async (name: string, dir: string | undefined, _o: unknown, cmd: Command) => {
      const service = await ctx.client();
      const read = await service.call('revisions.resources', { namespace: cmd.optsWithGlobals().namespace, name }).catch((e) => {
        throw e instanceof PorchlightError && e.code === 'NOT_FOUND'
          ? new PorchlightError('NOT_FOUND', `the server could not find the requested resource (get packagerevisionresources.porch.kpt.dev ${name})`)
          : e;
      });
      const { revision } = read;
      const resources = safeFiles(
        read.files.map((f) => ({ path: f.path, content: new Uint8Array(Buffer.from(f.base64, 'base64')) })),
        (m) => ctx.io.stderr(`warning: ${m}\n`),
      );
      if (dir === undefined) {
        ctx.io.stdout(formatYaml(toResourceList(revision, resources, (m) => ctx.io.stderr(`warning: ${m}\n`))));
        return;
      }
      if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0)
        throw invalidArgument(`destination directory ${dir} is not empty; give an empty or new directory`);
      writePackageFiles(dir, [...resources, revisionMetadataFile(revision)]);
    });
}

/** Outcomes porchctl reports on stderr although the command succeeds. */
const NOTICE_OUTCOMES: ReadonlySet<LifecycleOutcome> = new Set(['is already proposed for deletion']);

const LIFECYCLE_COMMANDS: { name: string; verb: LifecycleVerb; alias?: string; description: string }[] = [
  { name: 'propose', verb: 'propose', description: 'Propose that a package revision be published.' },
  { name: 'reject', verb: 'reject', description: 'Reject a proposal to publish or delete a package revision.' },
  { name: 'propose-delete', verb: 'propose-delete', alias: 'propose-del', description: 'Propose deletion of a published package revision.' },
  { name: 'approve', verb: 'approve', description: 'Approve a proposal to publish a package revision: it is pushed to Git.' },
  { name: 'del', verb: 'delete', alias: 'delete', description: 'Delete a package revision (a published one leaves Git too).' },
];

export function addRpkgLifecycleCommands(rpkg: Command, ctx: CliContext): void {
  for (const c of LIFECYCLE_COMMANDS) {
    const cmd = rpkg.command(c.name).description(c.description).argument('<PACKAGE_REVISION...>', 'names of package revisions');
    if (c.alias) cmd.alias(c.alias);
    cmd.action(async (names: string[], _o: unknown, command: Command) => {
      const service = await ctx.client();
      const failures: string[] = [];
      // Like porchctl: every name is tried, each result is reported, and one
      // summary error at the end makes the exit code non-zero.
      for (const name of names) {
        try {
          const { outcome } = await service.call('revisions.lifecycle', { namespace: command.optsWithGlobals().namespace, name, verb: c.verb });
          if (NOTICE_OUTCOMES.has(outcome)) ctx.io.stderr(`${name} ${outcome}\n`);
          else ctx.io.stdout(`${name} ${outcome}\n`);
        } catch (e) {
          const message = (e as Error).message;
          ctx.io.stderr(`${name} failed (${message})\n`);
          failures.push(message);
        }
      }
      if (failures.length) throw new PorchlightError('FAILED_PRECONDITION', `errors:\n  ${failures.join('\n  ')}`);
    });
  }
}

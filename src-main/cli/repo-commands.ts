// porchlight repo register|get|unregister|sync, with porchctl's flags and output.
import { localUrlOf } from '../git/local-url.ts';
import type { Command } from 'commander';
import type { ServiceEvent } from '../../src-shared/contract.ts';
import type { Repository } from '../../src-shared/domain.ts';
import { invalidArgument } from '../../src-shared/errors.ts';
import type { CliContext } from './cli-context.ts';
import { parseOutputFormat, render, withoutHeader } from './output-format.ts';
import { withNamespaceColumn } from './printers.ts';
import { PASSWORD_HELP, repoPassword, type PasswordFlags } from './repo-password.ts';

/** porchctl names a repository after the last segment of its URL. */
export function nameFromUrl(url: string): string {
  const last = url.replace(/\/+$/, '').split('/').pop() ?? '';
  return last.replace(/\.git$/, '');
}

function age(since: string | undefined, now = Date.now()): string {
  if (!since) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

function repositoryTable(repos: readonly Repository[]) {
  return {
    header: ['NAME', 'TYPE', 'CONTENT', 'SYNC SCHEDULE', 'DEPLOYMENT', 'READY', 'ADDRESS', 'BRANCH', 'AGE'],
    rows: repos.map((r) => [
      r.metadata.name,
      r.spec.type,
      r.spec.content,
      r.spec.sync?.schedule ?? '',
      r.spec.deployment ? 'true' : '',
      r.status.conditions?.find((c) => c.type === 'Ready')?.status ?? '',
      r.spec.git.repo,
      r.spec.git.branch,
      age(r.metadata.creationTimestamp),
    ]),
  };
}

/** A sync's progress on one line of a terminal, from the service's progress events; a pipe gets nothing. */
function syncProgress(ctx: CliContext, repository: string): ((e: ServiceEvent) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (e) => {
    if (e.type !== 'progress' || e.operation !== 'sync' || e.subject !== repository) return;
    ctx.io.stderr(`\r\x1b[K${e.phase}: ${e.loaded}${e.total ? `/${e.total} (${Math.round((e.loaded / e.total) * 100)}%)` : ''}`);
  };
}

export function addRepoCommands(program: Command, ctx: CliContext): void {
  const repo = program.command('repo').description('Manage package repositories.');

  repo
    .command('register')
    .description('Register a Git repository with Porchlight and cache its package revisions.')
    .argument('<REPOSITORY>', 'URL of the Git repository (http:// or https://), or the path (or file:// URL) of a Git repository on this machine')
    .option('--name <name>', 'Name of the repository; defaults to the last segment of the URL')
    .option('--description <text>', 'Brief description of the repository')
    .option('--branch <branch>', 'Branch in the repository where finalized packages are committed', 'main')
    .option('--directory <dir>', 'Directory within the repository where packages are found', '/')
    .option('--deployment', 'Repository is a deployment repository; packages in it are deployment ready', false)
    .option('--no-deployment', 'Repository is not a deployment repository (the default)')
    .option('--repo-basic-username <user>', 'Username for basic authentication to the Git repository')
    .option(
      '--repo-basic-password <password>',
      'Password for basic authentication to the Git repository (visible in ps: prefer --repo-basic-password-stdin or $PORCHLIGHT_REPO_PASSWORD)',
    )
    .option('--repo-basic-password-stdin', 'Read the password for basic authentication from stdin (preferred)')
    .option('--sync-interval <seconds>', 'Seconds between background syncs (0: only on demand)', '600')
    .option('--sync-schedule <cron>', 'Cron expression for background syncs (5 fields); overrides --sync-interval')
    .addHelpText('after', PASSWORD_HELP)
    .action(async (url: string, o: Record<string, string | boolean | undefined>, cmd: Command) => {
      const password = await repoPassword(o as PasswordFlags, url, ctx.io);
      const service = await ctx.client();
      const interval = Number(o.syncInterval);
      if (!Number.isInteger(interval) || interval < 0) throw invalidArgument(`--sync-interval must be a whole number of seconds, got "${o.syncInterval}"`);
      // A path is this terminal's: made absolute here, where the working directory is known.
      // Any other scheme (ssh://, git://) or scp-like address (git@host:repo) goes on as typed, to be refused with the reason.
      const address = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !/^file:/i.test(url) ? url : /^[\w.-]+@[\w.-]+:/.test(url) ? url : localUrlOf(url);
      const name = (o.name as string | undefined) ?? nameFromUrl(address);
      // porchctl prints nothing on success; a person at a terminal sees the clone move.
      const onEvent = syncProgress(ctx, name);
      const { sync, warnings } = await service.call(
        'repositories.register',
        {
          url: address,
          name,
          namespace: cmd.optsWithGlobals().namespace,
          branch: o.branch as string,
          directory: o.directory as string,
          description: o.description as string | undefined,
          deployment: o.deployment === true,
          username: o.repoBasicUsername as string | undefined,
          password,
          syncIntervalSeconds: interval,
          syncSchedule: o.syncSchedule as string | undefined,
        },
        { onEvent },
      );
      if (onEvent) ctx.io.stderr('\r\x1b[K');
      // Like porchctl, registration succeeds even if the first sync does not;
      // unlike a cluster, there is nobody else to tell the user, so say it.
      if ('code' in sync) ctx.io.stderr(`warning: registered, but the first sync failed: ${sync.message}\n`);
      for (const w of warnings) ctx.io.stderr(`warning: ${w}\n`);
    });

  repo
    .command('get')
    .alias('list')
    .description('List registered repositories.')
    .argument('[REPOSITORY...]', 'names of repositories to show')
    .option('-o, --output <format>', 'Output format: json, yaml, wide, custom-columns=...')
    .option('--no-headers', 'When using the default or custom-column output format, do not print headers')
    .action(async (names: string[], o: { output?: string; headers?: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals();
      const format = parseOutputFormat(o.output);
      const service = await ctx.client();
      const repos = names.length
        ? await Promise.all(names.map((name) => service.call('repositories.get', { namespace: g.namespace, name })))
        : await service.call('repositories.list', { namespace: g.namespace, allNamespaces: g.allNamespaces });
      const table = () => repositoryTable(repos);
      ctx.io.stdout(
        withoutHeader(
          render(
            format,
            repos,
            g.allNamespaces
              ? () =>
                  withNamespaceColumn(
                    table(),
                    repos.map((r) => r.metadata.namespace),
                  )
              : table,
          ),
          o.headers === false && (format.kind === 'table' || format.kind === 'custom-columns'),
        ),
      );
    });

  repo
    .command('unregister')
    .alias('unreg')
    .description('Unregister a repository; its cached package revisions are removed.')
    .argument('<REPOSITORY>', 'name of the repository')
    .option('--force', 'Also destroy the drafts and proposals that exist only in the database', false)
    .action(async (name: string, o: { force: boolean }, cmd: Command) => {
      const service = await ctx.client();
      const { draftsDestroyed } = await service.call('repositories.unregister', { namespace: cmd.optsWithGlobals().namespace, name, force: o.force });
      if (draftsDestroyed > 0) ctx.io.stderr(`destroyed ${draftsDestroyed} draft or proposed package revision(s)\n`);
    });

  repo
    .command('sync')
    .description('Sync a repository with Git now.')
    .argument('<REPOSITORY...>', 'names of repositories')
    .option('--force', 'Walk Git even if the remote did not change', false)
    .action(async (names: string[], o: { force: boolean }, cmd: Command) => {
      const service = await ctx.client();
      for (const name of names) {
        const onEvent = syncProgress(ctx, name);
        const s = await service.call('repositories.sync', { namespace: cmd.optsWithGlobals().namespace, name, force: o.force }, { onEvent });
        if (onEvent) ctx.io.stderr('\r\x1b[K');
        ctx.io.stdout(
          s.remoteUnchanged
            ? `${name} synced: remote unchanged (${s.durationMs} ms)\n`
            : `${name} synced: ${s.externalOnly} added, ${s.cachedOnly} removed, ${s.both} unchanged (${s.durationMs} ms)\n`,
        );
      }
    });
}

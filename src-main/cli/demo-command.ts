// porchlight demo: the demo workspace (a blueprint catalog and a deployment
// repository, in the data directory), then what to try next. Running it again
// adds only what is missing. With --serve it goes on into browser mode.
import type { Command } from 'commander';
import { DEFAULT_NAMESPACE } from '../../src-shared/names.ts';
import type { CliContext } from './cli-context.ts';
import { serveBrowserMode } from './serve-command.ts';

export function addDemoCommand(program: Command, ctx: CliContext, dbOption: () => string | undefined): void {
  program
    .command('demo')
    .description(
      'Create the demo workspace (a blueprint catalog and a deployment repository with a draft and a proposal waiting), register it, and say what to try.',
    )
    .option('--serve', 'then serve it in browser mode (as `porchlight serve`)', false)
    .option('--port <n>', 'with --serve: port on 127.0.0.1 (default: any free one)')
    .action(async (o: { serve: boolean; port?: string }, cmd: Command) => {
      const service = await ctx.client();
      const { repositories, created, directory, namespace } = await service.call('demo.create', { namespace: cmd.optsWithGlobals().namespace });
      const ns = namespace === DEFAULT_NAMESPACE ? '' : ` -n ${namespace}`;
      const lines = [
        `The demo workspace is in ${directory}:`,
        `  blueprints    ${repositories.blueprints}   blueprint catalog: basens, network/vpc, apps/web`,
        `  deployments   ${repositories.deployments}  deployment repository: a draft (team-a) and a proposal (staging/web) waiting`,
        created.length ? `Added: ${created.join(', ')}.` : 'Nothing to add: the demo was already set up.',
        '',
        'Try:',
        `  porchlight rpkg get${ns}                                  every package revision`,
        `  porchlight rpkg pull deployments.team-a.v1 ./team-a${ns}   the draft's files, to edit`,
        `  porchlight rpkg push deployments.team-a.v1 ./team-a${ns}   your edits back into the draft`,
        `  porchlight rpkg propose deployments.team-a.v1${ns}  and then  porchlight rpkg approve deployments.team-a.v1${ns}`,
        `  git -C ${repositories.deployments} log --oneline --decorate   the approval commit and its tag`,
        '  npm start (the desktop window), or porchlight serve (in a browser)',
        '',
      ];
      ctx.io.stdout(lines.join('\n'));
      if (!o.serve) return;
      // Browser mode opens the database itself: this process lets go of it first.
      await ctx.close();
      await serveBrowserMode(ctx, dbOption, o.port);
    });
}

// porchlight serve: browser mode. The service runs on its own thread, the
// renderer is served on 127.0.0.1 with a token in the URL this prints.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { invalidArgument } from '../../src-shared/errors.ts';
import type { CliContext } from './cli-context.ts';
import { startDataHomeService } from './service-command.ts';

export const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));

/** The renderer is built on first use (a fresh clone has only its sources). */
export async function ensureRendererBuilt(log: (s: string) => void, force = false): Promise<void> {
  if (!force && fs.existsSync(`${RENDERER_DIR}/index.html`)) return;
  log('building the renderer…\n');
  const { build } = await import('vite');
  await build({ configFile: fileURLToPath(new URL('../../vite.renderer.config.ts', import.meta.url)), logLevel: 'warn' });
}

export function addServeCommand(program: Command, ctx: CliContext, dbOption: () => string | undefined): void {
  program
    .command('serve')
    .description('Browser mode: serve Porchlight on 127.0.0.1 and print the URL to open (with its access token).')
    .option('--port <n>', 'port on 127.0.0.1 (default: any free one)')
    .action((o: { port?: string }) => serveBrowserMode(ctx, dbOption, o.port));
}

/** Serves until Ctrl-C (or SIGTERM); `porchlight demo --serve` ends here too. */
export async function serveBrowserMode(ctx: CliContext, dbOption: () => string | undefined, portOption: string | undefined): Promise<void> {
  const port = portOption === undefined ? 0 : Number(portOption);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw invalidArgument(`--port must be a port number, not "${portOption}"`);
  // The service with its local socket, so the CLI works beside the browser; refused, saying who, when another serves the data home.
  const service = await startDataHomeService(ctx, dbOption());
  const server = await ensureRendererBuilt(ctx.io.stderr)
    .then(() => import('../host/browser-server.ts'))
    .then(({ startBrowserServer }) => startBrowserServer({ host: service.host, rendererDir: RENDERER_DIR, port }))
    .catch(async (e: unknown) => {
      await service.close();
      throw e;
    });
  ctx.io.stdout(
    `Porchlight is serving on 127.0.0.1 only. Open:\n\n  ${server.url}\n\nThe token in that URL is the key; anyone with it can use this Porchlight. Ctrl-C stops.\n`,
  );
  await service.stopped;
  await server.close();
  await service.close();
}

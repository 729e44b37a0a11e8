// porchlight serve: browser mode. The service runs on its own thread, the
// renderer is served on 127.0.0.1 with a token in the URL this prints.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { invalidArgument } from '../../src-shared/errors.ts';
import { resolveDataHome } from '../db/open-database.ts';
import { startBrowserServer } from '../host/browser-server.ts';
import { startServiceHost } from '../host/service-host.ts';
import type { CliContext } from './cli-context.ts';

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
  await ensureRendererBuilt(ctx.io.stderr);
  const host = await startServiceHost({ dataHome: resolveDataHome(ctx.io.env), db: dbOption(), env: { ...ctx.io.env }, backgroundSync: true });
  const server = await startBrowserServer({ host, rendererDir: RENDERER_DIR, port });
  ctx.io.stdout(
    `Porchlight is serving on 127.0.0.1 only. Open:\n\n  ${server.url}\n\nThe token in that URL is the key; anyone with it can use this Porchlight. Ctrl-C stops.\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  await host.close();
}

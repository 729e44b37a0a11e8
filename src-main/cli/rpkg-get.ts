// porchlight rpkg get: porchctl's listing of package revisions, from the cache
// alone (no Git traffic), so it works offline once a sync has run.
import type { Command } from 'commander';
import type { PackageRevision, RevisionTableRow } from '../../src-shared/domain.ts';
import { invalidArgument, PorchlightError } from '../../src-shared/errors.ts';
import type { CliContext } from './cli-context.ts';
import { parseOutputFormat, render, withoutHeader } from './output-format.ts';
import { formatTable, withNamespaceColumn } from './printers.ts';

/** Table rows fetched per call: a few hundred kilobytes. */
const TABLE_ROWS_PER_CALL = 5000;

const HEADER = ['NAME', 'PACKAGE', 'WORKSPACENAME', 'REVISION', 'LATEST', 'LIFECYCLE', 'REPOSITORY'];

export function revisionTable(revisions: readonly PackageRevision[]) {
  return {
    header: HEADER,
    rows: revisions.map((r) => [
      r.metadata.name,
      r.spec.packageName,
      r.spec.workspaceName,
      String(r.spec.revision ?? 0),
      String(r.metadata.labels?.['kpt.dev/latest-revision'] === 'true'),
      r.spec.lifecycle,
      r.spec.repository,
    ]),
  };
}

/** The same table from the service's table rows (revisions.listTable), which carry nothing else. */
function tableOfRows(rows: readonly RevisionTableRow[]) {
  return {
    header: HEADER,
    rows: rows.map((r) => [r.name, r.packageName, r.workspaceName, String(r.revision), String(r.latest), r.lifecycle, r.repository]),
  };
}

interface GetOptions {
  output?: string;
  headers?: boolean;
  name?: string;
  revision?: string;
  workspace?: string;
  showKptfile?: boolean;
  chunkSize?: string;
}

function checkShowKptfile(names: readonly string[], o: GetOptions, allNamespaces: boolean): void {
  if (names.length !== 1) throw invalidArgument('--show-kptfile requires exactly one package revision name as an argument');
  if (o.name !== undefined || o.revision !== undefined || o.workspace !== undefined) {
    throw invalidArgument('--show-kptfile cannot be combined with --name, --revision, or --workspace');
  }
  if (allNamespaces) throw invalidArgument('--show-kptfile cannot be combined with --all-namespaces');
}

function notFoundOnServer(name: string): PorchlightError {
  // porchctl's wording, so scripts written against it keep working.
  return new PorchlightError('NOT_FOUND', `the server could not find the requested resource (get packagerevisions.porch.kpt.dev ${name})`, { name });
}

export function addRpkgGet(rpkg: Command, ctx: CliContext): void {
  rpkg
    .command('get')
    .alias('list')
    .description('Get or list package revisions.')
    .argument('[PACKAGE_REVISION...]', 'names of package revisions')
    .option('-o, --output <format>', 'Output format: json, yaml, wide, custom-columns=...')
    .option('--no-headers', 'When using the default or custom-column output format, do not print headers')
    .option('--name <package>', 'Name of the packages to get. Any package whose name contains this value will be included in the results.')
    .option('--revision <n>', 'Revision of the packages to get. Any package whose revision matches this value will be included in the results.')
    .option(
      '--workspace <workspace>',
      'WorkspaceName of the packages to get. Any package whose workspaceName matches this value will be included in the results.',
    )
    .option('--show-kptfile', 'Show the Kptfile of the package revision', false)
    .option('--chunk-size <n>', 'Return large lists in chunks of this many revisions (keyset pages), as kubectl does', '500')
    .action(async (names: string[], o: GetOptions, cmd: Command) => {
      const g = cmd.optsWithGlobals();
      const namespace: string | undefined = g.namespace;
      if (o.showKptfile) {
        checkShowKptfile(names, o, g.allNamespaces === true);
        const service = await ctx.client();
        const { files } = await service.call('revisions.resources', { namespace, name: names[0]! }).catch((e) => {
          throw e instanceof PorchlightError && e.code === 'NOT_FOUND' ? notFoundOnServer(names[0]!) : e;
        });
        const kptfile = files.find((r) => r.path === 'Kptfile');
        if (!kptfile) throw new PorchlightError('NOT_FOUND', `package revision "${names[0]}" does not contain a root Kptfile`);
        ctx.io.stdout(Buffer.from(kptfile.base64, 'base64').toString('utf8'));
        return;
      }
      const format = parseOutputFormat(o.output);
      let revision: number | undefined;
      if (o.revision !== undefined) {
        revision = Number(o.revision);
        if (!Number.isInteger(revision)) throw invalidArgument(`invalid argument "${o.revision}" for "--revision" flag: it must be an integer`);
      }
      const service = await ctx.client();
      const noHeaders = o.headers === false && (format.kind === 'table' || format.kind === 'custom-columns');
      const print = (revisions: readonly PackageRevision[], first: boolean) => {
        const table = () => revisionTable(revisions);
        const text = render(
          format,
          revisions,
          g.allNamespaces
            ? () =>
                withNamespaceColumn(
                  table(),
                  revisions.map((r) => r.metadata.namespace),
                )
            : table,
        );
        // Chunks after the first continue the listing: no second header, YAML documents still separated.
        if (!text) return;
        ctx.io.stdout(
          first
            ? withoutHeader(text, noHeaders)
            : format.kind === 'yaml'
              ? `---\n${text}`
              : withoutHeader(text, format.kind === 'table' || format.kind === 'custom-columns'),
        );
      };
      if (names.length) {
        const revisions = await Promise.all(
          names.map((name) =>
            service.call('revisions.get', { namespace, name }).catch((e) => {
              throw e instanceof PorchlightError && e.code === 'NOT_FOUND' ? notFoundOnServer(name) : e;
            }),
          ),
        );
        // Flag filters still apply to revisions asked for by name, as porchctl applies them client-side.
        print(
          revisions.filter(
            (r) =>
              (o.name === undefined || r.spec.packageName === o.name) &&
              (revision === undefined || (r.spec.revision ?? 0) === revision) &&
              (o.workspace === undefined || r.spec.workspaceName === o.workspace),
          ),
          true,
        );
        return;
      }
      const chunkSize = Number(o.chunkSize ?? 500);
      if (!Number.isInteger(chunkSize) || chunkSize < 1) throw invalidArgument(`--chunk-size must be a positive whole number, not "${o.chunkSize}"`);
      // kubectl's chunking: each page printed as it arrives (a table's columns are aligned within a chunk). The service sends at most a million at once.
      const limit = Math.min(chunkSize, 1_000_000);
      const request = { namespace, allNamespaces: g.allNamespaces === true, packageName: o.name, revision, workspace: o.workspace, limit };
      if (format.kind === 'table') {
        // Seven columns, not the objects, and ten chunks a call: each call costs the service a query, and the
        // output is still kubectl's, a table aligned within each chunk of --chunk-size.
        const perCall = limit * Math.max(1, Math.floor(TABLE_ROWS_PER_CALL / limit));
        let first = true;
        for (let rows = await service.call('revisions.listTable', { ...request, limit: perCall }); ;) {
          for (let at = 0; at < rows.items.length; at += limit, first = false) {
            const chunk = rows.items.slice(at, at + limit);
            const t = tableOfRows(chunk);
            const table = g.allNamespaces
              ? withNamespaceColumn(
                  t,
                  chunk.map((r) => r.namespace),
                )
              : t;
            ctx.io.stdout(withoutHeader(formatTable(table.header, table.rows), first ? noHeaders : true));
          }
          if (!rows.next) return;
          rows = await service.call('revisions.listTable', { ...request, limit: perCall, after: rows.next });
        }
      }
      let page = await service.call('revisions.listPage', request);
      for (let first = true; ; first = false) {
        if (page.items.length) print(page.items, first);
        if (!page.next) return;
        page = await service.call('revisions.listPage', { ...request, after: page.next });
      }
    });
}

// `porchlight demo` and the window's "Try the demo": two Git repositories in
// the data directory (a blueprint catalog and a deployment repository cloned
// from it), written by Porchlight itself through the same service calls a user
// makes, registered by path. Every step first looks for what it would make, so
// running it again (or after a crash half way) adds only what is missing.
import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import YAML from 'yaml';
import { PorchlightError } from '../../src-shared/errors.ts';
import { packageRevisionName } from '../../src-shared/names.ts';
import type { PackageRevision } from '../../src-shared/domain.ts';
import { gitFs } from '../git/atomic-fs.ts';
import { localUrlOf } from '../git/local-repository.ts';
import { DEMO_REVISIONS, READINESS_CONDITION, type DemoRevision } from './demo-content.ts';
import type { ServiceContext } from './context.ts';
import { fromWire, toWire } from './wire-files.ts';

export const DEMO_CATALOG = 'platform';

export interface DemoWorkspace {
  /** Repository name -> its path on disk. */
  repositories: Record<string, string>;
  /** What this run added (empty when everything was already there). */
  created: string[];
}

type Call = ServiceContext['call'];

const REPOSITORIES = [
  { name: 'blueprints', deployment: false, description: 'Demo: blueprint packages a platform team publishes' },
  { name: 'deployments', deployment: true, description: 'Demo: packages deployed to the prod and staging clusters' },
] as const;

export function demoDirectory(dataHome: string): string {
  return path.join(dataHome, 'demo');
}

export async function ensureDemoWorkspace(ctx: ServiceContext, namespace: string): Promise<DemoWorkspace> {
  const call = ctx.call;
  const created: string[] = [];
  const repositories: Record<string, string> = {};
  for (const r of REPOSITORIES) {
    const dir = path.join(demoDirectory(ctx.dataHome), `${r.name}.git`);
    repositories[r.name] = dir;
    if (!fs.existsSync(path.join(dir, 'HEAD'))) {
      await fs.promises.mkdir(dir, { recursive: true });
      await git.init({ fs: gitFs, gitdir: dir, bare: true, defaultBranch: 'main' });
    }
    const url = localUrlOf(dir);
    const existing = (await call('repositories.list', { namespace })).find((x) => x.metadata.name === r.name);
    if (existing && existing.spec.git.repo !== url) {
      throw new PorchlightError(
        'ALREADY_EXISTS',
        `a repository named "${r.name}" is already registered in namespace "${namespace}" from ${existing.spec.git.repo}; the demo needs that name: run it in another namespace (--namespace demo) or unregister that repository`,
      );
    }
    if (!existing) {
      const { sync } = await call('repositories.register', {
        url,
        name: r.name,
        namespace,
        deployment: r.deployment,
        description: r.description,
        syncIntervalSeconds: 0,
      });
      if ('code' in sync) throw new PorchlightError(sync.code, sync.message, sync.data);
      created.push(`repository ${r.name}`);
    }
  }
  for (const rev of DEMO_REVISIONS) {
    if (await ensureRevision(call, namespace, rev)) created.push(`${rev.repository} ${rev.packagePath} ${rev.workspace} (${rev.lifecycle})`);
  }
  const catalogs = await call('catalogs.list', { namespace });
  if (!catalogs.some((c) => c.metadata.name === DEMO_CATALOG)) {
    await call('catalogs.create', { namespace, name: DEMO_CATALOG, repositories: ['blueprints'], description: 'Demo: where new deployments are cloned from' });
    created.push(`catalog ${DEMO_CATALOG}`);
  }
  return { repositories, created };
}

async function find(call: Call, namespace: string, name: string): Promise<PackageRevision | undefined> {
  try {
    return await call('revisions.get', { namespace, name });
  } catch (e) {
    if (e instanceof PorchlightError && e.code === 'NOT_FOUND') return undefined;
    throw e;
  }
}

const LIFECYCLE_ORDER = ['Draft', 'Proposed', 'Published'] as const;

/** Brings one revision to its lifecycle; true when anything had to be done. */
async function ensureRevision(call: Call, namespace: string, rev: DemoRevision): Promise<boolean> {
  const name = packageRevisionName(rev.repository, rev.packagePath, rev.workspace);
  let current = await find(call, namespace, name);
  const want = LIFECYCLE_ORDER.indexOf(rev.lifecycle);
  if (current && LIFECYCLE_ORDER.indexOf(current.spec.lifecycle as (typeof LIFECYCLE_ORDER)[number]) >= want) return false;
  if (!current) {
    current = await start(call, namespace, rev);
    await writeFiles(call, namespace, current, rev);
  }
  if (current.spec.lifecycle === 'Draft' && want >= 1) await call('revisions.lifecycle', { namespace, name, verb: 'propose' });
  if (want >= 2) await call('revisions.lifecycle', { namespace, name, verb: 'approve' });
  return true;
}

async function start(call: Call, namespace: string, rev: DemoRevision): Promise<PackageRevision> {
  const from = rev.from;
  if (from && 'init' in from)
    return call('revisions.init', { namespace, repository: rev.repository, name: rev.packagePath, workspace: rev.workspace, description: from.init });
  if (from && 'clone' in from) {
    return call('revisions.clone', {
      namespace,
      repository: rev.repository,
      name: rev.packagePath,
      workspace: rev.workspace,
      source: { kind: 'revision', name: from.clone },
    });
  }
  const previous = DEMO_REVISIONS[DEMO_REVISIONS.indexOf(rev) - 1];
  if (previous?.packagePath !== rev.packagePath) throw new Error(`demo content: ${rev.packagePath} ${rev.workspace} has no source`);
  return call('revisions.copy', {
    namespace,
    source: packageRevisionName(previous.repository, previous.packagePath, previous.workspace),
    workspace: rev.workspace,
  });
}

async function writeFiles(call: Call, namespace: string, draft: PackageRevision, rev: DemoRevision): Promise<void> {
  const files = Object.entries(rev.files).map(([p, text]) => ({ path: p, content: new TextEncoder().encode(text) }));
  if (rev.gate) {
    const resources = (await call('revisions.resources', { namespace, name: draft.metadata.name })).files.map(fromWire);
    const kptfile = YAML.parseDocument(new TextDecoder().decode(resources.find((r) => r.path === 'Kptfile')!.content));
    kptfile.setIn(['info', 'readinessGates'], [{ conditionType: READINESS_CONDITION }]);
    kptfile.setIn(['status', 'conditions'], [{ type: READINESS_CONDITION, status: 'True', reason: 'Reviewed', message: 'Reviewed by the security team' }]);
    files.push({ path: 'Kptfile', content: new TextEncoder().encode(kptfile.toString()) });
  }
  if (!files.length) return;
  await call('revisions.save', { namespace, name: draft.metadata.name, resourceVersion: draft.metadata.resourceVersion!, files: files.map(toWire) });
}

// Registering, listing, scheduling, syncing and unregistering repositories.
import { randomUUID } from 'node:crypto';
import type { SyncStats } from '../../../src-shared/domain.ts';
import { alreadyExists, failedPrecondition, notFound, PorchlightError } from '../../../src-shared/errors.ts';
import type { ErrorShape } from '../../../src-shared/errors.ts';
import {
  findRepository,
  insertRepository,
  listRepositories,
  markRepositoryForDestruction,
  toRepository,
  updateRepositorySync,
} from '../../cache/repository-store.ts';
import { countDrafts } from '../../cache/revision-store.ts';
import { syncRepository } from '../../cache/sync.ts';
import { originOf } from '../credential-store.ts';
import { cleanupNow, destroyMarked } from '../cleanup.ts';
import { progressTo, type ServiceContext } from '../context.ts';
import { requireRepository } from '../lookups.ts';
import { isLocalAddress, resolveLocalAddress } from '../repository-address.ts';
import { secretKey, withCredentialsOutOfUrl } from '../repository-credentials.ts';
import { checkCron, syncTargetOf } from '../sync-targets.ts';
import type { Operations } from './operation.ts';

type Channels = 'repositories.list' | 'repositories.get' | 'repositories.register' | 'repositories.update' | 'repositories.sync' | 'repositories.unregister';

async function emitStatus(ctx: ServiceContext, namespace: string, name: string): Promise<void> {
  const row = await findRepository(ctx.db, namespace, name);
  if (row) ctx.emit({ type: 'repository.status', repository: toRepository(row) });
}

export const repositoryOperations: Operations<Channels> = {
  'repositories.list': async (ctx, r) => (await listRepositories(ctx.db, r.allNamespaces ? undefined : r.namespace)).map(toRepository),

  'repositories.get': async (ctx, r) => toRepository(await requireRepository(ctx, r.namespace, r.name)),

  /**
   * Porch registers first and syncs in the background; a failed first sync
   * leaves the repository registered with Ready=False and the reason.
   */
  'repositories.register': async (ctx, parsed) => {
    const { request: r, warnings } = isLocalAddress(parsed.url)
      ? await resolveLocalAddress(parsed)
      : { request: withCredentialsOutOfUrl(parsed), warnings: [] };
    if (await findRepository(ctx.db, r.namespace, r.name)) {
      throw alreadyExists(`repository "${r.name}" already exists in namespace "${r.namespace}"`, { namespace: r.namespace, name: r.name });
    }
    if (r.syncSchedule !== undefined) checkCron(r.syncSchedule);
    const secretName = r.username !== undefined ? `${r.name}-auth` : undefined;
    if (secretName) await ctx.credentials.set(secretKey(r.namespace, secretName)!, { username: r.username!, password: r.password ?? '' }, originOf(r.url));
    const row = await insertRepository(ctx.db, {
      namespace: r.namespace,
      name: r.name,
      uid: randomUUID(),
      syncIntervalS: r.syncIntervalSeconds,
      updatedBy: ctx.updatedBy,
      spec: {
        ...(r.description !== undefined ? { description: r.description } : {}),
        type: 'git',
        content: 'Package',
        deployment: r.deployment,
        git: { repo: r.url, branch: r.branch, directory: r.directory, ...(secretName ? { secretRef: { name: secretName } } : {}) },
        ...(r.syncSchedule !== undefined ? { sync: { schedule: r.syncSchedule } } : {}),
      },
    });
    let sync: SyncStats | ErrorShape;
    try {
      sync = await syncRepository(ctx.git, row, { onProgress: progressTo(ctx, 'sync', r.name) });
    } catch (e) {
      sync = (e instanceof PorchlightError ? e : new PorchlightError('INTERNAL', String(e))).toJSON();
    }
    ctx.background?.schedule(syncTargetOf(row));
    const repository = toRepository((await findRepository(ctx.db, r.namespace, r.name)) ?? row);
    ctx.emit({ type: 'repository.status', repository });
    return { repository, sync, warnings };
  },

  /** A new sync interval or cron schedule; the background schedule follows at once. */
  'repositories.update': async (ctx, r) => {
    const row = await requireRepository(ctx, r.namespace, r.name);
    if (r.syncSchedule) checkCron(r.syncSchedule);
    const { sync: _old, ...rest } = row.spec;
    const schedule = r.syncSchedule === undefined ? row.spec.sync?.schedule : (r.syncSchedule ?? undefined);
    const spec = { ...rest, ...(schedule ? { sync: { ...row.spec.sync, schedule } } : {}) };
    const updated = await updateRepositorySync(ctx.db, row.id, { syncIntervalS: r.syncIntervalSeconds ?? row.sync_interval_s, spec, updatedBy: ctx.updatedBy });
    if (!updated) throw notFound(`repository "${r.name}" was unregistered meanwhile`);
    ctx.background?.schedule(syncTargetOf(updated));
    const repository = toRepository(updated);
    ctx.emit({ type: 'repository.status', repository });
    return repository;
  },

  'repositories.sync': async (ctx, r) => {
    const row = await requireRepository(ctx, r.namespace, r.name);
    const stats = await syncRepository(ctx.git, row, { force: r.force, onProgress: progressTo(ctx, 'sync', r.name) });
    // Also after a sync that found nothing to remove: an earlier failed one may have marked rows.
    await cleanupNow(ctx, row.id);
    await emitStatus(ctx, r.namespace, r.name);
    return stats;
  },

  /**
   * Unregistering marks the repository for destruction in one statement; the
   * cleanup deletes its rows in batches. Drafts and proposals exist only
   * here, so they are refused unless forced.
   */
  'repositories.unregister': async (ctx, r) => {
    const row = await requireRepository(ctx, r.namespace, r.name);
    const drafts = await countDrafts(ctx.db, row.id);
    if (drafts > 0 && !r.force) {
      throw failedPrecondition(
        `repository "${r.name}" has ${drafts} draft or proposed package revision(s) that exist only in Porchlight's database and would be lost; ` +
          `approve or delete them first, or unregister with --force to destroy them`,
        { drafts },
      );
    }
    ctx.background?.cancel(row.id);
    ctx.git.clones?.delete(row.id);
    ctx.pageRepositories.clear();
    await markRepositoryForDestruction(ctx.db, row.id, `unregistered by ${ctx.updatedBy}`);
    const secret = secretKey(row.namespace, row.spec.git.secretRef?.name);
    if (secret) await ctx.credentials.delete(secret);
    await destroyMarked(ctx);
    return { draftsDestroyed: drafts };
  },
};

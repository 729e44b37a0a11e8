// Reading one package revision through the service, answered as the API does.
import { isPorchlightError } from '../../../../src-shared/errors.ts';
import type { KubeObject } from '../change-feed.ts';
import { notFoundError, type GroupResource } from '../status.ts';
import type { DoorContext } from './handler.ts';

export const REVISIONS: GroupResource = { group: 'porch.kpt.dev', resource: 'packagerevisions' };

/** A package revision, or the API's 404 for it (a name that cannot be one is not found either). */
export async function getRevision(ctx: DoorContext, namespace: string, name: string, gr: GroupResource = REVISIONS): Promise<KubeObject> {
  try {
    return (await ctx.service.call('revisions.get', { namespace, name })) as unknown as KubeObject;
  } catch (e) {
    if (isPorchlightError(e) && (e.code === 'NOT_FOUND' || e.code === 'INVALID_ARGUMENT')) throw notFoundError(gr, name);
    throw e;
  }
}

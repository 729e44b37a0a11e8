// What each resource of the door implements. The server parses the request
// (path, selectors, paging, body) and hands a handler plain values; handlers
// reach the service only through the ServiceClient.
import type { ChangeFeed, KubeObject, WatchedResource } from '../change-feed.ts';
import type { KindInfo } from '../kinds.ts';
import type { FieldRequirement, LabelRequirement } from '../selectors.ts';
import type { ContinueState } from '../paging.ts';
import type { ServiceClient } from '../service-client.ts';
import type { SecretStash } from './secret-stash.ts';
import type { ObjectMeta } from '../../../../src-shared/domain.ts';

export interface DoorContext {
  service: ServiceClient;
  feed: ChangeFeed;
  stash: SecretStash;
  /** Namespaces created through the door (Porchlight's are implicit; these are remembered to list them). */
  namespaces: Set<string>;
  /** Warning headers for the response (kubectl prints them). */
  warnings: string[];
}

export interface ListOptions {
  /** Undefined: every namespace. */
  namespace?: string;
  fields: FieldRequirement[];
  labels: LabelRequirement[];
  limit?: number;
  continueFrom?: ContinueState;
  /** Only what a table row needs (kubectl get without -o): lets a handler use summaries. */
  light: boolean;
}

export interface ListResult {
  items: KubeObject[];
  continueToken?: string;
}

export interface DeleteOptions {
  /** metadata.resourceVersion the client requires (DeleteOptions.preconditions). */
  resourceVersion?: string;
  /** gracePeriodSeconds 0 (kubectl delete --force --grace-period=0). */
  force: boolean;
}

export interface ResourceHandler {
  kind: KindInfo;
  /** The watch feed's name for it, when it can be watched. */
  watch?: WatchedResource;
  fieldSelectable(field: string): boolean;
  /** The value a field selector compares (undefined: the generic dotted path). */
  fieldOf?(o: KubeObject, field: string): string | undefined;
  list(ctx: DoorContext, opts: ListOptions): Promise<ListResult>;
  get(ctx: DoorContext, namespace: string, name: string, subresource?: string): Promise<KubeObject>;
  create?(ctx: DoorContext, namespace: string, body: KubeObject): Promise<KubeObject>;
  update?(ctx: DoorContext, namespace: string, name: string, body: KubeObject, subresource?: string): Promise<KubeObject>;
  remove?(ctx: DoorContext, namespace: string, name: string, opts: DeleteOptions): Promise<KubeObject>;
}

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Labels and annotations a write asks for, less kubectl's last-applied record (which the door does not keep: told once as a warning). */
export function requestedMetadata(
  ctx: DoorContext,
  meta: Partial<ObjectMeta> | undefined,
): { labels: Record<string, string>; annotations: Record<string, string> } {
  const annotations = { ...(meta?.annotations ?? {}) };
  if (LAST_APPLIED in annotations) {
    delete annotations[LAST_APPLIED];
    ctx.warnings.push(`the ${LAST_APPLIED} annotation is not kept by Porchlight; kubectl apply compares with the live object instead`);
  }
  return { labels: { ...(meta?.labels ?? {}) }, annotations };
}

export const sameMap = (a: Record<string, string> | undefined, b: Record<string, string> | undefined) => {
  const x = Object.entries(a ?? {}).sort();
  const y = Object.entries(b ?? {}).sort();
  return JSON.stringify(x) === JSON.stringify(y);
};

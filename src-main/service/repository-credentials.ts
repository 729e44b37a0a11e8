// Which credentials a request to Git may carry: a registered repository's
// secret, sent only to the address it was registered for (credential-store.ts).
import { listRepositories } from '../cache/repository-store.ts';
import type { BasicAuth } from '../git/credentials.ts';
import { invalidArgument } from '../../src-shared/errors.ts';
import type { ServiceContext } from './context.ts';

/** Credentials are per namespace, as Kubernetes secrets are. */
export function secretKey(namespace: string, secretName: string | undefined): string | undefined {
  return secretName ? `${namespace}/${secretName}` : undefined;
}

/** A secret for a request to `url`: only to the address it was registered for. */
export function secretFor(ctx: ServiceContext, namespace: string, secretName: string | undefined, url: string): Promise<BasicAuth | undefined> {
  const key = secretKey(namespace, secretName);
  if (!key) return Promise.resolve(undefined);
  const owner = async () => (await listRepositories(ctx.db, namespace)).find((r) => r.spec.git.secretRef?.name === secretName)?.spec.git.repo;
  return ctx.credentials.getFor(key, url, owner);
}

/** A URL that is also a registered repository's uses that repository's credentials. */
export async function credentialsForUrl(ctx: ServiceContext, namespace: string, url: string): Promise<BasicAuth | undefined> {
  const bare = (u: string) => u.replace(/\.git$/, '').replace(/\/+$/, '');
  const repo = (await listRepositories(ctx.db, namespace)).find((r) => bare(r.spec.git.repo) === bare(url));
  return repo ? ctx.git.credentials(repo) : undefined;
}

/**
 * Credentials written into the URL (http://user:token@host/...) move to the
 * credential store: the URL is stored in the database and shown in listings.
 */
export function withCredentialsOutOfUrl<R extends { url: string; username?: string; password?: string }>(r: R): R {
  const url = new URL(r.url);
  if (!url.username && !url.password) return r;
  if (r.username !== undefined) {
    throw invalidArgument('credentials are given both in the URL and with --repo-basic-username; give them once, with the flags');
  }
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  return { ...r, url: url.toString(), username, password };
}

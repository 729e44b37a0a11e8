// Basic-auth credentials for one repository, handed to isomorphic-git's onAuth.
// They live in the credential store, never in the database, logs or messages.
import type { AuthCallback } from 'isomorphic-git';

export interface BasicAuth {
  username: string;
  password: string;
}

export function onAuthFor(auth: BasicAuth | undefined): AuthCallback | undefined {
  if (!auth) return undefined;
  let tries = 0;
  // isomorphic-git calls onAuth again after a 401; a second call means the
  // credentials were refused, and cancelling turns that into a clear error.
  return () => (tries++ === 0 ? { username: auth.username, password: auth.password } : { cancel: true });
}

/** Sent up front, so an authenticated round trip is one request, not a 401 and a retry. */
export function authHeaders(auth: BasicAuth | undefined): Record<string, string> {
  if (!auth) return {};
  return { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
}

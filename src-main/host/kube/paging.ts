// `limit`/`continue` over the service's keyset pages: a continue token is the
// keyset cursor (and, across namespaces, where the walk is) as opaque base64url
// JSON; a token that does not decode is a 400, as the API server answers.
import { badRequest } from './status.ts';

export interface ContinueState {
  /** The namespace the walk is in, when it goes namespace by namespace. */
  namespace?: string;
  /** The service's cursor within it (a page's `next`), or `namespace/name` of the last item sent. */
  after?: string;
}

export function encodeContinue(state: ContinueState): string {
  return Buffer.from(JSON.stringify({ v: 1, ...state })).toString('base64url');
}

export function decodeContinue(token: string | null | undefined): ContinueState | undefined {
  if (!token) return undefined;
  try {
    const s = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (s.v === 1 && (s.namespace === undefined || typeof s.namespace === 'string') && (s.after === undefined || typeof s.after === 'string')) {
      return { ...(s.namespace !== undefined ? { namespace: s.namespace as string } : {}), ...(s.after !== undefined ? { after: s.after as string } : {}) };
    }
  } catch {
    // Falls through to the refusal.
  }
  throw badRequest('continue key is not valid: send the continue token of the previous page as it was given');
}

/** `limit` as a positive integer, or undefined for everything at once. */
export function limitOf(query: URLSearchParams): number | undefined {
  const raw = query.get('limit');
  if (raw === null || raw === '' || raw === '0') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw badRequest(`limit must be a non-negative integer, not "${raw.slice(0, 40)}"`);
  return n;
}

export interface Keyed {
  metadata: { namespace?: string; name: string };
}

const keyOf = (o: Keyed) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** A page of a list the door holds whole (secrets, namespaces, packages), in namespace/name order. */
export function pageInMemory<T extends Keyed>(items: T[], limit: number | undefined, token: ContinueState | undefined): { items: T[]; continueToken?: string } {
  const sorted = [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const start = token?.after ? sorted.findIndex((o) => keyOf(o) > token.after!) : 0;
  const rest = start < 0 ? [] : sorted.slice(start);
  if (limit === undefined || rest.length <= limit) return { items: rest };
  const page = rest.slice(0, limit);
  return { items: page, continueToken: encodeContinue({ after: keyOf(page.at(-1)!) }) };
}

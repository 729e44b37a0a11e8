// The path and query of a request line, without throwing: `new URL` throws on
// an absolute-form target like `http://[`, and any page can make a browser
// send a path with a stray %.

export interface RequestTarget {
  /** Still percent-encoded; routes compare it as sent. */
  pathname: string;
  query: URLSearchParams;
}

/** Undefined unless the target is a path (origin-form), the only form this server answers. */
export function requestTarget(raw: string | undefined): RequestTarget | undefined {
  if (!raw?.startsWith('/')) return undefined;
  const withoutFragment = raw.split('#', 1)[0]!;
  const q = withoutFragment.indexOf('?');
  // URLSearchParams leaves malformed percent-escapes as they are instead of throwing.
  return q < 0
    ? { pathname: withoutFragment, query: new URLSearchParams() }
    : { pathname: withoutFragment.slice(0, q), query: new URLSearchParams(withoutFragment.slice(q + 1)) };
}

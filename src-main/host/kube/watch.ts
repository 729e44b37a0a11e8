// ?watch=true: a chunked stream of JSON watch events, one per line. Without a
// resourceVersion (or "0") it starts with an ADDED event for everything that
// matches, as Porch's watch does; with one from a list it replays what the
// feed recorded since (or answers 410 Expired in the stream, and the client
// lists again). Bookmarks carry the feed's current resourceVersion.
import type http from 'node:http';
import type { ChangeFeed, FeedEvent, KubeObject } from './change-feed.ts';
import { apiVersionOf } from './kinds.ts';
import { fieldValue, matchesLabels } from './selectors.ts';
import type { DoorContext, ListOptions, ResourceHandler } from './resources/handler.ts';
import { statusOf, goneError } from './status.ts';
import { toTable } from './table.ts';

export interface WatchRequest {
  handler: ResourceHandler;
  ctx: DoorContext;
  opts: ListOptions;
  resourceVersion?: string;
  bookmarks: boolean;
  sendInitialEvents: boolean;
  timeoutSeconds?: number;
  /** Events as tables (kubectl get -w), in this Table apiVersion. */
  table?: string;
}

export interface WatchLimits {
  bookmarkMs: number;
  maxTimeoutSeconds: number;
  /** The server's open streams, so closing it ends them. */
  open: Set<http.ServerResponse>;
}

function matches(w: WatchRequest, o: KubeObject): boolean {
  if (w.opts.namespace !== undefined && o.metadata.namespace !== w.opts.namespace) return false;
  const field = (x: KubeObject, f: string) => (w.handler.fieldOf ?? fieldValue)(x, f);
  return w.opts.fields.every((r) => field(o, r.field) === r.value) && matchesLabels(w.opts.labels, o.metadata.labels);
}

export async function serveWatch(res: http.ServerResponse, feed: ChangeFeed, w: WatchRequest, limits: WatchLimits): Promise<void> {
  let headersSent = false;
  let lastSeq = 0;
  let buffered: FeedEvent[] | undefined = [];
  let closed = false;
  const timers: NodeJS.Timeout[] = [];
  let unsubscribe = () => {};
  const finish = () => {
    if (closed) return;
    closed = true;
    for (const t of timers) clearTimeout(t);
    unsubscribe();
    limits.open.delete(res);
    if (!res.writableEnded) res.end();
  };
  const write = (type: string, object: unknown) => {
    if (closed) return;
    if (!headersSent) {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      headersSent = true;
    }
    res.write(`${JSON.stringify({ type, object })}\n`);
  };
  let columnsSent = false;
  const send = (type: string, o: KubeObject) => {
    if (!w.table) return write(type, o);
    write(type, { ...toTable(w.handler.kind.plural, [o], { noHeaders: columnsSent }), apiVersion: w.table });
    columnsSent = true;
  };
  const deliver = (e: FeedEvent) => {
    if (e.seq <= lastSeq || e.resource !== w.handler.watch) return;
    lastSeq = e.seq;
    if (matches(w, e.object)) send(e.type, e.object);
  };
  const bookmark = (initialEnd: boolean) =>
    write('BOOKMARK', {
      kind: w.handler.kind.kind,
      apiVersion: apiVersionOf(w.handler.kind),
      metadata: { resourceVersion: feed.rv(), ...(initialEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}) },
    });

  limits.open.add(res);
  res.on('close', finish);
  unsubscribe = await feed.subscribe((e) => (buffered ? buffered.push(e) : deliver(e)));
  if (closed) return unsubscribe();
  const rv = w.resourceVersion;
  if (rv && rv !== '0') {
    const replay = feed.since(rv);
    if (replay === 'expired') {
      write('ERROR', statusOf(goneError(`too old resource version: ${rv} (${feed.rv()})`)));
      return finish();
    }
    for (const e of replay) deliver(e);
  } else {
    let items: KubeObject[];
    try {
      ({ items } = await w.handler.list(w.ctx, { ...w.opts, light: false, limit: undefined, continueFrom: undefined }));
    } catch (e) {
      // Before anything was sent the caller answers with the Status; after, it ends the stream as an ERROR event.
      if (!headersSent) {
        closed = true;
        unsubscribe();
        limits.open.delete(res);
        throw e;
      }
      write('ERROR', statusOf(e));
      return finish();
    }
    for (const o of items) send('ADDED', o);
  }
  const pending = buffered;
  buffered = undefined;
  for (const e of pending) deliver(e);
  if (w.bookmarks && (w.sendInitialEvents || !rv || rv === '0')) bookmark(true);
  else if (!headersSent) {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    headersSent = true;
  }
  res.flushHeaders?.();
  if (w.bookmarks) {
    const every = () => {
      bookmark(false);
      timers[0] = setTimeout(every, limits.bookmarkMs);
    };
    timers[0] = setTimeout(every, limits.bookmarkMs);
  }
  const seconds = Math.min(w.timeoutSeconds ?? limits.maxTimeoutSeconds, limits.maxTimeoutSeconds);
  timers[1] = setTimeout(finish, seconds * 1000);
}

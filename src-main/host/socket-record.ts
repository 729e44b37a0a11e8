// <data home>/service.json: which process serves this data home, where its
// socket is and which database it opened, so a CLI knows whether to be its
// client. Written atomically and 0600, removed on a clean exit; a record whose
// process is gone is stale and ignored. Never holds a password.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const RECORD_NAME = 'service.json';

/** A database as two doors compare it: a PGlite directory by its real path, a PostgreSQL database by server, database and user. */
export type DatabaseIdentity =
  { kind: 'pglite'; dir: string } | { kind: 'postgres'; host: string; port: number; database: string; user?: string; location: string };

export interface ServiceRecord {
  pid: number;
  socket: string;
  dataHome: string;
  database: DatabaseIdentity;
  version: string;
  startedAt: string;
}

export const recordFile = (dataHome: string) => path.join(dataHome, RECORD_NAME);

/** A PGlite directory (resolved through links when it exists) or a postgres:// URL, without its password. */
export function databaseIdentity(target: { kind: 'pglite'; dir: string } | { kind: 'postgres'; url: string }): DatabaseIdentity {
  if (target.kind === 'pglite') {
    let dir = path.resolve(target.dir);
    try {
      dir = fs.realpathSync(dir);
    } catch {
      // not created yet: the resolved path is what the service will create
    }
    return { kind: 'pglite', dir };
  }
  const url = new URL(target.url);
  const user = decodeURIComponent(url.username) || undefined;
  const host = (url.hostname || 'localhost').toLowerCase();
  const port = Number(url.port || 5432);
  // libpq's default database is the user's name.
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || user || os.userInfo().username;
  return { kind: 'postgres', host, port, database, ...(user ? { user } : {}), location: `postgres://${host}:${port}/${database}` };
}

/** The same data: one directory, or one database on one server (the user compared only when both sides name one). */
export function sameDatabase(a: DatabaseIdentity, b: DatabaseIdentity): boolean {
  if (a.kind === 'pglite' || b.kind === 'pglite') return a.kind === 'pglite' && b.kind === 'pglite' && a.dir === b.dir;
  const sameHost = (x: string, y: string) => x === y || (isLoopback(x) && isLoopback(y));
  return sameHost(a.host, b.host) && a.port === b.port && a.database === b.database && (!a.user || !b.user || a.user === b.user);
}

const isLoopback = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '::1' || host === '[::1]';

export function describeDatabase(d: DatabaseIdentity): string {
  return d.kind === 'pglite' ? `PGlite ${d.dir}` : `PostgreSQL ${d.location}${d.user ? ` as ${d.user}` : ''}`;
}

/** Atomic (temporary file, rename) and private from the first byte. */
export function writeRecord(dataHome: string, record: ServiceRecord): void {
  const file = recordFile(dataHome);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** The record as written, or undefined if there is none or it is not one (a torn or foreign file is as good as none). */
export function readRecord(dataHome: string): ServiceRecord | undefined {
  let raw: string;
  try {
    raw = fs.readFileSync(recordFile(dataHome), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const r = JSON.parse(raw) as Partial<ServiceRecord>;
    if (typeof r.pid !== 'number' || typeof r.socket !== 'string' || typeof r.database !== 'object' || r.database === null) return undefined;
    return r as ServiceRecord;
  } catch {
    return undefined;
  }
}

/** The record, if its process is still alive (the socket may still refuse: the caller decides). */
export function liveRecord(dataHome: string): ServiceRecord | undefined {
  const record = readRecord(dataHome);
  return record && pidAlive(record.pid) ? record : undefined;
}

/** Removes the record only if it is still this one (a newer service may have replaced a stale one). */
export function removeRecord(dataHome: string, record: ServiceRecord): void {
  const now = readRecord(dataHome);
  if (now && now.pid === record.pid && now.startedAt === record.startedAt) fs.rmSync(recordFile(dataHome), { force: true });
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: alive, another user's (a reused pid); ESRCH: gone.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

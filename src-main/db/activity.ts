// When a database last did work for someone. PGlite has one connection and
// no autovacuum, so Porchlight does that upkeep itself (cache/pglite-upkeep.ts)
// and must do it while nobody is waiting: a VACUUM holds the connection for
// as long as it runs. Upkeep's own statements run inside asUpkeep() and do not
// count as use, or upkeep would keep itself from ever finding the database idle.
import { AsyncLocalStorage } from 'node:async_hooks';

const upkeep = new AsyncLocalStorage<true>();
const lastUse = new WeakMap<object, number>();

export function asUpkeep<T>(fn: () => Promise<T>): Promise<T> {
  return upkeep.run(true, fn);
}

/** Called by the driver for every statement and transaction it is asked to run. */
export function noteUse(db: object): void {
  if (!upkeep.getStore()) lastUse.set(db, performance.now());
}

/** Milliseconds since the database last ran something that was not upkeep (Infinity if never). */
export function idleForMs(db: object): number {
  const at = lastUse.get(db);
  return at === undefined ? Number.POSITIVE_INFINITY : performance.now() - at;
}

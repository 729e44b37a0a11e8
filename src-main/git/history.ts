// Walks commit history newest-first by committer time, as Porch does when it
// looks for the `kpt:` annotations that give tasks and publish info. Commits
// are memoised by the ObjectReader, so several walks in one sync share reads.
import type { CommitObject } from 'isomorphic-git';
import type { GitObjectReader as ObjectReader } from './object-reader.ts';

export interface WalkedCommit {
  oid: string;
  commit: CommitObject;
}

/** Yields commits reachable from `start`, newest committer time first, at most `limit`. */
export async function* walkHistory(reader: ObjectReader, start: string, limit = Infinity): AsyncGenerator<WalkedCommit> {
  const seen = new Set<string>([start]);
  const queue: WalkedCommit[] = [{ oid: start, commit: await reader.commit(start) }];
  let yielded = 0;
  while (queue.length && yielded < limit) {
    // Small queues (merge fan-out is rare): a linear scan for the newest is enough.
    let best = 0;
    for (let i = 1; i < queue.length; i++) {
      if (queue[i]!.commit.committer.timestamp > queue[best]!.commit.committer.timestamp) best = i;
    }
    const next = queue.splice(best, 1)[0]!;
    yield next;
    yielded++;
    for (const parent of next.commit.parent) {
      if (seen.has(parent)) continue;
      seen.add(parent);
      try {
        queue.push({ oid: parent, commit: await reader.commit(parent) });
      } catch {
        // a shallow or damaged history ends the walk there, as it would for git log
      }
    }
  }
}

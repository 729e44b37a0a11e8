// Fills in what needs history: the task that made a revision and, for
// placeholders, who published the package last. Run only on the revisions a sync
// inserts, so an incremental sync walks a few commits, not the whole history.
import type { Task } from '../../src-shared/domain.ts';
import type { DiscoveredRevision } from './discovered.ts';
import { walkHistory } from './history.ts';
import { parseKptAnnotations } from './kpt-annotation.ts';
import type { GitObjectReader as ObjectReader } from './object-reader.ts';
import { joinPath } from './porch-refs.ts';
import { cooperative } from './cooperative.ts';

/** How far back to look for a revision's task. Porch walks to the root; on a long
 *  history that makes a first sync quadratic, and the task commits of a revision
 *  sit right behind its approval. */
export const TASK_WALK_LIMIT = 50;

const FIRST_TASKS = new Set(['init', 'edit', 'clone', 'upgrade']);

type AnnotationMemo = Map<string, ReturnType<typeof parseKptAnnotations>>;

async function taskOf(reader: ObjectReader, memo: AnnotationMemo, start: string, fullPath: string, workspace: string): Promise<Task[]> {
  let tasks: Task[] = [];
  for await (const { oid, commit } of walkHistory(reader, start, TASK_WALK_LIMIT)) {
    let annotations = memo.get(oid);
    if (!annotations) memo.set(oid, (annotations = parseKptAnnotations(commit.message)));
    for (const a of annotations) {
      const matches = a.package === fullPath && (a.workspaceName === workspace || (!a.workspaceName && a.revision === workspace));
      const type = a.task?.type;
      if (!matches || typeof type !== 'string' || !FIRST_TASKS.has(type)) continue;
      tasks = [a.task as Task];
      if (type === 'init' || type === 'clone') return tasks;
    }
  }
  return tasks;
}

/** First commit on the branch (newest first) that mentions each package; walked once, lazily. */
class BranchPublishers {
  private readonly walk: AsyncGenerator<{ oid: string; commit: { author: { email: string; timestamp: number }; message: string } }>;
  private readonly found = new Map<string, { by: string; at: Date }>();
  private done = false;

  constructor(reader: ObjectReader, head: string) {
    this.walk = walkHistory(reader, head);
  }

  async get(fullPath: string): Promise<{ by: string; at: Date } | undefined> {
    while (!this.found.has(fullPath) && !this.done) {
      const next = await this.walk.next();
      if (next.done) {
        this.done = true;
        break;
      }
      const { author, message } = next.value.commit;
      for (const a of parseKptAnnotations(message)) {
        if (a.package && !this.found.has(a.package)) this.found.set(a.package, { by: author.email, at: new Date(author.timestamp * 1000) });
      }
    }
    return this.found.get(fullPath);
  }
}

export async function describeRevisions(reader: ObjectReader, revisions: DiscoveredRevision[], directory: string, branchHead?: string): Promise<void> {
  const publishers = branchHead ? new BranchPublishers(reader, branchHead) : undefined;
  const memo: AnnotationMemo = new Map();
  const breathe = cooperative();
  for (const r of revisions) {
    await breathe();
    const fullPath = joinPath(directory, r.packagePath);
    r.tasks = await taskOf(reader, memo, r.commit, fullPath, r.workspace);
    if (r.revision === -1 && r.gitRef.startsWith('refs/heads/') && publishers) {
      const p = await publishers.get(fullPath);
      r.publishedBy = p?.by || undefined;
      r.publishedAt = p?.at;
    }
  }
}

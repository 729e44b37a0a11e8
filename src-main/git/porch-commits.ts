// The commits Porch writes when it publishes, in its layout, so Porch reads a
// package Porchlight approved exactly as one it approved itself:
//   task commit      "<what the first task did>\n" + "\n\nkpt:{package,workspaceName,revision:"0",task}\n"
//                    parent: the branch head; tree: the head's tree with the package replaced
//   approval commit  "Approving package revision <path>/<N>" + "\n\nkpt:{package,workspaceName,revision:"N"}\n"
//                    parents: the branch head and the task commit; the same tree
//   deletion commit  "Delete <path>": the branch head without the package
import { gitFs } from './atomic-fs.ts';
import git from 'isomorphic-git';
import type { Task } from '../../src-shared/domain.ts';

export interface CommitIdentity {
  name: string;
  email: string;
}

/** Porch's subject line for the commit a task made. */
export function taskCommitSubject(taskType: string | undefined): string {
  switch (taskType) {
    case 'init':
      return 'Creating new empty revision';
    case 'render':
      return 'Rendering package';
    case 'edit':
      return 'Creating new revision by copying previous revision';
    case 'clone':
      return 'Creating new revision by cloning';
    case 'upgrade':
      return 'Upgrading revision';
    case undefined:
    case '':
      return 'Intermediate commit';
    default:
      return `Intermediate commit: ${taskType}`;
  }
}

/** JSON as Go's encoding/json writes it: '<', '>' and '&' escaped, so Porch's reader sees identical bytes. */
function goJson(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}

/**
 * Porch's Task fields in the order Go declares them, which is the order its
 * JSON has: the database (jsonb) keeps keys in its own order, so the order is
 * put back before a task is written into a commit.
 */
const GO_FIELD_ORDER = [
  'type',
  'init',
  'clone',
  'edit',
  'upgrade',
  'subpackage',
  'description',
  'keywords',
  'site',
  'git',
  'oci',
  'upstreamRef',
  'repo',
  'ref',
  'directory',
  'secretRef',
  'name',
  'sourceRef',
  'oldUpstreamRef',
  'newUpstreamRef',
  'localPackageRevisionRef',
  'strategy',
];

function inGoOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inGoOrder);
  if (!value || typeof value !== 'object') return value;
  const rank = (k: string) => {
    const i = GO_FIELD_ORDER.indexOf(k);
    return i < 0 ? GO_FIELD_ORDER.length : i;
  };
  const keys = Object.keys(value).sort((a, b) => rank(a) - rank(b));
  return Object.fromEntries(keys.map((k) => [k, inGoOrder((value as Record<string, unknown>)[k])]));
}

export interface Annotation {
  package: string;
  workspaceName: string;
  revision: string;
  task?: Task;
}

export function annotate(message: string, annotation: Annotation): string {
  const ordered: Record<string, unknown> = { package: annotation.package, workspaceName: annotation.workspaceName, revision: annotation.revision };
  if (annotation.task) ordered.task = inGoOrder(annotation.task);
  return `${message}\n\nkpt:${goJson(ordered)}\n`;
}

export function taskCommitMessage(fullPath: string, workspace: string, task: Task | undefined): string {
  const first = task ?? { type: 'push' };
  return annotate(`${taskCommitSubject(first.type)}\n`, { package: fullPath, workspaceName: workspace, revision: '0', task: first });
}

export function approvalCommitMessage(fullPath: string, workspace: string, revision: number): string {
  return annotate(`Approving package revision ${fullPath}/${revision}`, { package: fullPath, workspaceName: workspace, revision: String(revision) });
}

export async function writeCommit(
  gitdir: string,
  c: { tree: string; parents: string[]; message: string; author: CommitIdentity; when?: Date },
): Promise<string> {
  const when = c.when ?? new Date();
  const signature = { name: c.author.name, email: c.author.email, timestamp: Math.floor(when.getTime() / 1000), timezoneOffset: when.getTimezoneOffset() };
  return git.writeCommit({ fs: gitFs, gitdir, commit: { tree: c.tree, parent: c.parents, message: c.message, author: signature, committer: signature } });
}

export async function writeEmptyTree(gitdir: string): Promise<string> {
  return git.writeTree({ fs: gitFs, gitdir, tree: [] });
}

// Reads objects through one long-lived `git cat-file --batch` process: the
// same answers as the isomorphic-git reader, at native speed, for machines
// that have git (see native-fetch.ts for why). One request at a time.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { CommitObject, TreeEntry } from 'isomorphic-git';
import { parseCommit, parseTree } from './git-objects.ts';
import { listFiles, type GitObjectReader, type TreeFile } from './object-reader.ts';

interface RawObject {
  oid: string;
  type: string;
  content: Buffer;
}

export class NativeObjectReader implements GitObjectReader {
  private readonly proc: ChildProcessWithoutNullStreams;
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (o: RawObject | undefined) => void; reject: (e: Error) => void }[] = [];
  private readonly trees = new Map<string, TreeEntry[]>();
  private readonly commits = new Map<string, CommitObject>();
  private failed?: Error;

  constructor(gitdir: string) {
    this.proc = spawn('git', ['--git-dir', gitdir, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
      this.drain();
    });
    const fail = (e: Error) => {
      this.failed ??= e;
      for (const w of this.waiting.splice(0)) w.reject(this.failed);
    };
    this.proc.on('error', fail);
    this.proc.stdin.on('error', fail);
    // However it ends (exit code or signal), nobody may wait for an answer that will not come.
    this.proc.on('close', (code, signal) => fail(new Error(`git cat-file ended (${signal ?? `exit ${code}`})`)));
  }

  /** Parses as many complete answers as have arrived. */
  private drain(): void {
    while (this.waiting.length) {
      const eol = this.buffered.indexOf(0x0a);
      if (eol < 0) return;
      const header = this.buffered.toString('utf8', 0, eol);
      // `<name> missing` echoes the request, which may hold spaces: read from the right.
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        this.buffered = this.buffered.subarray(eol + 1);
        this.waiting.shift()!.resolve(undefined);
        continue;
      }
      const parts = header.split(' ');
      const size = Number(parts[2]);
      if (parts.length !== 3 || !Number.isSafeInteger(size)) {
        this.proc.kill('SIGKILL');
        return;
      }
      if (this.buffered.length < eol + 1 + size + 1) return;
      const content = Buffer.from(this.buffered.subarray(eol + 1, eol + 1 + size));
      this.buffered = this.buffered.subarray(eol + 1 + size + 1);
      this.waiting.shift()!.resolve({ oid: parts[0]!, type: parts[1]!, content });
    }
  }

  /** `what` is an object id or `<tree-ish>:<path>`. */
  private request(what: string): Promise<RawObject | undefined> {
    if (this.failed) return Promise.reject(this.failed);
    if (/[\n\r]/.test(what)) return Promise.reject(new Error('object name contains a newline'));
    const answer = new Promise<RawObject | undefined>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.proc.stdin.write(`${what}\n`);
    return answer;
  }

  private async object(what: string): Promise<RawObject> {
    const o = await this.request(what);
    if (!o) throw new Error(`object ${what} not found`);
    return o;
  }

  async commit(oid: string): Promise<CommitObject> {
    let c = this.commits.get(oid);
    if (!c) {
      const o = await this.object(oid);
      if (o.type !== 'commit') throw new Error(`${oid} is a ${o.type}, not a commit`);
      c = parseCommit(o.content);
      this.commits.set(oid, c);
    }
    return c;
  }

  async tree(oid: string): Promise<TreeEntry[]> {
    let t = this.trees.get(oid);
    if (!t) {
      const o = await this.object(oid);
      if (o.type !== 'tree') throw new Error(`${oid} is a ${o.type}, not a tree`);
      t = parseTree(o.content);
      this.trees.set(oid, t);
    }
    return t;
  }

  async subtree(root: string, dir: string): Promise<string | undefined> {
    const clean = dir.split('/').filter(Boolean).join('/');
    if (!clean) return root;
    const o = await this.request(`${root}:${clean}`);
    if (!o || o.type !== 'tree') return undefined;
    this.trees.set(o.oid, parseTree(o.content));
    return o.oid;
  }

  async blob(oid: string): Promise<Uint8Array> {
    const o = await this.object(oid);
    return new Uint8Array(o.content.buffer, o.content.byteOffset, o.content.byteLength);
  }

  files(treeOid: string): Promise<TreeFile[]> {
    return listFiles(this, treeOid);
  }

  close(): void {
    this.proc.stdin.end();
  }
}

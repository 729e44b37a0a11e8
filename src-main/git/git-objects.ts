// Git's object formats, parsed: commits and trees. Shared by both readers.
import type { CommitObject, TreeEntry } from 'isomorphic-git';

/** Parses a raw commit object (headers, blank line, message). */
export function parseCommit(raw: Uint8Array): CommitObject {
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
  const split = text.indexOf('\n\n');
  const headers = split < 0 ? text : text.slice(0, split);
  const message = split < 0 ? '' : text.slice(split + 2);
  const commit: CommitObject = {
    message,
    tree: '',
    parent: [],
    author: { name: '', email: '', timestamp: 0, timezoneOffset: 0 },
    committer: { name: '', email: '', timestamp: 0, timezoneOffset: 0 },
  };
  for (const line of headers.split('\n')) {
    const space = line.indexOf(' ');
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === 'tree') commit.tree = value;
    else if (key === 'parent') commit.parent.push(value);
    else if (key === 'author' || key === 'committer') commit[key] = parsePerson(value);
  }
  return commit;
}

function parsePerson(value: string): CommitObject['author'] {
  const m = /^(.*) <(.*)> (-?\d+) ([+-])(\d{2})(\d{2})$/.exec(value);
  if (!m) return { name: value, email: '', timestamp: 0, timezoneOffset: 0 };
  const offset = (Number(m[5]) * 60 + Number(m[6])) * (m[4] === '-' ? 1 : -1);
  return { name: m[1]!, email: m[2]!, timestamp: Number(m[3]), timezoneOffset: offset };
}

const TYPE_OF_MODE: Record<string, TreeEntry['type']> = { '40000': 'tree', '040000': 'tree', '160000': 'commit' };

/** Parses a raw tree object: `<mode> <name>\0<20-byte id>` repeated. */
export function parseTree(raw: Uint8Array): TreeEntry[] {
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const entries: TreeEntry[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const space = buf.indexOf(0x20, pos);
    const nul = buf.indexOf(0x00, space + 1);
    if (space < 0 || nul < 0 || nul + 21 > buf.length) break;
    const mode = buf.toString('latin1', pos, space);
    entries.push({
      mode: mode === '40000' ? '040000' : mode,
      path: buf.toString('utf8', space + 1, nul),
      oid: buf.toString('hex', nul + 1, nul + 21),
      type: TYPE_OF_MODE[mode] ?? 'blob',
    });
    pos = nul + 21;
  }
  return entries;
}

// Where the service listens: <data home>/service.sock, reachable only by its
// user because the data home is 0700 and the socket 0600 (Node cannot read
// SO_PEERCRED, so the file system is the guard). A Unix socket path holds at
// most 107 bytes (103 on macOS); a data home too deep for that gets a short
// path in a private 0700 directory of this user, recorded in service.json.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PorchlightError } from '../../src-shared/errors.ts';

export const SOCKET_NAME = 'service.sock';

const MAX_SOCKET_PATH = process.platform === 'darwin' ? 103 : 107;

const shortName = (dataHome: string) => createHash('sha256').update(path.resolve(dataHome)).digest('hex').slice(0, 16);

/** The socket (or on Windows the named pipe) for a data home; creates the private directory a fallback path needs. */
export function socketPathFor(dataHome: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (process.platform === 'win32') return `\\\\.\\pipe\\porchlight-${os.userInfo().username}-${shortName(dataHome)}`;
  const inHome = path.join(path.resolve(dataHome), SOCKET_NAME);
  if (Buffer.byteLength(inHome) <= MAX_SOCKET_PATH) return inHome;
  const base = env.XDG_RUNTIME_DIR && path.isAbsolute(env.XDG_RUNTIME_DIR) ? env.XDG_RUNTIME_DIR : os.tmpdir();
  const dir = path.join(base, `porchlight-${process.getuid?.() ?? 'user'}-${shortName(dataHome)}`);
  ensurePrivateDir(dir);
  const short = path.join(dir, 's');
  if (Buffer.byteLength(short) > MAX_SOCKET_PATH)
    throw new PorchlightError(
      'FAILED_PRECONDITION',
      `no socket path short enough for ${dataHome}: ${short} is too long; set XDG_RUNTIME_DIR to a short directory`,
    );
  return short;
}

/** A directory in a shared place (/tmp) is used only if it is ours, not a link, and 0700: another user could have made it first. */
function ensurePrivateDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const st = fs.lstatSync(dir);
  const uid = process.getuid?.();
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid))
    throw new PorchlightError('FAILED_PRECONDITION', `${dir} is not a directory of this user; remove it, or set XDG_RUNTIME_DIR to a private directory`);
  if ((st.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
}

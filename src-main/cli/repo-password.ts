// Where `repo register` takes a Git password from. A password on the command
// line (--repo-basic-password, or in the URL) is readable by every user of the
// machine through `ps` and stays in shell history, so stdin and the
// environment are offered too, and the command line is warned about.
import { invalidArgument } from '../../src-shared/errors.ts';
import type { CliIo } from './cli-context.ts';

export const PASSWORD_ENV = 'PORCHLIGHT_REPO_PASSWORD';

export const PASSWORD_HELP =
  `\nPasswords: prefer --repo-basic-password-stdin (e.g. \`pass show git | porchlight repo register URL --repo-basic-username=me --repo-basic-password-stdin\`) ` +
  `or the ${PASSWORD_ENV} environment variable. --repo-basic-password and a password in the URL are visible to other users (ps) and stay in shell history.\n`;

/** Said on stderr once when the password is on the command line (porchctl says nothing). */
export const PASSWORD_WARNING = `warning: a password on the command line can be read by other users of this machine (ps) and stays in shell history; prefer --repo-basic-password-stdin or ${PASSWORD_ENV}\n`;

export interface PasswordFlags {
  repoBasicUsername?: string;
  repoBasicPassword?: string;
  repoBasicPasswordStdin?: boolean;
}

/** The password to register with, from the one place it was given; warns (once) when that is the command line. */
export async function repoPassword(flags: PasswordFlags, url: string, io: CliIo): Promise<string | undefined> {
  if (flags.repoBasicPassword !== undefined && flags.repoBasicPasswordStdin) {
    throw invalidArgument('give the password once: --repo-basic-password or --repo-basic-password-stdin, not both');
  }
  if (flags.repoBasicPassword !== undefined || passwordInUrl(url)) io.stderr(PASSWORD_WARNING);
  if (flags.repoBasicPassword !== undefined) return flags.repoBasicPassword;
  if (flags.repoBasicPasswordStdin) {
    if (flags.repoBasicUsername === undefined) throw invalidArgument('--repo-basic-password-stdin needs --repo-basic-username');
    // One trailing newline is what `echo` and a terminal add, not part of the password.
    const password = (await (io.stdin ?? readProcessStdin)()).replace(/\r?\n$/, '');
    if (!password)
      throw invalidArgument('--repo-basic-password-stdin: stdin held no password; pipe it in, e.g. `pass show git | porchlight repo register ...`');
    return password;
  }
  return flags.repoBasicUsername !== undefined ? io.env[PASSWORD_ENV] : undefined;
}

function passwordInUrl(url: string): boolean {
  return URL.canParse(url) && new URL(url).password !== '';
}

function readProcessStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

// Runs inside a D-Bus session with GNOME Keyring (credential-key.test.ts
// starts it): stores a Git credential as the service does and prints what
// ended up where, as JSON on stdout.
//   keyring-child.ts <dataHome> <set|get> [password]
import fs from 'node:fs';
import path from 'node:path';
import { CredentialStore } from '../../src-main/service/credential-store.ts';
import { credentialKeyVault } from '../../src-main/service/credential-key.ts';

const [home, op, password] = process.argv.slice(2);
const file = path.join(home!, 'credentials.json');
const store = new CredentialStore(file);
if (op === 'set') await store.set('default/repo-auth', { username: 'alice', password: password! });
const got = await store.get('default/repo-auth');
const vault = await credentialKeyVault(file.replace(/\.json$/, '.key'));
process.stdout.write(
  JSON.stringify({
    password: got?.password,
    where: vault.where,
    keyFile: fs.existsSync(path.join(home!, 'credentials.key')),
    jsonHasPassword: fs.readFileSync(file, 'utf8').includes(password ?? '\u0000never'),
  }),
);

#!/usr/bin/env node
// `npm start`: the desktop app where Electron's binary is present; until the
// window and the browser mode land, the CLI's help and a worked example.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('./porchlight.mjs', import.meta.url));
spawnSync(process.execPath, [cli, '--help'], { stdio: 'inherit' });
console.log(`
Porchlight's window and browser mode are not built yet; the CLI is ready.
A worked example (any Git server reachable over HTTP(S) works):

  npx porchlight repo register https://github.com/nephio-project/catalog.git \\
      --name catalog --directory / --namespace default
  npx porchlight repo get
  npx porchlight rpkg get                       # every package revision, from the cache
  npx porchlight rpkg get --name=basens -o yaml # one package, in Porch's API shape
  npx porchlight repo sync catalog              # pull what changed in Git

Data lives in $PORCHLIGHT_HOME, else $XDG_DATA_HOME/porchlight (~/.local/share/porchlight);
use --db DIR or --db postgres://... to choose the database.
`);

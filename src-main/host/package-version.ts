// The version of this Porchlight, from its package.json: what `--version`
// prints and service.json records, read where it is written rather than copied.
import fs from 'node:fs';

let cached: string | undefined;

export function packageVersion(): string {
  cached ??= (JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cached;
}

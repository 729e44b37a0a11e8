// The modules `load()` offers: those of kpt's starlark function (catalog
// loadlib.go) that need neither files nor network. Anything else fails with
// an error that says why and what is available.
import { starError } from '../errors.ts';
import type { Value } from '../values.ts';
import { base64Module } from './base64.ts';
import { csvModule } from './csv.ts';
import { hashModule } from './hash.ts';
import { jsonModule } from './json.ts';
import { krmfnModule } from './krmfn.ts';
import { mathModule } from './math.ts';
import { reModule } from './re.ts';
import { yamlModule } from './yaml.ts';

const MODULES: Record<string, Record<string, Value>> = {
  'krmfn.star': { krmfn: krmfnModule },
  'encoding/json.star': { json: jsonModule },
  'encoding/yaml.star': { yaml: yamlModule },
  'encoding/base64.star': { base64: base64Module },
  'encoding/csv.star': { csv: csvModule },
  'hash.star': { hash: hashModule },
  'math.star': { math: mathModule },
  're.star': { re: reModule },
};

/** Modules kpt's function has that Porchlight leaves out, and why. */
const UNAVAILABLE: Record<string, string> = {
  'http.star': 'the sandbox has no network access',
  'bsoup.star': 'HTML parsing is not provided in the sandbox',
  'html.star': 'HTML parsing is not provided in the sandbox',
  'geo.star': 'geometry functions are not provided in the sandbox',
  'xlsx.star': 'spreadsheet files are not provided in the sandbox',
  'zipfile.star': 'zip archives are not provided in the sandbox',
  'time.star': 'time functions are not provided (a render must not depend on the clock)',
};

export const AVAILABLE_MODULES = Object.keys(MODULES);

/** The loader kpt's starlark function scripts get: a module's members, or a clear error. */
export function loadModule(module: string): Record<string, Value> {
  const found = MODULES[module];
  if (found) return found;
  const why = UNAVAILABLE[module];
  if (why) throw starError(`cannot load ${module}: ${why}; available: ${AVAILABLE_MODULES.join(', ')}`);
  throw starError(`cannot load ${module}: no such module (scripts cannot read files); available: ${AVAILABLE_MODULES.join(', ')}`);
}

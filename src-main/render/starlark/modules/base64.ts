// encoding/base64.star (starlib): encode/decode with the dialects standard,
// standard_raw, url and url_raw; decoding is strict, like Go's.
import { unpackArgs } from '../args.ts';
import { starError } from '../errors.ts';
import { makeModule, stringArg } from './module-args.ts';

const DIALECTS: Record<string, { url: boolean; pad: boolean }> = {
  standard: { url: false, pad: true },
  standard_raw: { url: false, pad: false },
  url: { url: true, pad: true },
  url_raw: { url: true, pad: false },
};

function dialect(fn: string, v: unknown): { url: boolean; pad: boolean } {
  const name = v === undefined || v === '' ? 'standard' : stringArg(fn, 1, v as string);
  const d = DIALECTS[name];
  if (!d) throw starError(`${fn}: unsupported encoding format: ${name} (use standard, standard_raw, url or url_raw)`);
  return d;
}

export const base64Module = makeModule('base64', {
  encode: (_t, args, kwargs) => {
    const [data, enc] = unpackArgs('base64.encode', args, kwargs, ['data', 'encoding?']);
    const d = dialect('base64.encode', enc);
    let out = Buffer.from(stringArg('base64.encode', 0, data), 'utf8').toString(d.url ? 'base64url' : 'base64');
    if (d.url && d.pad) out += '='.repeat((4 - (out.length % 4)) % 4);
    if (!d.url && !d.pad) out = out.replace(/=+$/, '');
    return out;
  },
  decode: (_t, args, kwargs) => {
    const [data, enc] = unpackArgs('base64.decode', args, kwargs, ['data', 'encoding?']);
    const d = dialect('base64.decode', enc);
    const s = stringArg('base64.decode', 0, data);
    const alphabet = d.url ? /[A-Za-z0-9_-]/ : /[A-Za-z0-9+/]/;
    const body = d.pad ? s.replace(/={1,2}$/, '') : s;
    const bad = [...body].findIndex((c) => !alphabet.test(c));
    if (bad >= 0) throw starError(`base64.decode: illegal base64 data at input byte ${bad}`);
    if ((d.pad && s.length % 4 !== 0) || (!d.pad && s.length % 4 === 1)) {
      throw starError(`base64.decode: illegal base64 data at input byte ${s.length - (s.length % 4)}`);
    }
    return Buffer.from(body, d.url ? 'base64url' : 'base64').toString('utf8');
  },
});

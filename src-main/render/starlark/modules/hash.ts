// hash.star (starlib): md5, sha1 and sha256 of a string, as lowercase hex.
import { createHash } from 'node:crypto';
import { makeModule, positionalArgs, stringArg } from './module-args.ts';
import type { BuiltinFn } from '../values.ts';

function digest(algorithm: 'md5' | 'sha1' | 'sha256'): BuiltinFn {
  return (_t, args, kwargs) => {
    const [s] = positionalArgs(`hash.${algorithm}`, args, kwargs, 1);
    return createHash(algorithm)
      .update(stringArg(`hash.${algorithm}`, 0, s), 'utf8')
      .digest('hex');
  };
}

export const hashModule = makeModule('hash', { md5: digest('md5'), sha1: digest('sha1'), sha256: digest('sha256') });

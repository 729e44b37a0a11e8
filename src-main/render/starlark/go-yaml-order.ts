// The order in which Go's yaml packages (v2 and v3) write map keys: numbers
// by value, then strings in a "natural" order where digit runs compare as
// numbers and letters sort before other characters. kpt's starlark function
// writes new mappings in this order.
import type { Value } from './values.ts';

const isDigit = (c: string) => c >= '0' && c <= '9';
const isLetter = (c: string) => /\p{L}/u.test(c);

/** Go reflect.Kind order for the key types a Starlark dict can hold. */
function kindRank(v: Value): number {
  switch (typeof v) {
    case 'boolean':
      return 1;
    case 'bigint':
      return 2;
    case 'number':
      return 14;
    case 'string':
      return 24;
    default:
      return 0;
  }
}

export function goYamlKeyCompare(a: Value, b: Value): number {
  const an = typeof a === 'bigint' || typeof a === 'number';
  const bn = typeof b === 'bigint' || typeof b === 'number';
  if (an && bn) {
    const x = Number(a);
    const y = Number(b);
    if (x !== y) return x < y ? -1 : 1;
    return kindRank(a) - kindRank(b);
  }
  if (typeof a !== 'string' || typeof b !== 'string') return kindRank(a) - kindRank(b);
  return naturalCompare(a, b);
}

function naturalCompare(a: string, b: string): number {
  const ar = [...a];
  const br = [...b];
  let digits = false;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ac = ar[i]!;
    const bc = br[i]!;
    if (ac === bc) {
      digits = isDigit(ac);
      continue;
    }
    const al = isLetter(ac);
    const bl = isLetter(bc);
    if (al && bl) return ac < bc ? -1 : 1;
    if (al || bl) return (digits ? al : bl) ? -1 : 1;
    let an = 0n;
    let bn = 0n;
    if (ac === '0' || bc === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10n + BigInt(ar[ai]!.charCodeAt(0) - 48);
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10n + BigInt(br[bi]!.charCodeAt(0) - 48);
    if (an !== bn) return an < bn ? -1 : 1;
    if (ai !== bi) return ai < bi ? -1 : 1;
    return ac < bc ? -1 : 1;
  }
  return ar.length - br.length;
}

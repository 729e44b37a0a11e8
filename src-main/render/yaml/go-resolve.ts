// How go-yaml v3 (kyaml's YAML library) types an untagged plain scalar. The
// emitter quotes a string whose plain form would read back as another type,
// and the parser types scalars the way kpt's functions see them.

export type GoTag = 'str' | 'int' | 'float' | 'bool' | 'null' | 'timestamp' | 'merge';

const MAP: Record<string, GoTag> = {
  true: 'bool',
  True: 'bool',
  TRUE: 'bool',
  false: 'bool',
  False: 'bool',
  FALSE: 'bool',
  '': 'null',
  '~': 'null',
  null: 'null',
  Null: 'null',
  NULL: 'null',
  '.nan': 'float',
  '.NaN': 'float',
  '.NAN': 'float',
  '.inf': 'float',
  '.Inf': 'float',
  '.INF': 'float',
  '+.inf': 'float',
  '+.Inf': 'float',
  '+.INF': 'float',
  '-.inf': 'float',
  '-.Inf': 'float',
  '-.INF': 'float',
  '<<': 'merge',
};

const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const GO_FLOAT = /^[-+]?((\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?|inf(inity)?|nan)$/i;
const INT64_MAX = 9223372036854775807n;
const UINT64_MAX = 18446744073709551615n;

/** Go's strconv.ParseInt/ParseUint with base 0 (prefixes 0x, 0o, 0b and a bare leading 0 for octal). */
function goParseInt(s: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const body = m[2]!;
  let v: bigint;
  if (/^0[oO]/.test(body)) v = BigInt(`0o${body.slice(2)}`);
  else if (/^0[0-7]+$/.test(body)) v = BigInt(`0o${body.slice(1)}`);
  else v = BigInt(body);
  if (m[1] === '-') v = -v;
  return v;
}

function inIntRange(v: bigint): boolean {
  return v >= -INT64_MAX - 1n && v <= UINT64_MAX;
}

const TS_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const TS_FULL = /^(\d{4})-(\d{1,2})-(\d{1,2})[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const TS_SPACE = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?$/;

function validDate(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days;
}

function isTimestamp(s: string): boolean {
  const m = TS_FULL.exec(s) ?? TS_SPACE.exec(s) ?? TS_DATE.exec(s);
  if (!m) return false;
  if (!validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59)) return false;
  return true;
}

/** The tag go-yaml gives an untagged plain scalar with this text. */
export function goResolveTag(text: string): GoTag {
  const mapped = Object.prototype.hasOwnProperty.call(MAP, text) ? MAP[text] : undefined;
  const c = text[0];
  if (text === '') return 'null';
  if (c === '.') {
    if (mapped) return mapped;
    return GO_FLOAT.test(text) ? 'float' : 'str';
  }
  if (c === '+' || c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
    if (mapped) return mapped;
    if (isTimestamp(text)) return 'timestamp';
    const plain = text.replace(/_/g, '');
    const i = goParseInt(plain);
    if (i !== undefined && inIntRange(i)) return 'int';
    if (YAML_FLOAT.test(plain)) return 'float';
    const bin = /^(-?)0b([01]+)$/.exec(plain);
    if (bin) return 'int';
    const oct = /^(-?)0o([0-7]+)$/.exec(plain);
    if (oct) return 'int';
    return 'str';
  }
  if (c !== undefined && 'yYnNtTfFoO~'.includes(c)) return mapped ?? 'str';
  return 'str';
}

/** The JavaScript value a plain scalar reads as (timestamps and merge keys stay strings). */
export function goResolveValue(text: string): string | number | boolean | null {
  switch (goResolveTag(text)) {
    case 'null':
      return null;
    case 'bool':
      return text.toLowerCase() === 'true';
    case 'int': {
      const plain = text.replace(/_/g, '');
      const sign = plain.startsWith('-') ? -1 : 1;
      const unsigned = plain.replace(/^[+-]/, '');
      let v: bigint;
      if (/^0[bB]/.test(unsigned)) v = BigInt(`0b${unsigned.slice(2)}`);
      else if (/^0[oO]/.test(unsigned)) v = BigInt(`0o${unsigned.slice(2)}`);
      else if (/^0[0-7]+$/.test(unsigned)) v = BigInt(`0o${unsigned.slice(1)}`);
      else v = BigInt(unsigned);
      return sign * Number(v);
    }
    case 'float': {
      const t = text.replace(/_/g, '').toLowerCase();
      if (t.endsWith('nan')) return Number.NaN;
      if (t.endsWith('inf') || t.endsWith('infinity')) return t.startsWith('-') ? -Infinity : Infinity;
      return Number(t);
    }
    default:
      return text;
  }
}

// encoding/csv.star (starlib): read_all and write_all with the rules of Go's
// encoding/csv (quoted fields, "" escapes, comments, field-count checks).
import { unpackArgs } from '../args.ts';
import { starError } from '../errors.ts';
import { str } from '../repr.ts';
import { toArray } from '../sequence.ts';
import { StarList, truth, typeName, type BuiltinFn, type Value } from '../values.ts';
import { makeModule, stringArg } from './module-args.ts';

interface ReadOptions {
  comma: string;
  comment: string;
  lazyQuotes: boolean;
  trimLeadingSpace: boolean;
}

function oneChar(fn: string, what: string, v: Value | undefined, dflt: string): string {
  if (v === undefined) return dflt;
  const s = stringArg(fn, 1, v);
  if (s === '') return dflt;
  if ([...s].length !== 1) throw starError(`${fn}: expected ${what} param to be a single-character string`);
  return s;
}

/** Parses CSV text into records; `line` numbers in errors are 1-based like Go's. */
export function parseCsv(text: string, o: ReadOptions): string[][] {
  const src = text.replace(/\r\n?/g, '\n');
  const records: string[][] = [];
  let i = 0;
  let line = 1;
  const fail = (msg: string, col: number): never => {
    throw starError(`parse error on line ${line}, column ${col}: ${msg}`);
  };
  while (i < src.length) {
    const lineStart = i;
    if (src[i] === '\n') {
      i++;
      line++;
      continue;
    }
    if (o.comment !== '' && src.startsWith(o.comment, i)) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    const fields: string[] = [];
    for (;;) {
      if (o.trimLeadingSpace) while (src[i] === ' ' || src[i] === '\t') i++;
      let field = '';
      if (src[i] === '"') {
        i++;
        for (;;) {
          if (i >= src.length) {
            if (!o.lazyQuotes) fail('extraneous or missing " in quoted-field', i - lineStart + 1);
            break;
          }
          const c = src[i]!;
          if (c === '"') {
            if (src[i + 1] === '"') {
              field += '"';
              i += 2;
            } else if (i + 1 >= src.length || src[i + 1] === '\n' || src.startsWith(o.comma, i + 1)) {
              i++;
              break;
            } else if (o.lazyQuotes) {
              field += '"';
              i++;
            } else {
              fail('extraneous or missing " in quoted-field', i - lineStart + 2);
            }
          } else {
            if (c === '\n') line++;
            field += c;
            i++;
          }
        }
      } else {
        while (i < src.length && src[i] !== '\n' && !src.startsWith(o.comma, i)) {
          if (src[i] === '"' && !o.lazyQuotes) fail('bare " in non-quoted-field', i - lineStart + 1);
          field += src[i];
          i++;
        }
      }
      fields.push(field);
      if (src.startsWith(o.comma, i)) {
        i += o.comma.length;
        continue;
      }
      break;
    }
    if (src[i] === '\n') i++;
    records.push(fields);
    line++;
  }
  return records;
}

function needsQuotes(field: string, comma: string): boolean {
  if (field === '') return false;
  if (field === '\\.') return true;
  return field.includes(comma) || /["\r\n]/.test(field) || /^\s/u.test(field);
}

const readAll: BuiltinFn = (t, args, kwargs) => {
  const [source, comma, comment, lazy, trim, fpr, skip] = unpackArgs('csv.read_all', args, kwargs, [
    'source',
    'comma?',
    'comment?',
    'lazy_quotes?',
    'trim_leading_space?',
    'fields_per_record?',
    'skip?',
  ]);
  const text = stringArg('csv.read_all', 0, source);
  t.tick(text.length);
  const records = parseCsv(text, {
    comma: oneChar('csv.read_all', 'comma', comma, ','),
    comment: oneChar('csv.read_all', 'comment', comment, ''),
    lazyQuotes: lazy !== undefined && truth(lazy),
    trimLeadingSpace: trim !== undefined && truth(trim),
  });
  const skipN = typeof skip === 'bigint' ? Number(skip) : 0;
  const kept = records.slice(Math.max(0, skipN));
  let want = typeof fpr === 'bigint' ? Number(fpr) : 0;
  kept.forEach((r, i) => {
    if (want === 0) want = r.length;
    if (want > 0 && r.length !== want) throw starError(`csv.read_all: record on line ${i + 1 + skipN}: wrong number of fields`);
  });
  return new StarList(kept.map((r) => new StarList(r)));
};

const writeAll: BuiltinFn = (t, args, kwargs) => {
  const [source, commaV] = unpackArgs('csv.write_all', args, kwargs, ['source', 'comma?']);
  const comma = oneChar('csv.write_all', 'comma', commaV, ',');
  if (!(source instanceof StarList)) throw starError(`csv.write_all: expected value to be an array type, got ${typeName(source ?? null)}`);
  const lines = toArray(t, source).map((row, i) => {
    if (!(row instanceof StarList)) throw starError(`csv.write_all: row ${i} is not an array type`);
    return row.elems
      .map((cell) => {
        const s = typeof cell === 'string' ? cell : cell === null ? '<nil>' : str(cell);
        return needsQuotes(s, comma) ? '"' + s.replace(/"/g, '""') + '"' : s;
      })
      .join(comma);
  });
  return lines.map((l) => l + '\n').join('');
};

export const csvModule = makeModule('csv', { read_all: readAll, write_all: writeAll });

import { describe, expect, it } from 'vitest';
import { formatCustomColumns, formatJson, formatTable, parseCustomColumns } from '../../src-main/cli/printers.ts';
import { parseOutputFormat, render } from '../../src-main/cli/output-format.ts';

describe('kubectl-style printers', () => {
  it('pads each column to the widest cell plus three, at least six, last column bare', () => {
    expect(
      formatTable(
        ['NAME', 'REV'],
        [
          ['a.b.main', '-1'],
          ['a.b.v1', '1'],
        ],
      ),
    ).toBe('NAME       REV\n' + 'a.b.main   -1\n' + 'a.b.v1     1\n');
    expect(formatTable(['A', 'B'], [['x', 'y']])).toBe('A     B\nx     y\n');
  });

  it('evaluates custom columns with filters and prints <none> for what is missing', () => {
    const repo = {
      metadata: { name: 'r' },
      status: {
        conditions: [
          { type: 'Other', status: 'False' },
          { type: 'Ready', status: 'True' },
        ],
      },
      spec: {},
    };
    const cols = parseCustomColumns("NAME:.metadata.name,READY:.status.conditions[?(@.type=='Ready')].status,REV:.spec.revision");
    expect(formatCustomColumns(cols, [repo])).toBe('NAME   READY   REV\nr      True    <none>\n');
    expect(() => parseCustomColumns('NAME')).toThrow(/expected <header>:<json-path-expr>/);
  });

  it('prints each object on its own, keys sorted, as porchctl does', () => {
    expect(formatJson({ b: 1, a: { d: 1, c: 2 } })).toBe('{\n    "a": {\n        "c": 2,\n        "d": 1\n    },\n    "b": 1\n}\n');
    const table = () => ({ header: [], rows: [] });
    expect(render({ kind: 'yaml' }, [{ kind: 'X', items: [1] }, { kind: 'Z' }], table)).toBe('items:\n- 1\nkind: X\n---\nkind: Z\n');
    expect(render({ kind: 'json' }, [{ a: 1 }, { a: 2 }], table)).toBe('{\n    "a": 1\n}\n{\n    "a": 2\n}\n');
    expect(render({ kind: 'json' }, [], table)).toBe('');
    // Go's YAML encoders quote what a YAML 1.1 reader would take for a time, a boolean or a number.
    expect(render({ kind: 'yaml' }, [{ time: '2022-04-16T03:47:51Z', status: 'True', flag: 'on', mode: '0755' }], table)).toBe(
      'flag: "on"\nmode: "0755"\nstatus: "True"\ntime: "2022-04-16T03:47:51Z"\n',
    );
  });

  it('refuses an unknown output format with the allowed ones', () => {
    expect(() => parseOutputFormat('xml')).toThrow(/allowed formats are: custom-columns,json,jsonpath,wide,yaml/);
  });
});

import { describe, expect, it } from 'vitest';
import { formatCustomColumns, formatJson, formatTable, formatYaml, parseCustomColumns, asListOrItem } from '../../src-main/cli/printers.ts';
import { parseOutputFormat } from '../../src-main/cli/output-format.ts';

describe('kubectl-style printers', () => {
  it('pads each column to the widest cell plus three, at least six, last column bare', () => {
    expect(formatTable(['NAME', 'REV'], [['a.b.main', '-1'], ['a.b.v1', '1']])).toBe(
      'NAME       REV\n' + 'a.b.main   -1\n' + 'a.b.v1     1\n',
    );
    expect(formatTable(['A', 'B'], [['x', 'y']])).toBe('A     B\nx     y\n');
  });

  it('evaluates custom columns with filters and prints <none> for what is missing', () => {
    const repo = { metadata: { name: 'r' }, status: { conditions: [{ type: 'Other', status: 'False' }, { type: 'Ready', status: 'True' }] }, spec: {} };
    const cols = parseCustomColumns("NAME:.metadata.name,READY:.status.conditions[?(@.type=='Ready')].status,REV:.spec.revision");
    expect(formatCustomColumns(cols, [repo])).toBe('NAME   READY   REV\nr      True    <none>\n');
    expect(() => parseCustomColumns('NAME')).toThrow(/expected <header>:<json-path-expr>/);
  });

  it('prints one object alone and several as a List, keys sorted', () => {
    expect(formatJson(asListOrItem([{ b: 1, a: { d: 1, c: 2 } }], true))).toBe('{\n    "a": {\n        "c": 2,\n        "d": 1\n    },\n    "b": 1\n}\n');
    expect(formatYaml(asListOrItem([{ kind: 'X' }, { kind: 'Y' }], false))).toBe(
      'apiVersion: v1\nitems:\n- kind: X\n- kind: Y\nkind: List\nmetadata:\n  resourceVersion: ""\n',
    );
  });

  it('refuses an unknown output format with the allowed ones', () => {
    expect(() => parseOutputFormat('xml')).toThrow(/allowed formats are: custom-columns,json,wide,yaml/);
  });
});

// The one check every door runs before a package is proposed or approved,
// and the editor marks with: YAML that parses, KRM basics in each document,
// a well-formed Kptfile; files kpt does not read are left alone.
import { describe, expect, it } from 'vitest';
import { checkPackage, checkPackageBytes, checkPackageFile, packageProblemsMessage } from '../../src-shared/package-check.ts';

const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n';
const KPTFILE = 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: web\n';
const messages = (path: string, text: string) => checkPackageFile(path, text).map((p) => `${p.line}: ${p.message}`);

describe('checkPackageFile', () => {
  it('passes KRM, empty documents, comments, a kind: List, and files that are not KRM', () => {
    expect(
      checkPackage([
        { path: 'Kptfile', text: KPTFILE },
        { path: 'web.yaml', text: `# a comment\n---\n${CONFIG_MAP}---\n` },
        { path: 'list.yml', text: `apiVersion: v1\nkind: List\nitems:\n- ${CONFIG_MAP.replace(/\n(?!$)/g, '\n  ')}` },
        { path: 'README.md', text: 'key: [not yaml' },
        { path: 'sub/Kptfile', text: KPTFILE },
      ]),
    ).toEqual([]);
  });

  it('names the line of YAML that does not parse, and a duplicate key', () => {
    expect(messages('web.yaml', `${CONFIG_MAP}data: [open\n`)).toEqual([expect.stringMatching(/^5: YAML does not parse: /)]);
    expect(messages('web.yaml', `${CONFIG_MAP}metadata: {}\n`)).toEqual([expect.stringMatching(/^5: YAML does not parse: Map keys must be unique/)]);
  });

  it('asks every document for apiVersion, kind and metadata.name', () => {
    expect(messages('web.yaml', `${CONFIG_MAP}---\nkind: Service\n---\n- a list\n`)).toEqual([
      '6: a KRM resource needs apiVersion, metadata.name',
      '8: not a KRM resource: a document must be a mapping with apiVersion, kind and metadata.name',
    ]);
    expect(messages('l.yaml', 'apiVersion: v1\nkind: List\nitems:\n- kind: X\n')).toEqual(['1: items[0]: a KRM resource needs apiVersion, metadata.name']);
  });

  it('wants one Kptfile object of apiVersion kpt.dev/v1, kind Kptfile, with a name', () => {
    expect(messages('Kptfile', 'apiVersion: kpt.dev/v1alpha2\nkind: Kptfile\nmetadata:\n  name: web\n')).toEqual([
      '1: apiVersion must be kpt.dev/v1, not "kpt.dev/v1alpha2"',
    ]);
    expect(messages('a/Kptfile', 'apiVersion: kpt.dev/v1\nkind: KptFile\n')).toEqual([
      '1: kind must be Kptfile, not "KptFile"',
      '1: a Kptfile needs metadata.name',
    ]);
    expect(messages('Kptfile', `${KPTFILE}---\n${KPTFILE}`)).toEqual([
      '1: a Kptfile holds exactly one object (apiVersion kpt.dev/v1, kind Kptfile); this one holds 2',
    ]);
    expect(messages('Kptfile', '')).toEqual(['1: a Kptfile holds exactly one object (apiVersion kpt.dev/v1, kind Kptfile); this one holds 0']);
  });

  it('gives offsets inside the text for the editor', () => {
    const text = `${CONFIG_MAP}---\nkind: Service\n`;
    const [p] = checkPackageFile('web.yaml', text);
    expect(text.slice(p!.from, p!.to)).toBe('kind: Service\n');
  });
});

describe('checkPackageBytes and the message', () => {
  it('takes bytes that are not UTF-8 as a problem, and says each file and what to do', () => {
    const problems = checkPackageBytes([
      { path: 'bin.yaml', content: new Uint8Array([0xff, 0xfe, 0x41]) },
      { path: 'logo.png', content: new Uint8Array([0xff]) },
      { path: 'web.yaml', content: new TextEncoder().encode('kind: X\n') },
    ]);
    expect(packageProblemsMessage('approve', 'bp.web.ws', problems)).toBe(
      'cannot approve bp.web.ws: bin.yaml line 1: not UTF-8 text, so not YAML; web.yaml line 1: a KRM resource needs apiVersion, metadata.name. ' +
        "Fix these files in the draft (in the window's editor, or rpkg pull, edit, rpkg push) and approve again",
    );
  });
});

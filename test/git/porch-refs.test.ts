import { describe, expect, it } from 'vitest';
import { normaliseDirectory, parsePorchRef, relativeToDirectory, revisionFromString } from '../../src-main/git/porch-refs.ts';
import { parseKptAnnotations } from '../../src-main/git/kpt-annotation.ts';
import { remoteVersion } from '../../src-main/git/remote-refs.ts';

describe('Porch ref layout', () => {
  it('parses revisions as Porch does: one leading v, then an integer, else -1', () => {
    expect(['v1', '1', 'v007', 'v-3', 'v0', 'v1.0', 'main', 'vv1'].map(revisionFromString)).toEqual([1, 1, 7, -3, 0, -1, -1, -1]);
  });

  it('sorts refs into branch, tag, draft, proposal and deletion proposal', () => {
    expect(parsePorchRef('refs/heads/nested/release', 'nested/release')).toEqual({ kind: 'branch' });
    expect(parsePorchRef('refs/tags/catalog/gcp/bucket/v1', 'main')).toEqual({ kind: 'tag', path: 'catalog/gcp/bucket', suffix: 'v1' });
    expect(parsePorchRef('refs/tags/v1.2.0', 'main')).toBeUndefined();
    expect(parsePorchRef('refs/heads/drafts/catalog/gcp/spanner/v1', 'main')).toEqual({ kind: 'draft', path: 'catalog/gcp/spanner', workspace: 'v1' });
    expect(parsePorchRef('refs/heads/proposed/basens/ws', 'main')).toEqual({ kind: 'proposed', path: 'basens', workspace: 'ws' });
    expect(parsePorchRef('refs/heads/drafts/nopath', 'main')).toMatchObject({ kind: 'malformed' });
    expect(parsePorchRef('refs/heads/deletionProposed/basens/v2', 'main')).toEqual({ kind: 'deletionProposed', key: 'basens/v2' });
    expect(parsePorchRef('refs/heads/main', 'feature')).toBeUndefined();
  });

  it('applies the registered directory on a path-segment boundary', () => {
    expect(normaliseDirectory('/')).toBe('');
    expect(normaliseDirectory('/catalog/gcp/')).toBe('catalog/gcp');
    expect(relativeToDirectory('blueprint/bp1', 'blueprint')).toBe('bp1');
    expect(relativeToDirectory('blueprint2/bp10', 'blueprint')).toBeUndefined();
    expect(relativeToDirectory('basens', '')).toBe('basens');
  });
});

describe('kpt: annotations', () => {
  it('reads every valid annotation line and skips invalid ones', () => {
    const message = [
      'Approve blueprint/bp1/v3',
      '',
      'kpt:{invalid:annotation}',
      'kpt:{"package":"blueprint/bp1","workspaceName":"v3","revision":"v3"}',
      'kpt:[1,2]',
      'not kpt:{"package":"x"}',
    ].join('\n');
    expect(parseKptAnnotations(message)).toEqual([{ package: 'blueprint/bp1', workspaceName: 'v3', revision: 'v3' }]);
  });
});

describe('remote version', () => {
  it('is the same for the same refs in any order and changes when one moves', () => {
    const a = [
      { ref: 'refs/heads/main', oid: '1' },
      { ref: 'refs/tags/p/v1', oid: '2' },
    ];
    expect(remoteVersion(a)).toBe(remoteVersion([...a].reverse()));
    expect(remoteVersion(a)).not.toBe(remoteVersion([a[0]!, { ref: 'refs/tags/p/v1', oid: '3' }]));
  });
});

describe('raw tree lookup', () => {
  it('finds an entry by exact name, not by a longer or shorter one', async () => {
    const { findTreeEntry } = await import('../../src-main/git/object-reader.ts');
    const entry = (mode: string, name: string, byte: number) => Buffer.concat([Buffer.from(`${mode} ${name}\0`), Buffer.alloc(20, byte)]);
    const tree = Buffer.concat([entry('40000', 'basens-extra', 1), entry('100644', 'basen', 2), entry('40000', 'basens', 3)]);
    expect(findTreeEntry(tree, 'basens')).toEqual({ mode: '40000', oid: '03'.repeat(20) });
    expect(findTreeEntry(tree, 'basen')).toEqual({ mode: '100644', oid: '02'.repeat(20) });
    expect(findTreeEntry(tree, 'base')).toBeUndefined();
  });
});

// Selectors, patches and continue tokens on their own: the parsing rules and
// refusals the API server has, RFC 7386 and RFC 6902 semantics.
import { describe, expect, it } from 'vitest';
import { isPorchlightError } from '../../../src-shared/errors.ts';
import { decodeContinue, encodeContinue, pageInMemory } from '../../../src-main/host/kube/paging.ts';
import { applyPatch, jsonPatch, mergePatch } from '../../../src-main/host/kube/patch.ts';
import { fieldValue, matchesLabels, parseFieldSelector, parseLabelSelector } from '../../../src-main/host/kube/selectors.ts';
import { statusOf } from '../../../src-main/host/kube/status.ts';

const statusOfCall = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(isPorchlightError(e)).toBe(true);
    return statusOf(e);
  }
  throw new Error('expected a refusal');
};

describe('field selectors', () => {
  const any = () => true;
  it('reads terms, = and ==, and escaped commas', () => {
    expect(parseFieldSelector('spec.revision=1,spec.packageName==a\\,b', any)).toEqual([
      { field: 'spec.revision', value: '1' },
      { field: 'spec.packageName', value: 'a,b' },
    ]);
    expect(parseFieldSelector(null, any)).toEqual([]);
  });

  it("refuses != , empty values and unknown fields with Porch's messages", () => {
    expect(statusOfCall(() => parseFieldSelector('spec.revision!=1', any))).toMatchObject({
      code: 400,
      message: 'unsupported fieldSelector operator "!=" for field "spec.revision"',
    });
    expect(statusOfCall(() => parseFieldSelector('spec.revision=', any)).message).toContain('unsupported fieldSelector value ""');
    expect(statusOfCall(() => parseFieldSelector('spec.x=1', (f) => f !== 'spec.x')).message).toBe('unknown fieldSelector field "spec.x"');
  });

  it('reads map entries and nested fields of an object', () => {
    const o = { spec: { packageMetadata: { labels: { 'a.b/c': 'd' } }, revision: 3 } };
    expect(fieldValue(o, 'spec.packageMetadata.labels[a.b/c]')).toBe('d');
    expect(fieldValue(o, 'spec.revision')).toBe('3');
    expect(fieldValue(o, 'spec.nothing.deeper')).toBeUndefined();
  });
});

describe('label selectors', () => {
  it('matches equality, sets and existence', () => {
    const labels = { tier: 'web', env: 'prod' };
    const m = (s: string) => matchesLabels(parseLabelSelector(s), labels);
    expect(m('tier=web')).toBe(true);
    expect(m('tier==web,env!=dev')).toBe(true);
    expect(m('env in (prod, staging)')).toBe(true);
    expect(m('env notin (prod)')).toBe(false);
    expect(m('tier,!missing')).toBe(true);
    expect(m('missing')).toBe(false);
    expect(matchesLabels(parseLabelSelector('x notin (a)'), undefined)).toBe(true);
  });

  it('refuses what it cannot parse', () => {
    expect(statusOfCall(() => parseLabelSelector('a in (')).code).toBe(400);
    expect(statusOfCall(() => parseLabelSelector('bad key!=x=y')).code).toBe(400);
    expect(statusOfCall(() => parseLabelSelector('a=b c')).code).toBe(400);
  });
});

describe('patches', () => {
  it('merge patch: RFC 7386 examples', () => {
    expect(mergePatch({ a: 'b' }, { a: 'c' })).toEqual({ a: 'c' });
    expect(mergePatch({ a: 'b' }, { b: 'c' })).toEqual({ a: 'b', b: 'c' });
    expect(mergePatch({ a: 'b' }, { a: null })).toEqual({});
    expect(mergePatch({ a: [{ b: 'c' }] }, { a: [1] })).toEqual({ a: [1] });
    expect(mergePatch({ a: { b: 'c' } }, { a: { b: 'd', c: null } })).toEqual({ a: { b: 'd' } });
    expect(mergePatch(['a'], { a: 'b' })).toEqual({ a: 'b' });
  });

  it('JSON patch: add, remove, replace, move, copy, test; failures are 422 and leave the input alone', () => {
    const doc = { spec: { tasks: [{ type: 'init' }], lifecycle: 'Draft' } };
    expect(
      jsonPatch(doc, [
        { op: 'replace', path: '/spec/lifecycle', value: 'Proposed' },
        { op: 'add', path: '/spec/tasks/-', value: { type: 'edit' } },
        { op: 'copy', from: '/spec/lifecycle', path: '/spec/was' },
        { op: 'move', from: '/spec/was', path: '/spec/moved' },
        { op: 'remove', path: '/spec/tasks/0' },
        { op: 'test', path: '/spec/moved', value: 'Proposed' },
        { op: 'add', path: '/metadata~1x', value: 1 },
      ]),
    ).toEqual({ spec: { tasks: [{ type: 'edit' }], lifecycle: 'Proposed', moved: 'Proposed' }, 'metadata/x': 1 });
    expect(doc.spec.lifecycle).toBe('Draft');
    expect(statusOfCall(() => jsonPatch(doc, [{ op: 'test', path: '/spec/lifecycle', value: 'x' }])).code).toBe(422);
    expect(statusOfCall(() => jsonPatch(doc, [{ op: 'replace', path: '/spec/nothing', value: 1 }])).code).toBe(422);
    expect(statusOfCall(() => jsonPatch(doc, [{ op: 'bogus', path: '/a' }])).code).toBe(400);
    expect(statusOfCall(() => jsonPatch(doc, { op: 'add' })).code).toBe(400);
  });

  it('strategic merge patch drops directive keys and refuses $patch: delete', () => {
    expect(applyPatch('strategic', { data: { a: '1' } }, { data: { b: '2' }, '$setElementOrder/x': [] })).toEqual({ data: { a: '1', b: '2' } });
    expect(statusOfCall(() => applyPatch('strategic', {}, { metadata: { $patch: 'delete' } })).code).toBe(400);
  });
});

describe('continue tokens', () => {
  it('round-trip, and garbage is a 400', () => {
    expect(decodeContinue(encodeContinue({ namespace: 'team', after: 'a.b' }))).toEqual({ namespace: 'team', after: 'a.b' });
    expect(decodeContinue(undefined)).toBeUndefined();
    for (const bad of ['x', Buffer.from('{"v":2}').toString('base64url'), Buffer.from('{"v":1,"after":3}').toString('base64url')]) {
      expect(statusOfCall(() => decodeContinue(bad))).toMatchObject({ code: 400, reason: 'BadRequest' });
    }
  });

  it('pages a held list in namespace/name order', () => {
    const items = ['b', 'a', 'd', 'c'].map((name) => ({ metadata: { namespace: 'n', name } }));
    const first = pageInMemory(items, 3, undefined);
    expect(first.items.map((i) => i.metadata.name)).toEqual(['a', 'b', 'c']);
    const second = pageInMemory(items, 3, decodeContinue(first.continueToken));
    expect(second).toEqual({ items: [{ metadata: { namespace: 'n', name: 'd' } }] });
  });
});

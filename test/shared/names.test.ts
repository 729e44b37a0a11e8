import { describe, expect, it } from 'vitest';
import { assertDns1123Label, isDns1123Label, packageRevisionName } from '../../src-shared/names.ts';
import { parseKptfile } from '../../src-main/cache/kptfile.ts';

describe('names', () => {
  it('accepts DNS-1123 labels only', () => {
    expect(['basens', 'a-1', '0x'].every(isDns1123Label)).toBe(true);
    expect(['Basens', '-a', 'a-', 'a.b', 'a_b', '', 'x'.repeat(64)].some(isDns1123Label)).toBe(false);
    expect(() => assertDns1123Label('workspace', 'My_WS')).toThrow(/invalid workspace "My_WS": a lowercase RFC 1123 label/);
  });

  it("joins Porch's revision names with dots, the workspace verbatim", () => {
    expect(packageRevisionName('nested', 'catalog/gcp/bucket', 'v1')).toBe('nested.catalog.gcp.bucket.v1');
    expect(packageRevisionName('simple', 'basens', 'nested/release')).toBe('simple.basens.nested/release');
  });
});

describe('Kptfile summary', () => {
  it('extracts readiness gates, conditions, upstream lock and package metadata', () => {
    const k = parseKptfile(
      Buffer.from(`apiVersion: kpt.dev/v1
kind: Kptfile
metadata:
  name: unready
  labels: {team: blue}
info:
  readinessGates:
  - conditionType: nephio.org.Specializer.specialize
upstreamLock:
  type: git
  git: {repo: http://x/r.git, directory: basens, ref: basens/v1, commit: abc}
status:
  conditions:
  - type: nephio.org.Specializer.specialize
    status: "False"
    reason: Ready
`),
    );
    expect(k.readinessGates).toEqual([{ conditionType: 'nephio.org.Specializer.specialize' }]);
    expect(k.conditions).toEqual([{ type: 'nephio.org.Specializer.specialize', status: 'False', reason: 'Ready' }]);
    expect(k.upstreamLock).toEqual({ type: 'git', git: { repo: 'http://x/r.git', directory: 'basens', ref: 'basens/v1', commit: 'abc' } });
    expect(k.packageMetadata).toEqual({ labels: { team: 'blue' } });
  });

  it('keeps a broken or hostile Kptfile as unreadable instead of failing', () => {
    expect(parseKptfile(Buffer.from('a: [unclosed')).error).toMatch(/not valid YAML/);
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 9 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
      ),
    ].join('\n');
    const started = Date.now();
    expect(parseKptfile(Buffer.from(bomb)).error).toBeDefined();
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('package revision uid', () => {
  it("is Porch's: the same uid for the same namespace and name (checked against Porch's e2e)", async () => {
    const { packageRevisionUid } = await import('../../src-main/cache/revision-store.ts');
    expect(packageRevisionUid('rpkg-init', 'git.init-package.init-1')).toBe('45ee0692-730a-51b2-9a1d-ad4f4ad55dc8');
    expect(packageRevisionUid('other', 'git.init-package.init-1')).not.toBe('45ee0692-730a-51b2-9a1d-ad4f4ad55dc8');
  });
});

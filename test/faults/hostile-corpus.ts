// Hostile and broken requests (issue 7), each with what must come back: a
// clear error naming what was wrong, or a safe result. The test runs every
// case against a live draft and checks afterwards that the draft is exactly
// as it was (a refused request changes nothing), that each case answered in
// bounded time, and that the tables are all still there.
import type { TestService } from '../support/service.ts';

export interface HostileCase {
  name: string;
  /** Runs the request against the draft `draft` (its current resourceVersion in `version`). */
  run: (service: TestService, draft: { name: string; version: string }) => Promise<unknown>;
  /** A refusal: the error's code and a part of its message. */
  refused?: { code: string; message: RegExp };
  /** Accepted: a check of the result, or of what the database then holds. */
  safe?: (service: TestService, draft: { name: string }, result: unknown) => Promise<void>;
  /** Accepted requests change the draft; refused ones must not. */
  changesDraft?: boolean;
}

const file = (path: string, content: string | Uint8Array = 'kind: ConfigMap\n') => ({
  path,
  content: typeof content === 'string' ? Buffer.from(content) : content,
});
const patch = (path: string, content?: string | Uint8Array) => (s: TestService, d: { name: string; version: string }) =>
  s.updateResources({ name: d.name, resourceVersion: d.version, mode: 'patch', files: [file(path, content)] });

/** "Billion laughs": nine levels of ten aliases, 10^9 strings if expanded. */
export const YAML_BOMB = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata: {name: bomb}',
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
  'data: {x: *i}',
  '',
].join('\n');

const PATH_CASES: [string, RegExp][] = [
  ['../escape.yaml', /must stay inside the package/],
  ['a/../../escape.yaml', /must stay inside the package/],
  ['./a.yaml', /must stay inside the package/],
  ['a//b.yaml', /must stay inside the package/],
  ['/etc/passwd', /absolute paths/],
  ['C:/Windows/win.ini', /absolute paths/],
  ['a\\..\\..\\b.yaml', /backslashes/],
  ['x\u0000y.yaml', /control characters/],
  ['line\nbreak.yaml', /control characters/],
  ['.git/config', /"\.git" is not a package file/],
  ['sub/.GIT/hooks/post-checkout', /"\.git" is not a package file/],
  ['', /the path is empty/],
];

export const HOSTILE_CASES: HostileCase[] = [
  ...PATH_CASES.map(([path, message]) => ({
    name: `file path ${JSON.stringify(path)}`,
    run: patch(path),
    refused: { code: 'INVALID_ARGUMENT', message },
  })),
  {
    name: 'removing a file outside the package',
    run: (s, d) => s.updateResources({ name: d.name, resourceVersion: d.version, mode: 'patch', files: [], remove: ['../../Kptfile'] }),
    refused: { code: 'INVALID_ARGUMENT', message: /must stay inside the package|not in the package|\.\./ },
  },
  {
    name: 'a stale resourceVersion (another window saved first)',
    run: (s, d) => s.updateResources({ name: d.name, resourceVersion: String(Number(d.version) - 1), mode: 'patch', files: [file('late.yaml')] }),
    refused: { code: 'CONFLICT', message: /modified|resourceVersion|changed/i },
  },
  {
    name: 'a package name with SQL in it',
    run: (s) => s.initPackage({ repository: 'simple', name: "x'); DROP TABLE package_revisions; --", workspace: 'one' }),
    refused: { code: 'INVALID_ARGUMENT', message: /DNS-1123/ },
  },
  {
    name: 'a workspace that is not a DNS label',
    run: (s) => s.initPackage({ repository: 'simple', name: 'fine', workspace: 'Not_A_Label' }),
    refused: { code: 'INVALID_ARGUMENT', message: /workspace/i },
  },
  {
    name: 'a repository name with SQL in it',
    run: (s) => s.getRepository({ name: "simple' OR '1'='1" }),
    refused: { code: 'NOT_FOUND', message: /not found/ },
  },
  {
    name: 'a revision name with SQL and LIKE wildcards',
    run: (s) => s.getPackageRevision({ name: "simple.%'; DELETE FROM resources; --" }),
    refused: { code: 'NOT_FOUND', message: /not found/ },
  },
  {
    name: 'a search with LIKE wildcards and quotes',
    run: (s) => s.pageRevisionSummaries({ search: '%_\'\\"; DROP TABLE x' }),
    safe: async (_s, _d, result) => {
      if ((result as { items: unknown[] }).items.length !== 0) throw new Error('wildcards must be taken literally: nothing matches');
    },
  },
  {
    name: 'a description with SQL metacharacters, stored verbatim',
    run: (s) => s.initPackage({ repository: 'simple', name: 'quoted', workspace: 'one', description: 'it\'s "quoted"; DROP TABLE repositories; -- \\ $1 %s' }),
    safe: async (s) => {
      const { resources } = await s.readResources({ name: 'simple.quoted.one' });
      const kptfile = Buffer.from(resources.find((r) => r.path === 'Kptfile')!.content).toString();
      if (!kptfile.includes('DROP TABLE repositories')) throw new Error(`description not stored verbatim: ${kptfile}`);
    },
  },
  {
    name: 'a YAML bomb in a resource (saved, never expanded)',
    run: patch('bomb.yaml', YAML_BOMB),
    changesDraft: true,
    safe: async (s, d) => {
      const { resources } = await s.readResources({ name: d.name });
      if (Buffer.from(resources.find((r) => r.path === 'bomb.yaml')!.content).toString() !== YAML_BOMB) throw new Error('bomb not stored as written');
    },
  },
  {
    name: 'a YAML bomb as the Kptfile',
    run: patch('Kptfile', YAML_BOMB.replace('apiVersion: v1\nkind: ConfigMap', 'apiVersion: kpt.dev/v1\nkind: Kptfile')),
    changesDraft: true,
  },
  {
    name: 'a Kptfile that is not YAML',
    run: patch('Kptfile', '{{{ this: is: not yaml ]]]\n\t- tabs\n'),
    changesDraft: true,
  },
  {
    name: 'a Kptfile with wrong types',
    run: patch('Kptfile', 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata: 7\ninfo: [1, 2]\npipeline: "mutators"\nupstream: {type: 12}\n'),
    changesDraft: true,
  },
  {
    name: 'a binary file, every byte value, round trip',
    run: patch('blob.bin', new Uint8Array([...Array(256).keys(), ...Array(256).keys()].reverse())),
    changesDraft: true,
    safe: async (s, d) => {
      const { resources } = await s.readResources({ name: d.name });
      const got = Buffer.from(resources.find((r) => r.path === 'blob.bin')!.content);
      const want = Buffer.from(new Uint8Array([...Array(256).keys(), ...Array(256).keys()].reverse()));
      if (!got.equals(want)) throw new Error('binary content changed');
    },
  },
  {
    name: 'a file that is not UTF-8 text (Latin-1 bytes), round trip',
    run: patch('latin1.yaml', new Uint8Array(Buffer.from('name: caf\xe9\n', 'latin1'))),
    changesDraft: true,
    safe: async (s, d) => {
      const { resources } = await s.readResources({ name: d.name });
      const got = Buffer.from(resources.find((r) => r.path === 'latin1.yaml')!.content);
      if (!got.equals(Buffer.from('name: caf\xe9\n', 'latin1'))) throw new Error('bytes changed');
    },
  },
  {
    name: 'a file name with a lone UTF-16 surrogate (not encodable as UTF-8)',
    run: patch('bad\ud800name.yaml'),
    refused: { code: 'INVALID_ARGUMENT', message: /UTF-8|surrogate|encod/i },
  },
  {
    name: 'a 50 MB file (over the 16 MB a package file may have)',
    run: patch('big.bin', new Uint8Array(50 * 1024 * 1024).fill(0x61)),
    refused: { code: 'INVALID_ARGUMENT', message: /file "big\.bin" is 50(\.0)? MiB: package files are limited to 16(\.0)? MiB/ },
  },
  {
    name: 'a 2 MB file, round trip',
    run: patch(
      'two.bin',
      new Uint8Array(2 * 1024 * 1024).map((_, i) => i % 251),
    ),
    changesDraft: true,
    safe: async (s, d) => {
      const { resources } = await s.readResources({ name: d.name });
      const got = resources.find((r) => r.path === 'two.bin')!.content;
      if (got.length !== 2 * 1024 * 1024 || got.some((b, i) => b !== i % 251)) throw new Error('2 MB file not read back whole');
    },
  },
];

// Native git and Porchlight writing the same local repository at once: a loop
// of `git commit` on another branch (with a `git pack-refs --all` now and then,
// as `git gc` does) while Porchlight publishes 50 revisions onto main. Every
// native commit and every published tag must be there afterwards, and
// `git fsck` must be clean: Git's ref locking, not luck, keeps them apart.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestService, type TestService } from '../support/service.ts';
import { git, listRefs } from '../support/fixtures.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';

const REVISIONS = 50;

// Commits until the stop file appears; prints the number of each commit that landed.
const NATIVE_LOOP = `
i=0
while [ ! -e "$STOP" ]; do
  i=$((i+1))
  echo "$i" >> native.txt
  git add native.txt
  if git -c user.name=Native -c user.email=native@example.com commit -q -m "native $i"; then echo "$i"; else git reset -q; fi
  if [ $((i % 7)) -eq 0 ]; then git pack-refs --all 2>/dev/null || true; fi
done
`;

describe.each(testEngines().slice(0, 1))('native git commits while Porchlight publishes, on $kind', (engine) => {
  useTestEngine(engine);
  let work: string;
  let repo: string;
  let service: TestService;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-concurrent-'));
    repo = path.join(work, 'team');
    await git(work, ['init', '-q', '-b', 'main', repo]);
    await git(repo, ['-c', 'user.name=Native', '-c', 'user.email=native@example.com', 'commit', '-q', '--allow-empty', '-m', 'start']);
    // The user works on a feature branch; Porchlight publishes to main, which is not checked out.
    await git(repo, ['checkout', '-q', '-b', 'feature']);
    service = openTestService({ db: await engine.open(), dataHome: path.join(work, 'home') });
    const { warnings } = await service.registerRepository({ url: repo, name: 'team', deployment: true });
    expect(warnings).toEqual([]);
  });
  afterAll(async () => {
    await service?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('loses no ref and no commit, and fsck is clean', async () => {
    const stop = path.join(work, 'stop');
    const loop = spawn('bash', ['-c', NATIVE_LOOP], {
      cwd: repo,
      env: { ...process.env, STOP: stop, GIT_TERMINAL_PROMPT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    loop.stdout.on('data', (c: Buffer) => (out += String(c)));
    loop.stderr.on('data', () => {});
    const exited = new Promise<void>((resolve) => loop.on('exit', () => resolve()));

    const published: string[] = [];
    try {
      for (let i = 1; i <= REVISIONS; i++) {
        const rev = await service.initPackage({ repository: 'team', name: `app-${i}`, workspace: 'v1' });
        await service.changeLifecycle({ name: rev.metadata.name, verb: 'propose' });
        expect(await service.changeLifecycle({ name: rev.metadata.name, verb: 'approve' })).toBe('approved');
        published.push(`app-${i}`);
      }
    } finally {
      fs.writeFileSync(stop, '');
      await exited;
    }

    const landed = out.trim().split('\n').filter(Boolean).map(Number);
    // The loop really ran alongside: many native commits landed while publishing.
    expect(landed.length).toBeGreaterThan(10);
    const refs = await listRefs(repo);
    for (const pkg of published) expect(refs.has(`refs/tags/${pkg}/v1`), pkg).toBe(true);
    // Every tag is on main's history: no approval was overwritten by another.
    const mainHistory = new Set((await git(repo, ['rev-list', 'main'])).trim().split('\n'));
    for (const pkg of published) expect(mainHistory.has(refs.get(`refs/tags/${pkg}/v1`)!), pkg).toBe(true);
    // Every native commit that git reported as made is on the feature branch.
    const subjects = new Set((await git(repo, ['log', '--format=%s', 'feature'])).trim().split('\n'));
    for (const n of landed) expect(subjects.has(`native ${n}`), `native ${n}`).toBe(true);
    expect(await git(repo, ['fsck', '--strict', '--no-dangling'])).toBe('');
    // No lock or temporary file left behind.
    const leftovers = (await git(repo, ['ls-files', '--others', '--exclude-standard', '--', '.'])).trim();
    expect(leftovers).toBe('');
    const stray = (await git(repo, ['count-objects', '-v'])).match(/^garbage: (\d+)/m)?.[1];
    expect(stray).toBe('0');
    const locks = (await git(work, ['-C', repo, 'rev-parse', '--git-dir'])).trim();
    const findLocks = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? findLocks(path.join(dir, e.name)) : e.name.endsWith('.lock') ? [e.name] : []));
    expect(findLocks(path.resolve(repo, locks))).toEqual([]);
    // And the cache agrees with Git: every published revision is listed.
    const listed = (await service.listPackageRevisions({})).filter((r) => r.spec.revision === 1).map((r) => r.spec.packageName);
    expect(listed.sort()).toEqual([...published].sort());
  }, 300_000);
});

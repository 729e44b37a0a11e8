// The one package-path check: every spelling of ".git" that Git's own fsck
// calls hasDotgit is refused, and the look-alikes Git allows are kept. Native
// git decides each name too, so the two cannot drift apart.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDotGit, packageFilePathProblem } from '../../src-shared/package-files.ts';

const DOT_GIT = [
  '.git',
  '.GIT',
  '.Git',
  // NTFS: trailing dots and spaces are dropped, streams name the directory itself, 8.3 short names.
  '.git.',
  '.git ',
  '.git. .',
  '.git::$INDEX_ALLOCATION',
  '.git:stream',
  'git~1',
  'GIT~1',
  'GIT~1.',
  'git~1 ',
  // HFS+: code points it ignores, anywhere in the name.
  '.g\u200cit',
  '.git\u200c',
  '\ufeff.git',
  '.\u200dG\u200eI\u200ft',
  '.gi\u202at',
  '.git\u206f',
];

const LOOK_ALIKES = [
  '.gitignore',
  '.github',
  '.gitkeep',
  '.gitmodules',
  '.git-x',
  '.git x',
  'x.git',
  ' .git',
  'git~2',
  'git~1x',
  // Not ignored by HFS+ (U+200B), or ignored but then ".git." (HFS+ keeps the dot).
  '.g\u200bit',
  '.g\u200cit.',
  // A letter that only looks like "g".
  '.\u0147it',
];

describe('packageFilePathProblem', () => {
  it('refuses ".git" in every spelling Windows or macOS reads as ".git", at any depth', () => {
    for (const name of DOT_GIT) {
      expect(isDotGit(name), JSON.stringify(name)).toBe(true);
      for (const p of [name, `${name}/config`, `sub/${name}/hooks/pre-commit`, `sub/${name}`]) {
        expect(packageFilePathProblem(p), JSON.stringify(p)).toMatch(/^".git" is not a package file: .*Git's own directory/);
      }
    }
  });

  it('keeps the names that only look like ".git", as Git does', () => {
    for (const name of LOOK_ALIKES) {
      expect(isDotGit(name), JSON.stringify(name)).toBe(false);
      expect(packageFilePathProblem(`sub/${name}/a.yaml`), JSON.stringify(name)).toBeUndefined();
    }
    for (const p of ['Kptfile', '.KptRevisionMetadata', '.github/workflows/ci.yaml', 'a..b.yaml', 'dir.with.dots/x'])
      expect(packageFilePathProblem(p), p).toBeUndefined();
  });

  it('refuses paths out of the package, and names Windows reads as "." or ".."', () => {
    for (const p of ['', '/etc/passwd', 'C:/x', 'C:x', '../x.yaml', 'a/../../x', './x', 'a//b', 'a/', '...', 'a/.. /x', 'a\\b', 'a\u0000b', 'a\nb']) {
      expect(packageFilePathProblem(p), JSON.stringify(p)).toBeDefined();
    }
  });

  it('agrees with git fsck on every name above', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-dotgit-'));
    try {
      const git = (args: string[], input?: string) => execFileSync('git', args, { cwd: dir, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
      git(['init', '-q', '--bare', '.']);
      const blob = git(['hash-object', '-w', '--stdin'], 'x\n').trim();
      const treeOf = new Map<string, string>();
      for (const name of [...DOT_GIT, ...LOOK_ALIKES]) treeOf.set(git(['mktree'], `100644 blob ${blob}\t${name}\n`).trim(), name);
      // fsck reports hasDotgit as a warning (an error with --strict), on stderr either way.
      const report = spawnSync('git', ['fsck', '--no-dangling'], { cwd: dir, encoding: 'utf8' }).stderr;
      const flagged = new Set([...report.matchAll(/in tree ([0-9a-f]{40}): hasDotgit/g)].map((m) => treeOf.get(m[1]!)));
      expect([...flagged].sort()).toEqual([...DOT_GIT].sort());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Ref names as `git check-ref-format` decides them: native git judges every
// sample too, so the check cannot drift from Git's rules. A push refuses one
// before it reaches the (real) server.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src-main/git/http-client.ts';
import { pushRefs, ZERO_OID } from '../../src-main/git/push.ts';
import { assertRefName, refNameProblem, validRefs } from '../../src-main/git/ref-names.ts';
import { createEmptyRepo } from '../support/fixtures.ts';
import { startGitServer } from '../support/git-server.ts';

const GOOD = [
  'refs/heads/main',
  'refs/tags/pkg/v1',
  'refs/tags/catalog/gcp/bucket/v12',
  'refs/heads/drafts/app/ws-1',
  'refs/tags/прил/v1',
  'refs/tags/a.b/v1',
  'refs/tags/x@y',
  'refs/heads/a-lock',
  'refs/tags/v1.2',
];

const BAD = [
  'refs/tags/../../../../tmp/x/pkg/v1',
  'refs/tags/a..b',
  'refs/tags/.hidden/v1',
  'refs/tags/pkg/.v1',
  'refs/heads/main.lock',
  'refs/tags/x.lock/v1',
  'refs/heads/drafts/app/',
  'refs/heads//x',
  '/refs/heads/x',
  'refs/tags/v1.',
  'refs/tags/a b',
  'refs/tags/a\tb',
  'refs/tags/a\u007fb',
  'refs/tags/a~1',
  'refs/tags/a^',
  'refs/tags/a:b',
  'refs/tags/a?',
  'refs/tags/a*',
  'refs/tags/a[b',
  'refs/tags/a\\b',
  'refs/tags/a@{1}',
  '@',
  '',
];

function gitAccepts(name: string): boolean {
  try {
    execFileSync('git', ['check-ref-format', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('refNameProblem', () => {
  it('accepts what git check-ref-format accepts and refuses the rest, saying why', () => {
    for (const name of GOOD) {
      expect(refNameProblem(name), JSON.stringify(name)).toBeUndefined();
      expect(gitAccepts(name), `git on ${JSON.stringify(name)}`).toBe(true);
    }
    for (const name of BAD) {
      expect(refNameProblem(name), JSON.stringify(name)).toMatch(/\w/);
      expect(gitAccepts(name), `git on ${JSON.stringify(name)}`).toBe(false);
    }
  });

  it('leaves refused refs out of a listing and reports them once', () => {
    const heard: string[][] = [];
    const kept = validRefs([{ ref: 'refs/heads/main' }, { ref: 'refs/tags/../../x/v1' }, { ref: 'refs/tags/a.lock' }], (names) => heard.push(names));
    expect(kept).toEqual([{ ref: 'refs/heads/main' }]);
    expect(heard).toEqual([['refs/tags/../../x/v1', 'refs/tags/a.lock']]);
  });

  it('refuses to write a ref Git would refuse, naming it', () => {
    expect(() => assertRefName('refs/tags/../../x/v1', 'file:///repo')).toThrow(
      expect.objectContaining({ code: 'FAILED_PRECONDITION', message: expect.stringMatching(/refs\/tags\/\.\.\/\.\.\/x\/v1.*contains "\.\."/) }),
    );
  });
});

describe('pushRefs', () => {
  it('refuses a ref Git would refuse before it sends anything', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-push-refname-'));
    const server = await startGitServer({ root });
    try {
      const repo = await createEmptyRepo('target', root);
      const update = { ref: 'refs/tags/../../outside/v1', old: ZERO_OID, oid: 'a'.repeat(40) };
      await expect(pushRefs(repo, server.baseUrl('target'), [update], { http: createHttpClient(), objects: [] })).rejects.toMatchObject({
        code: 'FAILED_PRECONDITION',
        message: expect.stringMatching(/refs\/tags\/\.\.\/\.\.\/outside\/v1.*not a valid Git ref name/),
      });
      expect(server.requestCount()).toBe(0);
    } finally {
      await server.stop();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

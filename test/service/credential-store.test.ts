// The credential store seals every entry (AES-256-GCM, random key in its own
// 0600 file), reads the clear-text files of version 1 and seals them on the
// next write, and says what to do when the key is gone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredentialStore } from '../../src-main/service/credential-store.ts';

describe('credential store', () => {
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-creds-'));

  it('round-trips credentials without writing them in the clear', async () => {
    const home = dir();
    const store = new CredentialStore(path.join(home, 'credentials.json'));
    await store.set('default/git-auth', { username: 'nephio', password: 's3cret-pass' });
    expect(await store.get('default/git-auth')).toEqual({ username: 'nephio', password: 's3cret-pass' });
    const text = fs.readFileSync(path.join(home, 'credentials.json'), 'utf8');
    expect(text).not.toContain('s3cret-pass');
    expect(text).not.toContain('nephio');
    await store.delete('default/git-auth');
    expect(await store.get('default/git-auth')).toBeUndefined();
  });

  it('reads a clear-text file of the first version and seals it on the next write', async () => {
    const home = dir();
    const file = path.join(home, 'credentials.json');
    fs.writeFileSync(file, JSON.stringify({ 'ns/old-auth': { username: 'u', password: 'old-pass' } }), { mode: 0o600 });
    const store = new CredentialStore(file);
    expect(await store.get('ns/old-auth')).toEqual({ username: 'u', password: 'old-pass' });
    await store.set('ns/new-auth', { username: 'v', password: 'new-pass' });
    expect(fs.readFileSync(file, 'utf8')).not.toContain('old-pass');
    expect(await store.get('ns/old-auth')).toEqual({ username: 'u', password: 'old-pass' });
  });

  it('says what to do when the key is missing', async () => {
    const home = dir();
    const store = new CredentialStore(path.join(home, 'credentials.json'));
    await store.set('a', { username: 'u', password: 'p' });
    fs.rmSync(path.join(home, 'credentials.key'));
    await expect(store.get('a')).rejects.toThrow(/credentials key .* is missing.*register the repositories' credentials again/);
  });
});

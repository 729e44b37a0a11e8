// The data home is its owner's only: after open, writes, a checkpoint and
// close nothing in it is open to group or others (PGlite itself writes 0666);
// a loose home from an older release is tightened on open without following
// a symbolic link out of it; a restored PGlite directory is private too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupDatabase, restoreDatabase } from '../../src-main/db/backup.ts';
import { openDatabase } from '../../src-main/db/open-database.ts';
import { tightenTree } from '../../src-main/db/private-files.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';

/** Every entry under `root` (itself included) that group or others may use, symbolic links aside. */
function loose(root: string): string[] {
  const out: string[] = [];
  const visit = (p: string) => {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) return;
    if (st.mode & 0o077) out.push(`${(st.mode & 0o777).toString(8)} ${path.relative(root, p) || '.'}`);
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) visit(path.join(p, name));
  };
  visit(root);
  return out;
}

/** What an older release left: everything readable by all, a clone's read-only objects, the key files. */
function loosen(home: string): void {
  fs.mkdirSync(path.join(home, 'repos', '1', 'objects', 'ab'), { recursive: true });
  fs.writeFileSync(path.join(home, 'repos', '1', 'objects', 'ab', 'cdef'), 'blob');
  fs.chmodSync(path.join(home, 'repos', '1', 'objects', 'ab', 'cdef'), 0o444);
  for (const f of ['settings.json', 'credentials.json', 'credentials.key']) fs.writeFileSync(path.join(home, f), '{}');
  const walk = (p: string) => {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) return;
    if (st.isDirectory()) {
      fs.chmodSync(p, 0o777);
      for (const name of fs.readdirSync(p)) walk(path.join(p, name));
    } else if (st.mode & 0o200) fs.chmodSync(p, 0o666);
  };
  walk(home);
}

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-modes-'));
});
afterEach(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

describe('the data home on pglite', () => {
  it('stays private through open, writes, a checkpoint and close', async () => {
    const home = path.join(work, 'home');
    const db = await openDatabase({ dataHome: home, env: {} });
    try {
      expect(fs.statSync(home).mode & 0o777).toBe(0o700);
      expect(fs.readdirSync(path.join(home, 'db')).length).toBeGreaterThan(10);
      expect(loose(home)).toEqual([]);
      await db.exec(`CREATE TABLE drafts_like (body text); INSERT INTO drafts_like SELECT repeat('draft', 200) FROM generate_series(1, 20000)`);
      expect(loose(home)).toEqual([]);
      await db.exec('CHECKPOINT');
      expect(loose(home)).toEqual([]);
    } finally {
      await db.close();
    }
    expect(loose(home)).toEqual([]);
  });

  it('tightens a loose home on open, without following a link out of it or touching what is not its own', async () => {
    const home = path.join(work, 'home');
    await (await openDatabase({ dataHome: home, env: {} })).close();
    const outside = path.join(work, 'outside.txt');
    fs.writeFileSync(outside, 'not ours');
    fs.chmodSync(outside, 0o644);
    fs.mkdirSync(path.join(home, 'repos'), { recursive: true });
    fs.symlinkSync(outside, path.join(home, 'repos', 'link'));
    fs.writeFileSync(path.join(home, 'notes.txt'), 'the user put this here');
    loosen(home);
    expect(loose(home).length).toBeGreaterThan(900);

    const db = await openDatabase({ dataHome: home, env: {} });
    await db.close();
    expect(loose(home)).toEqual(['666 notes.txt']);
    expect(fs.statSync(path.join(home, 'repos', '1', 'objects', 'ab', 'cdef')).mode & 0o777).toBe(0o400);
    expect(fs.statSync(outside).mode & 0o777).toBe(0o644);
  });

  it('restores a backup into a private directory', async () => {
    const dir = path.join(work, 'db');
    await (await openDatabase({ db: dir, env: {} })).close();
    const file = path.join(work, 'backup.tgz');
    await backupDatabase({ kind: 'pglite', dir }, file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loose(dir)).toEqual([]);
    const restored = path.join(work, 'restored');
    await restoreDatabase({ kind: 'pglite', dir: restored }, file);
    expect(loose(restored)).toEqual([]);
  });
});

describe.each(testEngines())('the data home beside $kind', (engine) => {
  useTestEngine(engine);

  it('is made private on open, whichever engine holds the database', async () => {
    const home = path.join(work, 'home');
    fs.mkdirSync(home, { recursive: true });
    loosen(home);
    const db = await engine.open({ dataHome: home, env: {} });
    try {
      expect(loose(home)).toEqual([]);
      if (engine.kind === 'pglite') expect(loose(engine.target)).toEqual([]);
    } finally {
      await db.close();
    }
    if (engine.kind === 'pglite') expect(loose(engine.target)).toEqual([]);
  });
});

describe('tightenTree', () => {
  it('keeps the owner bits, drops the rest, and takes a missing root as nothing to do', () => {
    fs.mkdirSync(path.join(work, 'a', 'b'), { recursive: true });
    fs.writeFileSync(path.join(work, 'a', 'b', 'run.sh'), '#!/bin/sh\n');
    fs.chmodSync(path.join(work, 'a', 'b', 'run.sh'), 0o755);
    fs.chmodSync(path.join(work, 'a', 'b'), 0o755);
    fs.chmodSync(path.join(work, 'a'), 0o750);
    expect(tightenTree(path.join(work, 'a'))).toBe(3);
    expect(fs.statSync(path.join(work, 'a')).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(work, 'a', 'b', 'run.sh')).mode & 0o777).toBe(0o700);
    expect(tightenTree(path.join(work, 'nothing-here'))).toBe(0);
  });
});

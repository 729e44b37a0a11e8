// The settings screen's connection test reads no file the user did not give
// it: sslrootcert, sslcert and sslkey must be in the data home (or picked),
// anything else is refused before it is touched, with one answer whether the
// file exists or not; the same holds for the choice saved for the next start,
// through the dispatcher the window and browser mode use.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testPostgres, type SslFileScope } from '../../src-main/db/test-postgres.ts';
import { databaseSettings } from '../../src-main/service/database-choice.ts';
import { openTestService } from '../support/service.ts';
import type { Answer } from '../../src-shared/contract.ts';
import { testEngines, useTestEngine } from '../support/databases.ts';

// Nothing listens on port 1: a URL that passes the check fails to connect, quickly.
const NOWHERE = 'postgres://someone@127.0.0.1:1/nothing';
const EXISTING = '/etc/hostname';

let home: string;
beforeEach(() => {
  home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-sslfiles-')));
  fs.mkdirSync(path.join(home, 'certs'));
  fs.writeFileSync(path.join(home, 'certs', 'ca.pem'), 'not really a certificate\n');
});
afterEach(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

const refusal = async (url: string, scope: SslFileScope = { dataHome: home }) => {
  const e = (await testPostgres(url, scope).then(
    () => undefined,
    (err: unknown) => err,
  )) as { code: string; message: string } | undefined;
  return e && { code: e.code, message: e.message };
};

describe('testPostgres and SSL files', () => {
  it('refuses a file outside the data home, saying the same whether it exists or not', async () => {
    expect(fs.existsSync(EXISTING)).toBe(true);
    const existing = await refusal(`${NOWHERE}?sslrootcert=${EXISTING}`);
    const missing = await refusal(`${NOWHERE}?sslrootcert=/no/such/file.pem`);
    expect(existing).toEqual({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/^sslrootcert names a file that is neither in Porchlight's data home .* nor chosen with the file picker/),
    });
    expect(missing).toEqual(existing);
    expect(existing!.message).not.toContain(EXISTING);
    for (const parameter of ['sslcert', 'sslkey', 'ssl%72ootcert']) {
      expect(await refusal(`${NOWHERE}?sslmode=require&${parameter}=${EXISTING}`)).toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
    expect(await refusal(`${NOWHERE}?sslrootcert=${path.join(home, '..', path.basename(home) + '-x', 'ca.pem')}`)).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await refusal(`${NOWHERE}?sslrootcert=${path.join(home, 'certs', '..', '..', 'etc', 'hostname')}`)).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('refuses a link from the data home to a file outside it', async () => {
    fs.symlinkSync(EXISTING, path.join(home, 'certs', 'link.pem'));
    expect(await refusal(`${NOWHERE}?sslrootcert=${path.join(home, 'certs', 'link.pem')}`)).toEqual(await refusal(`${NOWHERE}?sslrootcert=${EXISTING}`));
  });

  it('reads a file in the data home or one picked, then tries to connect', async () => {
    expect(await refusal(`${NOWHERE}?sslrootcert=${path.join(home, 'certs', 'ca.pem')}`)).toMatchObject({ code: 'UNAVAILABLE' });
    expect(await refusal(`${NOWHERE}?sslrootcert=${EXISTING}`, { dataHome: home, picked: [EXISTING] })).toMatchObject({ code: 'UNAVAILABLE' });
    // No data home and nothing picked (a front door that knows neither): every SSL file is refused.
    expect(await refusal(`${NOWHERE}?sslrootcert=${path.join(home, 'certs', 'ca.pem')}`, {})).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await refusal(NOWHERE)).toMatchObject({ code: 'UNAVAILABLE' });
  });
});

describe.each(testEngines())('settings.testDatabase and settings.setDatabase through the dispatcher on $kind', (engine) => {
  useTestEngine(engine);

  it('refuse SSL files outside the data home and save nothing', async () => {
    const service = openTestService({ db: await engine.open({ dataHome: home, env: {} }), dataHome: home, settings: databaseSettings(home, {}) });
    try {
      const dispatch = service.dispatch;
      const url = `${NOWHERE}?sslrootcert=${EXISTING}`;
      const tested = (await dispatch('settings.testDatabase', { url })) as Answer<unknown>;
      expect(tested).toMatchObject({
        ok: false,
        error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('sslrootcert names a file that is neither') },
      });
      expect(JSON.stringify(tested)).not.toContain(EXISTING);
      expect(await dispatch('settings.setDatabase', { kind: 'postgres', url })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
      expect(fs.existsSync(path.join(home, 'settings.json'))).toBe(false);
      const inHome = `${NOWHERE}?sslrootcert=${path.join(home, 'certs', 'ca.pem')}`;
      expect(await dispatch('settings.testDatabase', { url: inHome })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
      expect(await dispatch('settings.setDatabase', { kind: 'postgres', url: inHome })).toMatchObject({ ok: true });
    } finally {
      await service.close();
    }
  });
});

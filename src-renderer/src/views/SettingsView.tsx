// Where Porchlight keeps its data: the embedded directory or a PostgreSQL a
// team shares (tested before it is saved; the password goes to the sealed
// credential store), applied at the next start because an open database is
// never swapped under running work. How often each repository syncs, and
// the cleanup policy.
import { useEffect, useState, type FormEvent } from 'react';
import type { Repository } from '../../../src-shared/domain.ts';
import type { ServiceInfo } from '../../../src-shared/contract.ts';
import { call } from '../api.ts';
import { useStore } from '../store.ts';
import { describeSchedule, ScheduleDialog } from './RepositoriesView.tsx';
import { CleanupSettings } from './CleanupSettings.tsx';
import { BackgroundMigrations } from './BackgroundMigrations.tsx';

export function SettingsView() {
  const [info, setInfo] = useState<ServiceInfo>();
  const [url, setUrl] = useState('');
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  const [scheduling, setScheduling] = useState<Repository>();
  const repositories = useStore((s) => s.repositories);
  useEffect(() => {
    void call('settings.get', {}).then(setInfo, () => {});
  }, []);
  const test = async () => {
    setResult({ ok: true, text: 'connecting…' });
    try {
      const out = await call('settings.testDatabase', { url });
      setResult({ ok: true, text: `Connected: PostgreSQL ${out.serverVersion}.` });
      return true;
    } catch (err) {
      setResult({ ok: false, text: (err as Error).message });
      return false;
    }
  };
  const choose = async (choice: { kind: 'pglite' } | { kind: 'postgres'; url: string }) => {
    try {
      setInfo(await call('settings.setDatabase', choice));
      setResult({
        ok: true,
        text:
          choice.kind === 'postgres'
            ? 'Saved: Porchlight opens this PostgreSQL the next time it starts.'
            : 'Saved: Porchlight opens its embedded database the next time it starts.',
      });
      if (choice.kind === 'postgres') setUrl('');
    } catch (err) {
      setResult({ ok: false, text: (err as Error).message });
    }
  };
  const saveDatabase = async (e: FormEvent) => {
    e.preventDefault();
    if (await test()) await choose({ kind: 'postgres', url });
  };
  const where = (d: ServiceInfo['database']) => `${d.kind === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'}: ${d.location}`;
  return (
    <section>
      <h2>Settings</h2>
      <dl className="summary">
        <dt>Data directory</dt>
        <dd>{info?.dataHome}</dd>
        <dt>Database</dt>
        <dd>{info ? where(info.database) : ''}</dd>
        {info?.next && (
          <>
            <dt>At the next start</dt>
            <dd className="pending">{where(info.next)} (restart Porchlight to switch)</dd>
          </>
        )}
        {info?.overriddenBy && (
          <>
            <dt>Chosen by</dt>
            <dd>{info.overriddenBy}, which wins over the saved choice</dd>
          </>
        )}
      </dl>
      <h3>Use a shared PostgreSQL</h3>
      <form onSubmit={(e) => void saveDatabase(e)} className="register">
        <label>
          PostgreSQL URL{' '}
          <input
            aria-label="PostgreSQL URL"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="postgres://user:password@db.example:5432/porchlight"
          />
        </label>
        <button type="button" onClick={() => void test()} disabled={!url}>
          Test connection
        </button>
        <button type="submit" disabled={!url || Boolean(info?.overriddenBy)}>
          Use this database
        </button>
        {info?.database.kind === 'postgres' || info?.next?.kind === 'postgres' ? (
          <button type="button" onClick={() => void choose({ kind: 'pglite' })} disabled={Boolean(info?.overriddenBy)}>
            Use the embedded database
          </button>
        ) : null}
      </form>
      {result && (
        <p className={result.ok ? 'ok' : 'bad'} role="status">
          {result.text}
        </p>
      )}
      <p className="help">Drafts live in the database they were made in: switching does not move them. Approve or copy what you need first.</p>
      <h3>Sync</h3>
      <table>
        <thead>
          <tr>
            <th>Repository</th>
            <th>Sync</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {repositories.map((r) => (
            <tr key={r.metadata.name}>
              <td>{r.metadata.name}</td>
              <td>{describeSchedule(r)}</td>
              <td>
                <button onClick={() => setScheduling(r)}>Change…</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {scheduling && <ScheduleDialog repository={scheduling} onClose={() => setScheduling(undefined)} />}
      <CleanupSettings />
      <BackgroundMigrations />
    </section>
  );
}

// Where this Porchlight keeps its data, and a connection test for a
// PostgreSQL a team shares. The database is chosen when the app starts
// (--db or PORCHLIGHT_DB), so switching is a restart, said plainly.
import { useEffect, useState, type FormEvent } from 'react';
import type { ServiceInfo } from '../../../src-shared/contract.ts';
import { call } from '../api.ts';
import { useStore } from '../store.ts';

export function SettingsView() {
  const [info, setInfo] = useState<ServiceInfo>();
  const [url, setUrl] = useState('');
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  const repositories = useStore((s) => s.repositories);
  useEffect(() => {
    void call('settings.get', {}).then(setInfo, () => {});
  }, []);
  const test = async (e: FormEvent) => {
    e.preventDefault();
    setResult({ ok: true, text: 'connecting…' });
    try {
      const out = await call('settings.testDatabase', { url });
      setResult({ ok: true, text: `Connected: PostgreSQL ${out.serverVersion}. To use it, start Porchlight with PORCHLIGHT_DB set to this URL (or --db).` });
    } catch (err) {
      setResult({ ok: false, text: (err as Error).message });
    }
  };
  return (
    <section>
      <h2>Settings</h2>
      <dl className="summary">
        <dt>Data directory</dt>
        <dd>{info?.dataHome}</dd>
        <dt>Database</dt>
        <dd>{info ? `${info.database.kind === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'}: ${info.database.location}` : ''}</dd>
      </dl>
      <h3>Use a shared PostgreSQL</h3>
      <form onSubmit={(e) => void test(e)} className="register">
        <label>
          PostgreSQL URL <input aria-label="PostgreSQL URL" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="postgres://user:password@db.example:5432/porchlight" />
        </label>
        <button type="submit">Test connection</button>
      </form>
      {result && <p className={result.ok ? 'ok' : 'bad'} role="status">{result.text}</p>}
      <h3>Sync</h3>
      <table>
        <thead>
          <tr><th>Repository</th><th>Sync</th></tr>
        </thead>
        <tbody>
          {repositories.map((r) => (
            <tr key={r.metadata.name}>
              <td>{r.metadata.name}</td>
              <td>{r.spec.sync?.schedule ? `cron ${r.spec.sync.schedule}` : 'every 10 minutes (porchlight repo register --sync-interval / --sync-schedule to change)'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

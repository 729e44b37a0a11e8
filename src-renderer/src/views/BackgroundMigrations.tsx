// Settings: data changes an upgrade does in batches while the app is idle
// (background migrations), with how far each is, refreshed while one runs.
import { useEffect, useState } from 'react';
import type { BackgroundMigrationView } from '../../../src-shared/contract.ts';
import { call } from '../api.ts';

const REFRESH_MS = 2_000;

export function BackgroundMigrations() {
  const [migrations, setMigrations] = useState<BackgroundMigrationView[]>([]);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      const list = await call('database.backgroundMigrations', {}).catch(() => undefined);
      if (stopped || !list) return;
      setMigrations(list);
      if (list.some((m) => m.status === 'active')) timer = setTimeout(() => void load(), REFRESH_MS);
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  if (!migrations.length) return null;
  return (
    <>
      <h3>Background migrations</h3>
      <p className="help">
        Data changes an upgrade makes in small batches while the app is idle; everything works meanwhile. <code>porchlight db migrations --run</code> finishes
        them at once.
      </p>
      <table aria-label="Background migrations">
        <thead>
          <tr>
            <th>Name</th>
            <th>What</th>
            <th>Status</th>
            <th>Progress</th>
          </tr>
        </thead>
        <tbody>
          {migrations.map((m) => (
            <tr key={m.name}>
              <td>{m.name}</td>
              <td>{m.description}</td>
              <td className={m.status === 'failed' ? 'bad' : undefined} title={m.error}>
                {m.status === 'failed' ? `failed: ${m.error ?? ''}` : m.status}
              </td>
              <td>
                <progress max={100} value={m.percent} /> {m.percent}% ({m.rowsDone}
                {m.rowsTotal !== undefined ? ` of ~${m.rowsTotal}` : ''} rows)
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

// Registered repositories: status (Ready, syncing with its progress, or the
// error), last sync and what it found, sync now, how often to sync, unregister
// (with the drafts it would destroy), and the register form with the first
// clone's progress.
import { useState, type FormEvent } from 'react';
import type { Repository } from '../../../src-shared/domain.ts';
import { runningKey, useStore } from '../store.ts';
import { pickFolder } from '../api.ts';
import { ProgressBar } from './ProgressBar.tsx';
import { FormDialog } from './FormDialog.tsx';
import { CatalogsPanel } from './CatalogsPanel.tsx';
import { DemoButton } from './DemoButton.tsx';

const EMPTY = {
  url: '',
  name: '',
  nameEdited: false,
  namespace: '',
  branch: 'main',
  directory: '/',
  username: '',
  password: '',
  deployment: false,
  syncMinutes: '10',
};

export function RepositoriesView() {
  const { repositories, register, sync, unregister, running, namespace } = useStore();
  const [form, setForm] = useState(EMPTY);
  const [scheduling, setScheduling] = useState<Repository>();
  // The name follows the address (its last segment, as porchctl names it) until the user types one.
  const setAddress = (url: string) => setForm((f) => ({ ...f, url, name: f.nameEdited ? f.name : suggestName(url) }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await register({
      url: form.url,
      name: form.name,
      namespace: form.namespace || namespace,
      branch: form.branch,
      directory: form.directory,
      deployment: form.deployment,
      syncIntervalSeconds: Math.round(Number(form.syncMinutes || 0) * 60),
      ...(form.username ? { username: form.username, password: form.password } : {}),
    });
    // The password leaves the page once it is stored; the rest is kept if registering failed.
    setForm(ok ? EMPTY : { ...form, password: '' });
  };
  const remove = async (name: string) => {
    const drafts = await unregister(name, false);
    if (drafts && window.confirm(`${name} has ${drafts} draft or proposed revision(s) that exist only here and would be destroyed. Unregister anyway?`))
      await unregister(name, true);
  };
  const registering = running[runningKey('sync', form.name)];
  return (
    <section>
      <h2>Repositories</h2>
      <table className="repositories">
        <thead>
          <tr>
            <th>Name</th>
            <th>Address</th>
            <th>Branch</th>
            <th>Directory</th>
            <th>Status</th>
            <th>Last sync</th>
            <th>Package revisions</th>
            <th>Sync</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {repositories.map((r) => {
            const ready = r.status.conditions?.find((c) => c.type === 'Ready');
            const syncing = running[runningKey('sync', r.metadata.name)];
            const stats = r.status.syncStats;
            return (
              <tr key={r.metadata.name}>
                <td>
                  {r.metadata.name}
                  {r.spec.deployment ? <span className="tag">deployment</span> : null}
                </td>
                <td>{r.spec.git.repo}</td>
                <td>{r.spec.git.branch}</td>
                <td>{r.spec.git.directory}</td>
                {syncing ? (
                  <td className="syncing">
                    Syncing <ProgressBar running={syncing} />
                  </td>
                ) : (
                  <td className={ready?.status === 'True' ? 'ok' : 'bad'} title={ready?.message}>
                    {ready?.status === 'True' ? 'Ready' : `Error: ${ready?.message ?? 'not synced yet'}`}
                  </td>
                )}
                <td>{r.status.lastFullSyncTime ? new Date(r.status.lastFullSyncTime).toLocaleString() : 'never'}</td>
                <td
                  title={
                    stats
                      ? `last sync: ${stats.externalOnly} new, ${stats.cachedOnly} removed, ${stats.both} unchanged, ${stats.durationMs} ms${stats.remoteUnchanged ? ' (remote unchanged)' : ''}`
                      : undefined
                  }
                >
                  {stats ? `${stats.both + stats.externalOnly} (+${stats.externalOnly} −${stats.cachedOnly}, ${(stats.durationMs / 1000).toFixed(1)} s)` : ''}
                </td>
                <td>{describeSchedule(r)}</td>
                <td className="row-actions">
                  <button onClick={() => void sync(r.metadata.name)} disabled={Boolean(syncing)}>
                    Sync now
                  </button>
                  <button onClick={() => setScheduling(r)}>Schedule…</button>
                  <button onClick={() => void remove(r.metadata.name)}>Unregister</button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {!repositories.length && (
        <p className="empty">No repositories yet. Register one below: its published package revisions are read from Git; drafts stay here until approved.</p>
      )}
      {!repositories.length && <DemoButton />}
      <h3>Register a repository</h3>
      <form onSubmit={(e) => void submit(e)} className="register">
        <label>
          Git URL or local path{' '}
          <input
            required
            value={form.url}
            onChange={(e) => setAddress(e.target.value)}
            placeholder="https://git.example.com/blueprints.git or /home/me/src/blueprints"
          />
        </label>
        {pickFolder && (
          <button type="button" onClick={() => void pickFolder!().then((p) => p && setAddress(p))}>
            Choose folder…
          </button>
        )}
        <label>
          Name <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value, nameEdited: true })} />
        </label>
        <label>
          Namespace <input value={form.namespace} placeholder={namespace} onChange={(e) => setForm({ ...form, namespace: e.target.value })} />
        </label>
        <label>
          Branch <input value={form.branch} onChange={(e) => setForm({ ...form, branch: e.target.value })} />
        </label>
        <label>
          Directory <input value={form.directory} onChange={(e) => setForm({ ...form, directory: e.target.value })} />
        </label>
        <label>
          Username <input value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} autoComplete="username" />
        </label>
        <label>
          Password{' '}
          <input type="password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} autoComplete="current-password" />
        </label>
        <label>
          Sync every (minutes, 0 for never){' '}
          <input type="number" min={0} value={form.syncMinutes} onChange={(e) => setForm({ ...form, syncMinutes: e.target.value })} />
        </label>
        <label className="check">
          <input type="checkbox" checked={form.deployment} onChange={(e) => setForm({ ...form, deployment: e.target.checked })} /> Deployment repository
        </label>
        <button type="submit" disabled={Boolean(registering)}>
          Register
        </button>
        {registering && <ProgressBar running={registering} />}
      </form>
      {scheduling && <ScheduleDialog repository={scheduling} onClose={() => setScheduling(undefined)} />}
      <CatalogsPanel />
    </section>
  );
}

/** "https://host/team/blueprints.git" or "/home/me/src/Blueprints" -> "blueprints". */
export function suggestName(address: string): string {
  const last =
    address
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() ?? '';
  return last
    .replace(/\.git$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}

export function describeSchedule(r: Repository): string {
  if (r.spec.sync?.schedule) return `cron ${r.spec.sync.schedule}`;
  const s = r.status.syncIntervalSeconds;
  if (s === undefined) return '';
  if (s === 0) return 'on demand';
  return s % 60 === 0 ? `every ${s / 60} min` : `every ${s} s`;
}

export function ScheduleDialog(props: { repository: Repository; onClose: () => void }) {
  const r = props.repository;
  return (
    <FormDialog
      title={`How often to sync ${r.metadata.name}`}
      submit="Save"
      fields={[
        { name: 'minutes', label: 'Every (minutes, 0 for on demand only)', type: 'number', initial: String((r.status.syncIntervalSeconds ?? 600) / 60) },
        { name: 'cron', label: 'Or a cron schedule (wins over the interval)', initial: r.spec.sync?.schedule ?? '', placeholder: '*/15 * * * *' },
      ]}
      onSubmit={(v) =>
        useStore
          .getState()
          .updateSync({ name: r.metadata.name, syncIntervalSeconds: Math.round(Number(v.minutes || 0) * 60), syncSchedule: String(v.cron).trim() || null })
      }
      onClose={props.onClose}
    />
  );
}

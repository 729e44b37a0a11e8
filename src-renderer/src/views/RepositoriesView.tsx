// Registered repositories: status, sync now, unregister (with the drafts it
// would destroy), and the register form.
import { useState, type FormEvent } from 'react';
import { useStore } from '../store.ts';

export function RepositoriesView() {
  const { repositories, register, sync, unregister } = useStore();
  const [form, setForm] = useState({ url: '', name: '', branch: 'main', directory: '/', username: '', password: '', deployment: false });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await register({
      url: form.url,
      name: form.name,
      branch: form.branch,
      directory: form.directory,
      deployment: form.deployment,
      ...(form.username ? { username: form.username, password: form.password } : {}),
    });
  };
  const remove = async (name: string) => {
    const drafts = await unregister(name, false);
    if (drafts && window.confirm(`${name} has ${drafts} draft(s) that exist only here and would be destroyed. Unregister anyway?`)) await unregister(name, true);
  };
  return (
    <section>
      <h2>Repositories</h2>
      <table>
        <thead>
          <tr><th>Name</th><th>Address</th><th>Branch</th><th>Directory</th><th>Status</th><th>Last sync</th><th /></tr>
        </thead>
        <tbody>
          {repositories.map((r) => {
            const ready = r.status.conditions?.find((c) => c.type === 'Ready');
            return (
              <tr key={r.metadata.name}>
                <td>{r.metadata.name}</td>
                <td>{r.spec.git.repo}</td>
                <td>{r.spec.git.branch}</td>
                <td>{r.spec.git.directory}</td>
                <td className={ready?.status === 'True' ? 'ok' : 'bad'} title={ready?.message}>{ready?.status === 'True' ? 'Ready' : `Error: ${ready?.message ?? ''}`}</td>
                <td>{r.status.lastFullSyncTime ? new Date(r.status.lastFullSyncTime).toLocaleString() : ''}</td>
                <td>
                  <button onClick={() => void sync(r.metadata.name)}>Sync now</button> <button onClick={() => void remove(r.metadata.name)}>Unregister</button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h3>Register a repository</h3>
      <form onSubmit={(e) => void submit(e)} className="register">
        <label>Git URL <input required value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} placeholder="https://git.example.com/blueprints.git" /></label>
        <label>Name <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></label>
        <label>Branch <input value={form.branch} onChange={(e) => setForm({ ...form, branch: e.target.value })} /></label>
        <label>Directory <input value={form.directory} onChange={(e) => setForm({ ...form, directory: e.target.value })} /></label>
        <label>Username <input value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} autoComplete="username" /></label>
        <label>Password <input type="password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} autoComplete="current-password" /></label>
        <label className="check"><input type="checkbox" checked={form.deployment} onChange={(e) => setForm({ ...form, deployment: e.target.checked })} /> Deployment repository</label>
        <button type="submit">Register</button>
      </form>
    </section>
  );
}

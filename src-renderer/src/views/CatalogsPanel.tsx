// Catalogs: ordered lists of repositories (blueprint sources). A package path
// resolves in a catalog to the highest-priority repository that has it; the
// clone dialog clones from there.
import { useEffect, useState, type FormEvent } from 'react';
import type { Catalog } from '../../../src-shared/catalogs.ts';
import { call } from '../api.ts';
import { useStore } from '../store.ts';
import { FormDialog } from './FormDialog.tsx';

export function CatalogsPanel() {
  const { namespace, notify, repositories } = useStore();
  const [catalogs, setCatalogs] = useState<Catalog[]>([]);
  const [form, setForm] = useState({ name: '', repositories: '' });
  const load = () => call('catalogs.list', { namespace }).then(setCatalogs, (e: Error) => notify('error', e.message));
  useEffect(() => void load(), [namespace, repositories.length]); // eslint-disable-line react-hooks/exhaustive-deps
  const names = (text: string) => text.split(/[\s,]+/).filter(Boolean);
  const attempt = async (fn: () => Promise<unknown>, done: string) => {
    try {
      await fn();
      notify('info', done);
      await load();
      return true;
    } catch (e) {
      notify('error', (e as Error).message);
      return false;
    }
  };
  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (await attempt(() => call('catalogs.create', { namespace, name: form.name, repositories: names(form.repositories) }), `catalog ${form.name} created`))
      setForm({ name: '', repositories: '' });
  };
  const [reordering, setReordering] = useState<Catalog>();
  return (
    <>
      <h3>Catalogs</h3>
      <p className="help">
        A catalog is an ordered list of repositories: a package path comes from the first one that has it. Clone from a catalog in the package list.
      </p>
      <table className="catalogs">
        <thead>
          <tr>
            <th>Name</th>
            <th>Repositories, highest priority first</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {catalogs.map((c) => (
            <tr key={c.metadata.name}>
              <td>{c.metadata.name}</td>
              <td>{c.spec.repositories.join(' → ')}</td>
              <td className="row-actions">
                <button onClick={() => setReordering(c)}>Change order…</button>
                <button
                  onClick={() =>
                    window.confirm(`Delete catalog ${c.metadata.name}? Its repositories stay registered.`) &&
                    void attempt(() => call('catalogs.delete', { namespace, name: c.metadata.name }), `catalog ${c.metadata.name} deleted`)
                  }
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="register" onSubmit={(e) => void create(e)} aria-label="New catalog">
        <label>
          Catalog name <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label>
          Repositories, highest priority first{' '}
          <input
            required
            value={form.repositories}
            placeholder={repositories
              .map((r) => r.metadata.name)
              .slice(0, 3)
              .join(', ')}
            onChange={(e) => setForm({ ...form, repositories: e.target.value })}
          />
        </label>
        <button type="submit">Create catalog</button>
      </form>
      {reordering && (
        <FormDialog
          title={`Repositories of ${reordering.metadata.name}`}
          submit="Save"
          fields={[{ name: 'repositories', label: 'Highest priority first', initial: reordering.spec.repositories.join(', '), required: true }]}
          onSubmit={(v) =>
            attempt(
              () => call('catalogs.setRepositories', { namespace, name: reordering.metadata.name, repositories: names(String(v.repositories)) }),
              `catalog ${reordering.metadata.name} updated`,
            )
          }
          onClose={() => setReordering(undefined)}
        />
      )}
    </>
  );
}

// Package revisions: search as you type, lifecycle filter, latest only.
import { useStore } from '../store.ts';

export function PackagesView() {
  const { revisions, search, setSearch, lifecycle, latestOnly, setFilter, open } = useStore();
  const shown = revisions.filter((r) => (!lifecycle || r.spec.lifecycle === lifecycle) && (!latestOnly || r.metadata.labels?.['kpt.dev/latest-revision'] === 'true'));
  return (
    <section>
      <h2>Package revisions</h2>
      <div className="filters">
        <input aria-label="Search" placeholder="Search packages…" value={search} onChange={(e) => setSearch(e.target.value)} autoFocus />
        <select aria-label="Lifecycle" value={lifecycle} onChange={(e) => setFilter(e.target.value, latestOnly)}>
          <option value="">Any lifecycle</option>
          {['Draft', 'Proposed', 'Published', 'DeletionProposed'].map((l) => <option key={l}>{l}</option>)}
        </select>
        <label className="check"><input type="checkbox" checked={latestOnly} onChange={(e) => setFilter(lifecycle, e.target.checked)} /> Latest only</label>
      </div>
      <table className="revisions">
        <thead>
          <tr><th>Name</th><th>Package</th><th>Workspace</th><th>Revision</th><th>Latest</th><th>Lifecycle</th><th>Repository</th></tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.metadata.name} tabIndex={0} onClick={() => void open(r.metadata.name)} onKeyDown={(e) => e.key === 'Enter' && void open(r.metadata.name)}>
              <td>{r.metadata.name}</td>
              <td>{r.spec.packageName}</td>
              <td>{r.spec.workspaceName}</td>
              <td>{r.spec.revision ?? 0}</td>
              <td>{r.metadata.labels?.['kpt.dev/latest-revision'] === 'true' ? 'true' : 'false'}</td>
              <td>{r.spec.lifecycle}</td>
              <td>{r.spec.repository}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

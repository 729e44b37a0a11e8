// Package revisions: search as you type, lifecycle filter, latest only.
import { useEffect, useRef } from 'react';
import { useStore } from '../store.ts';

/** Loads the next page when it scrolls into view; a button too, for keyboard users. */
function LoadMore(props: { cursor: string; load: () => void }) {
  const el = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const seen = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && props.load());
    if (el.current) seen.observe(el.current);
    return () => seen.disconnect();
    // A new cursor is a new page to wait for.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.cursor]);
  return (
    <button className="more" ref={el} onClick={props.load}>
      Load more
    </button>
  );
}

export function PackagesView() {
  const { revisions, next, loadMore, search, setSearch, lifecycle, latestOnly, setFilter, open } = useStore();
  const shown = revisions;
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
      {next && <LoadMore cursor={next} load={() => void loadMore()} />}
    </section>
  );
}

// Package revisions of one repository or of all: search as you type, lifecycle
// filter, latest only, all applied in the database. Keyset pages load as the
// list scrolls, and only the rows in sight are in the page (virtualised), so
// the hundred-thousandth row costs what the first does. Keyboard: arrows,
// Page Up/Down, Home/End move, Enter opens, / goes to the search box.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useStore } from '../store.ts';
import { CloneDialog } from './CloneDialog.tsx';
import { DemoButton } from './DemoButton.tsx';
import { FormDialog } from './FormDialog.tsx';

const ROW_PX = 30;
/** Start loading the next page this many rows before the end. */
const PREFETCH_ROWS = 40;

export function PackagesView() {
  const {
    revisions,
    next,
    loadMore,
    loadingMore,
    listStale,
    loadRevisions,
    search,
    searchIn,
    setSearch,
    lifecycle,
    latestOnly,
    repository,
    setFilter,
    open,
    repositories,
  } = useStore();
  const [cursor, setCursor] = useState(0);
  const [dialog, setDialog] = useState<'clone' | 'init'>();
  const scroller = useRef<HTMLDivElement>(null);
  const searchBox = useRef<HTMLInputElement>(null);
  const rows = useVirtualizer({ count: revisions.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_PX, overscan: 10 });
  const items = rows.getVirtualItems();
  const last = items.at(-1)?.index ?? 0;

  useEffect(() => {
    if (next && !loadingMore && last >= revisions.length - PREFETCH_ROWS) void loadMore();
  }, [last, next, loadingMore, revisions.length, loadMore]);
  // A new query starts at the top.
  useEffect(() => setCursor(0), [search, searchIn, lifecycle, latestOnly, repository]);
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === '/' && !(e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || (e.target as HTMLElement).isContentEditable)) {
        e.preventDefault();
        searchBox.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const move = (to: number) => {
    const index = Math.max(0, Math.min(revisions.length - 1, to));
    setCursor(index);
    rows.scrollToIndex(index, { align: 'auto' });
  };
  const perPage = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 600) / ROW_PX) - 1);
  const onKeyDown = (e: KeyboardEvent) => {
    const moves: Record<string, number> = {
      ArrowDown: cursor + 1,
      ArrowUp: cursor - 1,
      PageDown: cursor + perPage,
      PageUp: cursor - perPage,
      Home: 0,
      End: revisions.length - 1,
    };
    if (e.key in moves) {
      e.preventDefault();
      move(moves[e.key]!);
    } else if (e.key === 'Enter' && revisions[cursor]) {
      e.preventDefault();
      void open(revisions[cursor].name);
    }
  };
  const top = items[0]?.start ?? 0;
  const bottom = rows.getTotalSize() - (items.at(-1)?.end ?? 0);

  return (
    <section className="packages">
      <div className="section-header">
        <h2>Package revisions</h2>
        <button onClick={() => setDialog('init')} disabled={!repositories.length}>
          New package
        </button>
        <button onClick={() => setDialog('clone')} disabled={!repositories.length}>
          Clone from Git…
        </button>
      </div>
      <div className="filters">
        <input
          ref={searchBox}
          aria-label="Search"
          placeholder="Search packages… (/)"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onKeyDown={(e) => e.key === 'ArrowDown' && (e.preventDefault(), scroller.current?.focus(), move(0))}
          autoFocus
        />
        <select aria-label="Search in" value={searchIn} onChange={(e) => setFilter({ searchIn: e.target.value as 'name' | 'file' })}>
          <option value="name">package names</option>
          <option value="file">file paths</option>
        </select>
        <select aria-label="Repository" value={repository} onChange={(e) => setFilter({ repository: e.target.value })}>
          <option value="">All repositories</option>
          {repositories.map((r) => (
            <option key={r.metadata.name} value={r.metadata.name}>
              {r.metadata.name}
            </option>
          ))}
        </select>
        <select aria-label="Lifecycle" value={lifecycle} onChange={(e) => setFilter({ lifecycle: e.target.value })}>
          <option value="">Any lifecycle</option>
          {['Draft', 'Proposed', 'Published', 'DeletionProposed'].map((l) => (
            <option key={l}>{l}</option>
          ))}
        </select>
        <label className="check">
          <input type="checkbox" checked={latestOnly} onChange={(e) => setFilter({ latestOnly: e.target.checked })} /> Latest only
        </label>
        {listStale && <button onClick={() => void loadRevisions()}>Changed: refresh</button>}
      </div>
      <div
        className="scroller"
        ref={scroller}
        tabIndex={0}
        role="grid"
        aria-label="Package revisions"
        aria-rowcount={next ? -1 : revisions.length}
        data-testid="revisions-scroller"
        data-loaded={revisions.length}
        data-has-more={String(Boolean(next))}
        onKeyDown={onKeyDown}
      >
        <table className="revisions">
          <thead>
            <tr>
              <th>Name</th>
              <th>Package</th>
              <th>Workspace</th>
              <th>Revision</th>
              <th>Latest</th>
              <th>Lifecycle</th>
              <th>Repository</th>
            </tr>
          </thead>
          <tbody>
            {top > 0 && <tr style={{ height: top }} aria-hidden="true" />}
            {items.map((item) => {
              const r = revisions[item.index]!;
              return (
                <tr
                  key={r.name}
                  data-index={item.index}
                  aria-rowindex={item.index + 2}
                  aria-selected={item.index === cursor}
                  className={item.index === cursor ? 'cursor' : ''}
                  style={{ height: ROW_PX }}
                  onClick={() => {
                    setCursor(item.index);
                    void open(r.name);
                  }}
                >
                  <td>{r.name}</td>
                  <td>{r.packageName}</td>
                  <td>{r.workspaceName}</td>
                  <td>{r.revision}</td>
                  <td>{r.latest ? 'true' : 'false'}</td>
                  <td>
                    <span className={`lifecycle ${r.lifecycle}`}>{r.lifecycle}</span>
                  </td>
                  <td>{r.repository}</td>
                </tr>
              );
            })}
            {bottom > 0 && <tr style={{ height: bottom }} aria-hidden="true" />}
          </tbody>
        </table>
        {!revisions.length && (
          <p className="empty">
            {search || lifecycle || repository ? 'No package revision matches.' : 'No package revisions yet: register a repository, or try the demo.'}
          </p>
        )}
        {!revisions.length && !search && !lifecycle && !repository && !repositories.length && <DemoButton />}
      </div>
      <p className="count">
        {revisions.length} loaded{next ? (loadingMore ? ', loading more…' : ', more below') : ''}
      </p>
      {dialog === 'clone' && <CloneDialog onClose={() => setDialog(undefined)} />}
      {dialog === 'init' && <InitDialog onClose={() => setDialog(undefined)} />}
    </section>
  );
}

function InitDialog(props: { onClose: () => void }) {
  const repositories = useStore((s) => s.repositories);
  return (
    <FormDialog
      title="New package"
      submit="Create draft"
      fields={[
        { name: 'repository', label: 'Repository', type: 'select', options: repositories.map((r) => ({ value: r.metadata.name, label: r.metadata.name })) },
        { name: 'name', label: 'Package name', required: true, placeholder: 'my-package or group/my-package' },
        { name: 'workspace', label: 'Workspace', initial: 'v1', required: true },
        { name: 'description', label: 'Description' },
      ]}
      onSubmit={async (v) =>
        useStore
          .getState()
          .init({ repository: String(v.repository), name: String(v.name), workspace: String(v.workspace), description: String(v.description) || undefined })
      }
      onClose={props.onClose}
    />
  );
}

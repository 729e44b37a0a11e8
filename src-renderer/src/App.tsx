// The window: a header with the views, the offline banner and the approval
// queue, and the current view.
import { useEffect } from 'react';
import { onServiceEvent } from './api.ts';
import { useStore } from './store.ts';
import { RepositoriesView } from './views/RepositoriesView.tsx';
import { PackagesView } from './views/PackagesView.tsx';
import { RevisionView } from './views/RevisionView.tsx';
import { CommandPalette } from './views/CommandPalette.tsx';
import { SettingsView } from './views/SettingsView.tsx';

/** How often queued approvals are tried again while Git is unreachable. */
const RETRY_MS = 5_000;

export function App() {
  const { view, show, notice, gitOffline, queue, progress, retryQueue, cancelQueued } = useStore();
  useEffect(() => {
    void useStore.getState().loadRepositories();
    void useStore.getState().loadRevisions();
    void useStore.getState().loadQueue();
    return onServiceEvent((e) => {
      if (e.type === 'sync.progress') useStore.setState({ progress: `${e.repository}: ${e.phase}${e.total ? ` ${Math.round((100 * e.loaded) / e.total)}%` : ''}` });
      if (e.type === 'repository.status') void useStore.getState().loadRepositories();
      if (e.type === 'revision.changed') void useStore.getState().loadRevisions();
    });
  }, []);
  useEffect(() => {
    if (!queue.length) return;
    const t = setInterval(() => void retryQueue(), RETRY_MS);
    return () => clearInterval(t);
  }, [queue.length, retryQueue]);

  return (
    <div className="app">
      <header>
        <strong>Porchlight</strong>
        <nav>
          <button className={view === 'repositories' ? 'active' : ''} onClick={() => show('repositories')}>Repositories</button>
          <button className={view === 'packages' ? 'active' : ''} onClick={() => show('packages')}>Packages</button>
          <button className={view === 'settings' ? 'active' : ''} onClick={() => show('settings')}>Settings</button>
        </nav>
        {progress && <span className="progress" role="status">{progress}</span>}
        <span className="hint">Ctrl+K: commands</span>
      </header>
      <CommandPalette />
      {gitOffline && (
        <div className="banner offline" role="alert">
          Git is unreachable. Drafts, edits, proposals and rejections keep working; approvals wait in the queue.
        </div>
      )}
      {queue.length > 0 && (
        <div className="banner queue" aria-label="approval queue">
          <strong>Waiting for Git:</strong>
          <ul>
            {queue.map((q) => (
              <li key={q.name}>
                approve {q.name} (queued {new Date(q.since).toLocaleTimeString()}){q.lastError && !q.lastError.startsWith('UNAVAILABLE') ? `: ${q.lastError}` : ''}{' '}
                <button onClick={() => void retryQueue()}>Try now</button> <button onClick={() => void cancelQueued(q.name)}>Cancel</button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {notice && (
        <div className={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          {notice.text} <button onClick={() => useStore.setState({ notice: undefined })}>×</button>
        </div>
      )}
      <main>
        {view === 'repositories' && <RepositoriesView />}
        {view === 'packages' && <PackagesView />}
        {view === 'revision' && <RevisionView />}
        {view === 'settings' && <SettingsView />}
      </main>
    </div>
  );
}

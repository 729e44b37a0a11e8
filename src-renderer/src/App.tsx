// The window: a header with the views, the namespace and what is running; the
// offline banner and the approval queue; notifications; the current view.
import { useEffect, useState } from 'react';
import { call, onServiceEvent } from './api.ts';
import { useStore } from './store.ts';
import { DEFAULT_NAMESPACE } from '../../src-shared/names.ts';
import { RepositoriesView } from './views/RepositoriesView.tsx';
import { PackagesView } from './views/PackagesView.tsx';
import { RevisionView } from './views/RevisionView.tsx';
import { CommandPalette } from './views/CommandPalette.tsx';
import { SettingsView } from './views/SettingsView.tsx';
import { ProgressBar } from './views/ProgressBar.tsx';

/** How often the window asks the service to try queued approvals while Git is unreachable (the service also tries every 10 s). */
const RETRY_MS = 5_000;

function NamespacePicker() {
  const { namespace, setNamespace } = useStore();
  const [known, setKnown] = useState<string[]>([]);
  const refresh = () =>
    void call('repositories.list', { allNamespaces: true }).then(
      (all) => setKnown([...new Set([DEFAULT_NAMESPACE, ...all.map((r) => r.metadata.namespace)])].sort()),
      () => {},
    );
  return (
    <label className="namespace">
      Namespace{' '}
      <select aria-label="Namespace" value={namespace} onFocus={refresh} onChange={(e) => setNamespace(e.target.value)}>
        {[...new Set([namespace, ...known])].map((n) => (
          <option key={n}>{n}</option>
        ))}
      </select>
    </label>
  );
}

export function App() {
  const { view, show, toasts, dismiss, gitOffline, queue, running, retryQueue, cancelQueued } = useStore();
  useEffect(() => {
    void useStore.getState().loadRepositories();
    void useStore.getState().loadRevisions();
    void useStore.getState().loadQueue();
    return onServiceEvent((e) => useStore.getState().onEvent(e));
  }, []);
  useEffect(() => {
    if (!queue.length) return;
    const t = setInterval(() => void retryQueue(), RETRY_MS);
    return () => clearInterval(t);
  }, [queue.length, retryQueue]);
  const under = Object.entries(running);

  return (
    <div className="app">
      <header>
        <strong>Porchlight</strong>
        <nav>
          <button className={view === 'repositories' ? 'active' : ''} onClick={() => show('repositories')}>
            Repositories
          </button>
          <button className={view === 'packages' ? 'active' : ''} onClick={() => show('packages')}>
            Packages
          </button>
          <button className={view === 'settings' ? 'active' : ''} onClick={() => show('settings')}>
            Settings
          </button>
        </nav>
        <NamespacePicker />
        <span className="running" aria-label="Running">
          {under.map(([key, r]) => (
            <span key={key} className="running-item">
              {r.operation === 'sync' ? 'Sync' : 'Publish'} <ProgressBar running={r} />
            </span>
          ))}
        </span>
        <span className="hint">Ctrl+K: commands</span>
      </header>
      <CommandPalette />
      {gitOffline && (
        <div className="banner offline" role="alert">
          Git is unreachable. Drafts, edits, proposals and rejections keep working; approvals wait in the queue and go out when Git answers.
        </div>
      )}
      {queue.length > 0 && (
        <div className="banner queue" aria-label="approval queue">
          <strong>Waiting for Git:</strong>
          <ul>
            {queue.map((q) => (
              <li key={q.name}>
                approve {q.name} (queued {new Date(q.since).toLocaleTimeString()})
                {q.lastError && !q.lastError.startsWith('UNAVAILABLE') ? `: ${q.lastError}` : ''} <button onClick={() => void retryQueue()}>Try now</button>{' '}
                <button onClick={() => void cancelQueued(q.name)}>Cancel</button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="toasts" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`notice ${t.level}`} role={t.level === 'error' ? 'alert' : 'status'}>
            {t.text}{' '}
            <button aria-label="Dismiss" onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
      <main>
        {view === 'repositories' && <RepositoriesView />}
        {view === 'packages' && <PackagesView />}
        {view === 'revision' && <RevisionView />}
        {view === 'settings' && <SettingsView />}
      </main>
    </div>
  );
}

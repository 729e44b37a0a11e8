// Ctrl+K (or Cmd+K): every action by name. Type to filter, arrows to move,
// Enter to run, Escape to close.
import { useEffect, useMemo, useState } from 'react';
import { useStore } from '../store.ts';

interface Action {
  label: string;
  run: () => void;
}

type Verb = 'propose' | 'reject' | 'approve' | 'propose-delete';

/** Moves offered by name (deleting stays a button, behind its confirmation). */
function lifecycleVerbs(lifecycle: string): Verb[] {
  if (lifecycle === 'Draft') return ['propose'];
  if (lifecycle === 'Proposed') return ['approve', 'reject'];
  if (lifecycle === 'Published') return ['propose-delete'];
  if (lifecycle === 'DeletionProposed') return ['reject'];
  return [];
}

export function CommandPalette() {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [index, setIndex] = useState(0);
  const { repositories, revisions, show, sync, open: openRevision, retryQueue, revision, lifecycleAction } = useStore();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setOpen((o) => !o);
        setText('');
        setIndex(0);
      } else if (e.key === 'Escape') setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  // Built only while the palette is open: with 100,000 revisions loaded, building an action per
  // revision on every change of the store cost each page of the list ~30 ms of the main thread.
  const actions = useMemo<Action[]>(
    () =>
      !open
        ? []
        : [
            { label: 'Go to Repositories', run: () => show('repositories') },
            { label: 'Go to Packages', run: () => show('packages') },
            { label: 'Go to Settings', run: () => show('settings') },
            { label: 'Retry queued approvals', run: () => void retryQueue() },
            // The open revision's lifecycle moves, by name.
            ...(revision
              ? lifecycleVerbs(revision.spec.lifecycle).map((verb) => ({ label: `${verb} ${revision.metadata.name}`, run: () => void lifecycleAction(verb) }))
              : []),
            ...repositories.map((r) => ({ label: `Sync ${r.metadata.name}`, run: () => void sync(r.metadata.name) })),
            ...revisions.map((r) => ({ label: `Open ${r.name}`, run: () => void openRevision(r.name) })),
          ],
    [open, repositories, revisions, show, sync, openRevision, retryQueue, revision, lifecycleAction],
  );
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = actions.filter((a) => words.every((w) => a.label.toLowerCase().includes(w))).slice(0, 12);
  if (!open) return null;
  const runAt = (i: number) => {
    const a = shown[i];
    if (!a) return;
    setOpen(false);
    a.run();
  };
  return (
    <div className="palette-backdrop" onClick={() => setOpen(false)}>
      <div className="palette" role="dialog" aria-label="Command palette" onClick={(e) => e.stopPropagation()}>
        <input
          autoFocus
          aria-label="Command"
          placeholder="Type a command or a package revision…"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setIndex(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') setIndex((i) => Math.min(i + 1, shown.length - 1));
            else if (e.key === 'ArrowUp') setIndex((i) => Math.max(i - 1, 0));
            else if (e.key === 'Enter') runAt(index);
          }}
        />
        <ul>
          {shown.map((a, i) => (
            <li key={a.label} className={i === index ? 'active' : ''} onMouseEnter={() => setIndex(i)} onClick={() => runAt(i)}>
              {a.label}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

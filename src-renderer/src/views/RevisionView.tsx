// One package revision: its files, the editor (Drafts only), the diff against
// another revision of the package, the Kptfile summary, and the actions its
// lifecycle allows.
import { useEffect, useState } from 'react';
import type { RequestOf } from '../../../src-shared/contract.ts';
import { call, decode } from '../api.ts';
import { useStore, type OpenFile } from '../store.ts';
import { checkYaml, Editor } from './Editor.tsx';
import { DiffView } from './DiffView.tsx';

type Verb = RequestOf<'revisions.lifecycle'>['verb'];

const ACTIONS: Record<string, { verb: Verb; label: string }[]> = {
  Draft: [{ verb: 'propose', label: 'Propose' }, { verb: 'delete', label: 'Delete' }],
  Proposed: [{ verb: 'approve', label: 'Approve' }, { verb: 'reject', label: 'Reject' }, { verb: 'delete', label: 'Delete' }],
  Published: [{ verb: 'propose-delete', label: 'Propose deletion' }],
  DeletionProposed: [{ verb: 'reject', label: 'Reject deletion' }, { verb: 'delete', label: 'Delete' }],
};

export function RevisionView() {
  const { revision, files, activeFile, select, save, saving, lifecycleAction, copy, clone, upgrade, addFile, removeFile, renameFile, siblings, repositories, namespace } = useStore();
  const [tab, setTab] = useState<'edit' | 'diff'>('edit');
  const [baseName, setBaseName] = useState('');
  const [base, setBase] = useState<OpenFile[]>([]);
  useEffect(() => {
    const latest = siblings.find((r) => r.metadata.labels?.['kpt.dev/latest-revision'] === 'true') ?? siblings[0];
    setBaseName(latest?.metadata.name ?? '');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [revision?.metadata.name]);
  useEffect(() => {
    if (!baseName) return setBase([]);
    void call('revisions.resources', { namespace, name: baseName }).then(
      (out) => setBase(out.files.map((f) => ({ path: f.path, text: decode(f.base64) }))),
      () => setBase([]),
    );
  }, [baseName, namespace]);
  if (!revision) return null;
  const draft = revision.spec.lifecycle === 'Draft';
  const current = files.find((f) => f.path === activeFile);
  const problems = files.flatMap((f) => checkYaml(f.path, f.text).filter((d) => d.severity === 'error').map(() => f.path));
  const lock = (revision.status.upstreamLock as { git?: { repo: string; directory: string; ref: string; commit: string } }).git;

  return (
    <section className="revision">
      <div className="revision-header">
        <h2>{revision.metadata.name}</h2>
        <span className={`lifecycle ${revision.spec.lifecycle}`}>{revision.spec.lifecycle}</span>
        {revision.spec.revision ? <span>revision {revision.spec.revision}</span> : null}
        {saving && <span className="saving">saving…</span>}
        <div className="actions">
          {(ACTIONS[revision.spec.lifecycle] ?? []).map((a) => (
            <button
              key={a.verb}
              disabled={a.verb === 'propose' && problems.length > 0}
              title={a.verb === 'propose' && problems.length ? `fix the YAML errors in ${[...new Set(problems)].join(', ')} first` : undefined}
              onClick={() => (a.verb !== 'delete' || window.confirm(`Delete ${revision.metadata.name}?`)) && void lifecycleAction(a.verb)}
            >
              {a.label}
            </button>
          ))}
          {revision.spec.lifecycle === 'Published' && revision.spec.revision !== -1 && (
            <button onClick={() => { const ws = window.prompt('Workspace name of the new revision', `v${(revision.spec.revision ?? 0) + 1}`); if (ws) void copy(ws); }}>New revision</button>
          )}
          {revision.spec.lifecycle === 'Published' && revision.spec.revision !== -1 && (
            <button
              onClick={() => {
                const repository = window.prompt(`Clone into which repository? (${repositories.map((r) => r.metadata.name).join(', ')})`, revision.spec.repository);
                const name = repository && window.prompt('Name of the new package', `${revision.spec.packageName.split('/').pop()}-copy`);
                if (repository && name) void clone({ repository, name, workspace: 'v1' });
              }}
            >
              Clone
            </button>
          )}
          {revision.spec.lifecycle === 'Published' && revision.spec.tasks?.some((t) => t.type === 'clone' || t.type === 'upgrade' || t.type === 'edit') && (
            <button onClick={() => { const ws = window.prompt('Workspace name of the upgraded draft', 'upgrade'); if (ws) void upgrade(ws); }}>Upgrade</button>
          )}
        </div>
      </div>
      <dl className="summary">
        <dt>Package</dt><dd>{revision.spec.packageName} in {revision.spec.repository}</dd>
        {lock && (<><dt>Upstream</dt><dd>{lock.repo} {lock.directory}@{lock.ref} ({lock.commit.slice(0, 12)})</dd></>)}
        {revision.spec.readinessGates?.length ? (<><dt>Readiness gates</dt><dd>{revision.spec.readinessGates.map((g) => g.conditionType).join(', ')}</dd></>) : null}
        {revision.status.conditions?.length ? (<><dt>Conditions</dt><dd>{revision.status.conditions.map((c) => `${c.type}=${c.status}`).join(', ')}</dd></>) : null}
        {revision.spec.tasks?.length ? (<><dt>Tasks</dt><dd>{revision.spec.tasks.map((t) => t.type).join(', ')}</dd></>) : null}
      </dl>
      <div className="tabs">
        <button className={tab === 'edit' ? 'active' : ''} onClick={() => setTab('edit')}>Files</button>
        <button className={tab === 'diff' ? 'active' : ''} onClick={() => setTab('diff')} disabled={!siblings.length}>Diff</button>
        {tab === 'diff' && (
          <select aria-label="Compare with" value={baseName} onChange={(e) => setBaseName(e.target.value)}>
            {siblings.map((s) => <option key={s.metadata.name}>{s.metadata.name}</option>)}
          </select>
        )}
      </div>
      <div className="workspace">
        <ul className="files" aria-label="Files">
          {files.map((f) => (
            <li key={f.path} className={f.path === activeFile ? 'active' : ''}>
              <button onClick={() => select(f.path)}>{f.path}</button>
              {draft && f.path !== 'Kptfile' && (
                <>
                  <button title="Rename" className="small" onClick={() => { const to = window.prompt('New name', f.path); if (to && to !== f.path) void renameFile(f.path, to); }}>rename</button>
                  <button title="Delete" className="small" onClick={() => window.confirm(`Delete ${f.path}?`) && void removeFile(f.path)}>delete</button>
                </>
              )}
            </li>
          ))}
          {draft && <li><button onClick={() => { const p = window.prompt('New file name', 'resource.yaml'); if (p) void addFile(p); }}>+ Add file</button></li>}
        </ul>
        <div className="pane">
          {tab === 'edit' && current && <Editor key={`${revision.metadata.name}/${current.path}/${draft}`} path={current.path} text={current.text} editable={draft} onSave={(text) => save(current.path, text)} />}
          {tab === 'diff' && <DiffView base={base} baseName={baseName} current={files} activeFile={activeFile} />}
        </div>
      </div>
    </section>
  );
}

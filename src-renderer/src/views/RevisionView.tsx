// One package revision: the actions its lifecycle allows, the Kptfile summary,
// its tasks, the package's other revisions, its files in the editor (Drafts
// only are editable) and the diff against its base, its upstream or any other
// revision of the package.
import { useEffect, useState } from 'react';
import YAML from 'yaml';
import type { RequestOf } from '../../../src-shared/contract.ts';
import type { PackageRevision, Task } from '../../../src-shared/domain.ts';
import { call, decode } from '../api.ts';
import { runningKey, useStore, type OpenFile } from '../store.ts';
import { Editor, forgetEditorStates } from './Editor.tsx';
import { checkPackage } from '../../../src-shared/package-check.ts';
import { DiffView } from './DiffView.tsx';
import { FormDialog } from './FormDialog.tsx';
import { CloneDialog } from './CloneDialog.tsx';
import { ProgressBar } from './ProgressBar.tsx';

type Verb = RequestOf<'revisions.lifecycle'>['verb'];

const ACTIONS: Record<string, { verb: Verb; label: string; confirm?: string }[]> = {
  Draft: [
    { verb: 'propose', label: 'Propose' },
    { verb: 'delete', label: 'Delete', confirm: 'Delete this draft? It exists only here.' },
  ],
  Proposed: [
    { verb: 'approve', label: 'Approve' },
    { verb: 'reject', label: 'Reject' },
    { verb: 'delete', label: 'Delete', confirm: 'Delete this proposal? It exists only here.' },
  ],
  Published: [{ verb: 'propose-delete', label: 'Propose deletion' }],
  DeletionProposed: [
    { verb: 'reject', label: 'Reject deletion' },
    { verb: 'delete', label: 'Delete', confirm: 'Delete this published revision? Its tag is removed from Git.' },
  ],
};

const UPSTREAM = '\u0000upstream';

/** The revision a draft was made from (its edit task's source), the usual thing to compare with. */
function baseOf(revision: PackageRevision, siblings: readonly PackageRevision[]): string {
  const edit = revision.spec.tasks?.find((t) => t.type === 'edit') as (Task & { edit?: { sourceRef?: { name?: string } } }) | undefined;
  const source = edit?.edit?.sourceRef?.name;
  if (source && siblings.some((s) => s.metadata.name === source)) return source;
  const latest = siblings.find((r) => r.metadata.labels?.['kpt.dev/latest-revision'] === 'true') ?? siblings.find((r) => r.spec.lifecycle === 'Published');
  if (latest) return latest.metadata.name;
  return hasUpstream(revision) ? UPSTREAM : (siblings[0]?.metadata.name ?? '');
}

const hasUpstream = (r: PackageRevision) => Boolean((r.status.upstreamLock as { git?: unknown }).git);

type Dialog = 'new-revision' | 'clone' | 'upgrade' | 'add-file' | { rename: string };

export function RevisionView() {
  const {
    revision,
    files,
    activeFile,
    select,
    save,
    saving,
    lifecycleAction,
    copy,
    upgrade,
    addFile,
    removeFile,
    renameFile,
    siblings,
    namespace,
    open,
    running,
  } = useStore();
  const [tab, setTab] = useState<'edit' | 'diff'>('edit');
  const [baseName, setBaseName] = useState('');
  const [base, setBase] = useState<{ files: OpenFile[]; label: string; loading: boolean; error?: string }>({ files: [], label: '', loading: false });
  const [dialog, setDialog] = useState<Dialog>();
  const name = revision?.metadata.name;
  useEffect(() => {
    if (revision) setBaseName(baseOf(revision, siblings));
    return () => {
      if (name) forgetEditorStates(name);
    };
    // A different revision: a new default base, and the old one's editor histories go.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [name]);
  useEffect(() => {
    if (!baseName || !name) return setBase({ files: [], label: '', loading: false });
    let live = true;
    setBase({ files: [], label: baseName === UPSTREAM ? 'the upstream' : baseName, loading: true });
    const read =
      baseName === UPSTREAM
        ? call('revisions.upstreamResources', { namespace, name }).then((o) => ({ label: `upstream ${o.source}`, files: o.files }))
        : call('revisions.resources', { namespace, name: baseName }).then((o) => ({ label: baseName, files: o.files }));
    read.then(
      (o) => live && setBase({ label: o.label, loading: false, files: o.files.map((f) => ({ path: f.path, text: decode(f.base64) })) }),
      (e: Error) => live && setBase({ files: [], label: baseName, loading: false, error: e.message }),
    );
    return () => {
      live = false;
    };
  }, [baseName, namespace, name]);
  if (!revision) return null;
  const draft = revision.spec.lifecycle === 'Draft';
  const published = revision.spec.lifecycle === 'Published' && revision.spec.revision !== -1;
  const current = files.find((f) => f.path === activeFile);
  const problems = [...new Set(checkPackage(files).map((p) => p.path))];
  const upstream = kptfileUpstream(files);
  const lock = (revision.status.upstreamLock as { git?: { repo: string; directory: string; ref: string; commit: string } }).git;
  const publishing = running[runningKey('publish', revision.metadata.name)];
  const cloned = revision.spec.tasks?.some((t) => t.type === 'clone' || t.type === 'upgrade' || t.type === 'edit');

  return (
    <section className="revision">
      <div className="revision-header">
        <h2>{revision.metadata.name}</h2>
        <span className={`lifecycle ${revision.spec.lifecycle}`}>{revision.spec.lifecycle}</span>
        {revision.spec.revision ? <span>revision {revision.spec.revision}</span> : null}
        {saving && <span className="saving">saving…</span>}
        {publishing && <ProgressBar running={publishing} />}
        <div className="actions">
          {(ACTIONS[revision.spec.lifecycle] ?? []).map((a) => (
            <button
              key={a.verb}
              disabled={((a.verb === 'propose' || a.verb === 'approve') && problems.length > 0) || Boolean(publishing)}
              title={(a.verb === 'propose' || a.verb === 'approve') && problems.length ? `fix the problems in ${problems.join(', ')} first` : undefined}
              onClick={() => (!a.confirm || window.confirm(a.confirm)) && void lifecycleAction(a.verb)}
            >
              {a.label}
            </button>
          ))}
          {published && <button onClick={() => setDialog('new-revision')}>New revision</button>}
          {published && <button onClick={() => setDialog('clone')}>Clone</button>}
          {published && cloned && <button onClick={() => setDialog('upgrade')}>Upgrade</button>}
        </div>
      </div>
      {draft && problems.length > 0 && <p className="bad">Saved, but it cannot be proposed until the problems marked in {problems.join(', ')} are fixed.</p>}
      <dl className="summary">
        <dt>Package</dt>
        <dd>
          {revision.spec.packageName} in {revision.spec.repository}
        </dd>
        {upstream?.git && (
          <>
            <dt>Upstream</dt>
            <dd>
              {upstream.git.repo} {upstream.git.directory}@{upstream.git.ref}
              {upstream.updateStrategy ? `, ${upstream.updateStrategy}` : ''}
            </dd>
          </>
        )}
        {lock && (
          <>
            <dt>Upstream lock</dt>
            <dd>
              {lock.repo} {lock.directory}@{lock.ref} ({lock.commit.slice(0, 12)})
            </dd>
          </>
        )}
        {revision.spec.readinessGates?.length ? (
          <>
            <dt>Readiness gates</dt>
            <dd>{revision.spec.readinessGates.map((g) => g.conditionType).join(', ')}</dd>
          </>
        ) : null}
        {revision.status.conditions?.length ? (
          <>
            <dt>Conditions</dt>
            <dd>
              {revision.status.conditions.map((c) => (
                <span key={c.type} className={`condition ${c.status}`} title={c.message}>
                  {c.type}={c.status}
                </span>
              ))}
            </dd>
          </>
        ) : null}
        {revision.status.publishedBy ? (
          <>
            <dt>Published</dt>
            <dd>
              by {revision.status.publishedBy}
              {revision.status.publishTimestamp ? ` at ${new Date(revision.status.publishTimestamp).toLocaleString()}` : ''}
            </dd>
          </>
        ) : null}
      </dl>
      <details className="history">
        <summary>
          Tasks ({revision.spec.tasks?.length ?? 0}) and other revisions of the package ({siblings.length})
        </summary>
        <div className="history-grid">
          <table aria-label="Tasks">
            <thead>
              <tr>
                <th>#</th>
                <th>Task</th>
                <th>Details</th>
              </tr>
            </thead>
            <tbody>
              {(revision.spec.tasks ?? []).map((t, i) => (
                <tr key={i}>
                  <td>{i + 1}</td>
                  <td>{t.type}</td>
                  <td>
                    <code>{describeTask(t)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <table aria-label="Revisions of the package">
            <thead>
              <tr>
                <th>Revision</th>
                <th>Workspace</th>
                <th>Lifecycle</th>
              </tr>
            </thead>
            <tbody>
              {siblings.map((s) => (
                <tr
                  key={s.metadata.name}
                  onClick={() => void open(s.metadata.name)}
                  tabIndex={0}
                  onKeyDown={(e) => e.key === 'Enter' && void open(s.metadata.name)}
                >
                  <td>{s.spec.revision ?? 0}</td>
                  <td>{s.spec.workspaceName}</td>
                  <td>
                    <span className={`lifecycle ${s.spec.lifecycle}`}>{s.spec.lifecycle}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
      <div className="tabs">
        <button className={tab === 'edit' ? 'active' : ''} onClick={() => setTab('edit')}>
          Files
        </button>
        <button className={tab === 'diff' ? 'active' : ''} onClick={() => setTab('diff')} disabled={!siblings.length && !lock}>
          Diff
        </button>
        {tab === 'diff' && (
          <select aria-label="Compare with" value={baseName} onChange={(e) => setBaseName(e.target.value)}>
            {lock && (
              <option value={UPSTREAM}>
                upstream ({lock.directory}@{lock.ref})
              </option>
            )}
            {siblings.map((s) => (
              <option key={s.metadata.name} value={s.metadata.name}>
                {s.metadata.name} ({s.spec.lifecycle}
                {s.spec.revision ? ` v${s.spec.revision}` : ''})
              </option>
            ))}
          </select>
        )}
      </div>
      <div className="workspace">
        <ul className="files" aria-label="Files">
          {fileTree(files).map(({ file: f, dirs, depth }) => (
            <li key={f.path} className={f.path === activeFile ? 'active' : ''} style={{ paddingLeft: `${depth}rem` }}>
              {dirs.map((d) => (
                <span key={d.path} className="dir" style={{ marginLeft: `${d.depth - depth}rem` }}>
                  {d.name}/
                </span>
              ))}
              <button onClick={() => select(f.path)} title={f.path}>
                {f.path.split('/').pop()}
              </button>
              {draft && f.path !== 'Kptfile' && (
                <>
                  <button aria-label={`Rename ${f.path}`} className="small" onClick={() => setDialog({ rename: f.path })}>
                    rename
                  </button>
                  <button aria-label={`Delete ${f.path}`} className="small" onClick={() => window.confirm(`Delete ${f.path}?`) && void removeFile(f.path)}>
                    delete
                  </button>
                </>
              )}
            </li>
          ))}
          {draft && (
            <li>
              <button onClick={() => setDialog('add-file')}>+ Add file</button>
            </li>
          )}
        </ul>
        <div className="pane">
          {tab === 'edit' && current && (
            <Editor
              key={`${revision.metadata.name}/${current.path}/${draft}`}
              revision={revision.metadata.name}
              path={current.path}
              text={current.text}
              editable={draft}
              onSave={(text) => save(current.path, text)}
            />
          )}
          {tab === 'diff' && (
            <DiffView base={base.files} baseName={base.label} current={files} activeFile={activeFile} loading={base.loading} error={base.error} />
          )}
        </div>
      </div>
      {dialog === 'new-revision' && (
        <FormDialog
          title={`New revision of ${revision.spec.packageName}`}
          submit="Create draft"
          fields={[{ name: 'workspace', label: 'Workspace name', initial: `v${(revision.spec.revision ?? 0) + 1}`, required: true }]}
          onSubmit={async (v) => {
            await copy(String(v.workspace));
            return useStore.getState().revision?.metadata.name !== revision.metadata.name;
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog === 'clone' && (
        <CloneDialog
          from={{ name: revision.metadata.name, packageName: revision.spec.packageName, repository: revision.spec.repository }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog === 'upgrade' && (
        <FormDialog
          title={`Upgrade ${revision.metadata.name}`}
          submit="Upgrade"
          fields={[
            { name: 'workspace', label: 'Workspace of the upgraded draft', initial: 'upgrade', required: true },
            { name: 'revision', label: 'To upstream revision (empty: the latest)', type: 'number' },
            {
              name: 'strategy',
              label: 'Strategy',
              type: 'select',
              options: ['resource-merge', 'fast-forward', 'force-delete-replace', 'copy-merge'].map((s) => ({ value: s, label: s })),
            },
          ]}
          onSubmit={async (v) => {
            await upgrade({ workspace: String(v.workspace), revision: v.revision ? Number(v.revision) : undefined, strategy: String(v.strategy) });
            return useStore.getState().revision?.metadata.name !== revision.metadata.name;
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog === 'add-file' && (
        <FormDialog
          title="Add a file"
          submit="Add"
          fields={[
            {
              name: 'path',
              label: 'File name',
              initial: 'resource.yaml',
              required: true,
              help: 'A path inside the package, such as deployment.yaml or config/settings.yaml.',
            },
          ]}
          onSubmit={async (v) => {
            await addFile(String(v.path));
            return useStore.getState().files.some((f) => f.path === v.path);
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {typeof dialog === 'object' && (
        <FormDialog
          title={`Rename ${dialog.rename}`}
          submit="Rename"
          fields={[{ name: 'path', label: 'New name', initial: dialog.rename, required: true }]}
          onSubmit={async (v) => {
            if (v.path === dialog.rename) return true;
            await renameFile(dialog.rename, String(v.path));
            return useStore.getState().files.some((f) => f.path === v.path);
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
    </section>
  );
}

/** A task in one line: what it was made from. */
function describeTask(t: Task): string {
  const { type: _type, ...rest } = t as Task & Record<string, unknown>;
  const body = rest[t.type] ?? rest;
  const text = JSON.stringify(body);
  return text === '{}' ? '' : text;
}

interface TreeRow {
  file: OpenFile;
  depth: number;
  /** Directories that start just above this file: shown once, before their first file. */
  dirs: { path: string; name: string; depth: number }[];
}

/** Files in path order, as a tree: each directory named once, above its first file. */
export function fileTree(files: readonly OpenFile[]): TreeRow[] {
  const seen = new Set<string>();
  return [...files]
    .sort((a, b) => (a.path === 'Kptfile' ? -1 : b.path === 'Kptfile' ? 1 : a.path.localeCompare(b.path)))
    .map((file) => {
      const parts = file.path.split('/').slice(0, -1);
      const dirs = parts.map((name, i) => ({ path: parts.slice(0, i + 1).join('/'), name, depth: i })).filter((d) => !seen.has(d.path));
      for (const d of dirs) seen.add(d.path);
      return { file, depth: parts.length, dirs };
    });
}

/** The Kptfile's upstream (where the package comes from and how it upgrades), as written in the file. */
function kptfileUpstream(files: readonly OpenFile[]): { git?: { repo: string; directory: string; ref: string }; updateStrategy?: string } | undefined {
  const text = files.find((f) => f.path === 'Kptfile')?.text;
  if (!text) return undefined;
  try {
    return (YAML.parse(text) as { upstream?: { git?: { repo: string; directory: string; ref: string }; updateStrategy?: string } } | null)?.upstream;
  } catch {
    return undefined;
  }
}

// What changed against another version of the package (its base, its
// upstream, or any revision of it): unified (`diff`) or side by side
// (@codemirror/merge), for the open file or the whole package.
import { useEffect, useMemo, useRef, useState } from 'react';
import { MergeView } from '@codemirror/merge';
import { EditorView, basicSetup } from 'codemirror';
import { EditorState } from '@codemirror/state';
import { yaml } from '@codemirror/lang-yaml';
import { createTwoFilesPatch } from 'diff';
import type { OpenFile } from '../store.ts';

function SideBySide(props: { before: string; after: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const readOnly = [basicSetup, yaml(), EditorView.editable.of(false), EditorState.readOnly.of(true)];
    const view = new MergeView({ parent: host.current!, a: { doc: props.before, extensions: readOnly }, b: { doc: props.after, extensions: readOnly } });
    return () => view.destroy();
  }, [props.before, props.after]);
  return <div className="merge" ref={host} />;
}

/** Paths that differ between two versions, sorted; added and removed files included. */
export function changedPaths(base: readonly OpenFile[], current: readonly OpenFile[]): string[] {
  const paths = [...new Set([...base.map((f) => f.path), ...current.map((f) => f.path)])].sort();
  return paths.filter((p) => base.find((f) => f.path === p)?.text !== current.find((f) => f.path === p)?.text);
}

export function filePatch(path: string, before: string | undefined, after: string | undefined): string {
  return createTwoFilesPatch(
    before === undefined ? '/dev/null' : `a/${path}`,
    after === undefined ? '/dev/null' : `b/${path}`,
    before ?? '',
    after ?? '',
    '',
    '',
    { context: 3 },
  );
}

export function DiffView(props: { base: OpenFile[]; baseName: string; current: OpenFile[]; activeFile?: string; loading?: boolean; error?: string }) {
  const [mode, setMode] = useState<'unified' | 'side'>('unified');
  const [scope, setScope] = useState<'package' | 'file'>('package');
  const changed = useMemo(() => changedPaths(props.base, props.current), [props.base, props.current]);
  const paths = scope === 'file' ? (props.activeFile ? [props.activeFile] : []) : changed;
  const text = (files: readonly OpenFile[], p: string) => files.find((f) => f.path === p)?.text;
  const patch = useMemo(
    () =>
      paths
        .map((p) => (text(props.base, p) === text(props.current, p) ? '' : filePatch(p, text(props.base, p), text(props.current, p))))
        .filter(Boolean)
        .join('\n'),
    [paths, props.base, props.current],
  );
  return (
    <div className="diff">
      <div className="diff-toolbar">
        <span>
          Against <strong>{props.baseName}</strong>: {changed.length} file{changed.length === 1 ? '' : 's'} changed
        </span>
        <span className="toggle" role="group" aria-label="Scope">
          <button className={scope === 'package' ? 'active' : ''} onClick={() => setScope('package')}>
            Whole package
          </button>
          <button className={scope === 'file' ? 'active' : ''} onClick={() => setScope('file')} disabled={!props.activeFile}>
            This file
          </button>
        </span>
        <span className="toggle" role="group" aria-label="Layout">
          <button className={mode === 'unified' ? 'active' : ''} onClick={() => setMode('unified')}>
            Unified
          </button>
          <button className={mode === 'side' ? 'active' : ''} onClick={() => setMode('side')}>
            Side by side
          </button>
        </span>
      </div>
      {props.error ? (
        <p className="bad" role="alert">
          {props.error}
        </p>
      ) : props.loading ? (
        <p>Reading {props.baseName}…</p>
      ) : mode === 'unified' ? (
        <pre className="patch" data-testid="patch">
          {patch || 'No differences.'}
        </pre>
      ) : (
        <div data-testid="side-by-side">
          {paths
            .filter((p) => text(props.base, p) !== text(props.current, p))
            .map((p) => (
              <div key={p} className="merge-file">
                <h4>
                  {p}
                  {text(props.base, p) === undefined ? ' (added)' : text(props.current, p) === undefined ? ' (removed)' : ''}
                </h4>
                <SideBySide before={text(props.base, p) ?? ''} after={text(props.current, p) ?? ''} />
              </div>
            ))}
          {!paths.some((p) => text(props.base, p) !== text(props.current, p)) && <p>No differences.</p>}
        </div>
      )}
    </div>
  );
}

// What changed against another revision of the package: side by side for one
// file (@codemirror/merge), or the whole package as a unified diff.
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

export function packagePatch(base: readonly OpenFile[], current: readonly OpenFile[]): string {
  const paths = [...new Set([...base.map((f) => f.path), ...current.map((f) => f.path)])].sort();
  return paths
    .map((p) => {
      const a = base.find((f) => f.path === p)?.text;
      const b = current.find((f) => f.path === p)?.text;
      if (a === b) return '';
      return createTwoFilesPatch(a === undefined ? '/dev/null' : `a/${p}`, b === undefined ? '/dev/null' : `b/${p}`, a ?? '', b ?? '', '', '', { context: 3 });
    })
    .filter(Boolean)
    .join('\n');
}

export function DiffView(props: { base: OpenFile[]; baseName: string; current: OpenFile[]; activeFile?: string }) {
  const [mode, setMode] = useState<'side' | 'unified'>('unified');
  const patch = useMemo(() => packagePatch(props.base, props.current), [props.base, props.current]);
  const active = props.activeFile;
  return (
    <div className="diff">
      <div className="diff-toolbar">
        Against {props.baseName}:{' '}
        <button className={mode === 'unified' ? 'active' : ''} onClick={() => setMode('unified')}>Whole package (unified)</button>{' '}
        <button className={mode === 'side' ? 'active' : ''} onClick={() => setMode('side')} disabled={!active}>This file (side by side)</button>
      </div>
      {mode === 'unified' ? (
        <pre className="patch" data-testid="patch">{patch || 'No differences.'}</pre>
      ) : (
        active && <SideBySide before={props.base.find((f) => f.path === active)?.text ?? ''} after={props.current.find((f) => f.path === active)?.text ?? ''} />
      )}
    </div>
  );
}

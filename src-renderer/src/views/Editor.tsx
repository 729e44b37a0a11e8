// CodeMirror 6 with YAML highlighting and live checks (parse errors, and
// apiVersion, kind and metadata.name on every resource). Every edit is saved
// to the database shortly after typing stops: nothing is lost on a crash.
// Each file keeps its editor state (and so its undo history) while the
// revision is open: switching files and back still undoes.
import { useEffect, useRef, useState } from 'react';
import { basicSetup, EditorView } from 'codemirror';
import { EditorState, StateEffect } from '@codemirror/state';
import { redo, redoDepth, undo, undoDepth } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { linter } from '@codemirror/lint';
import { checkYaml } from '../yaml-check.ts';
import { registerFlusher } from '../store.ts';

const AUTOSAVE_MS = 400;

/** Editor states of the open revision's files, by `<revision>/<path>`; a state is reused only if its text is still the file's. */
const kept = new Map<string, EditorState>();
export function forgetEditorStates(revision: string): void {
  for (const key of kept.keys()) if (key.startsWith(`${revision}/`)) kept.delete(key);
}

export function Editor(props: { revision: string; path: string; text: string; editable: boolean; onSave: (text: string) => Promise<void> | void }) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView>(undefined);
  const save = useRef(props.onSave);
  save.current = props.onSave;
  const [depth, setDepth] = useState({ undo: 0, redo: 0 });
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pending: string | undefined;
    const flush = async () => {
      clearTimeout(timer);
      const text = pending;
      pending = undefined;
      if (text !== undefined) await save.current(text);
    };
    const unregister = registerFlusher(flush);
    const key = `${props.revision}/${props.path}`;
    const extensions = [
      basicSetup,
      yaml(),
      linter((v) => checkYaml(props.path, v.state.doc.toString()), { delay: 200 }),
      EditorView.editable.of(props.editable),
      EditorState.readOnly.of(!props.editable),
      EditorView.updateListener.of((u) => {
        setDepth({ undo: undoDepth(u.state), redo: redoDepth(u.state) });
        if (!u.docChanged) return;
        pending = u.state.doc.toString();
        clearTimeout(timer);
        timer = setTimeout(() => void flush(), AUTOSAVE_MS);
      }),
    ];
    const previous = kept.get(key);
    // A kept state gets this mount's listeners; basicSetup is the same instance, so its undo history carries over.
    const state =
      props.editable && previous?.doc.toString() === props.text
        ? previous.update({ effects: StateEffect.reconfigure.of(extensions) }).state
        : EditorState.create({ doc: props.text, extensions });
    const editor = new EditorView({ parent: host.current!, state });
    view.current = editor;
    setDepth({ undo: undoDepth(state), redo: redoDepth(state) });
    return () => {
      unregister();
      void flush();
      if (props.editable) kept.set(key, editor.state);
      editor.destroy();
      view.current = undefined;
    };
    // A new file or a lifecycle change gets a new editor; typing does not.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.revision, props.path, props.editable]);
  const run = (command: typeof undo) => {
    if (view.current) command(view.current);
    view.current?.focus();
  };
  return (
    <div className="editor-frame">
      {props.editable && (
        <div className="editor-toolbar">
          <button onClick={() => run(undo)} disabled={!depth.undo} title="Undo (Ctrl+Z)">
            Undo
          </button>
          <button onClick={() => run(redo)} disabled={!depth.redo} title="Redo (Ctrl+Shift+Z or Ctrl+Y)">
            Redo
          </button>
        </div>
      )}
      <div className="editor" ref={host} data-testid="editor" />
    </div>
  );
}

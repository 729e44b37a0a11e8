// CodeMirror 6 with YAML highlighting and live checks (parse errors, and
// apiVersion, kind and metadata.name on every resource). Every edit is saved
// to the database shortly after typing stops: nothing is lost on a crash.
import { useEffect, useRef } from 'react';
import { basicSetup, EditorView } from 'codemirror';
import { EditorState } from '@codemirror/state';
import { yaml } from '@codemirror/lang-yaml';
import { linter, type Diagnostic } from '@codemirror/lint';
import YAML from 'yaml';
import { isKrmFile } from '../../../src-shared/package-files.ts';
import { registerFlusher } from '../store.ts';

const AUTOSAVE_MS = 400;

/** What the editor flags: YAML that does not parse, and KRM objects missing their basics. */
export function checkYaml(path: string, text: string): Diagnostic[] {
  if (!isKrmFile(path)) return [];
  const out: Diagnostic[] = [];
  for (const doc of YAML.parseAllDocuments(text)) {
    for (const err of doc.errors) out.push({ from: err.pos[0], to: Math.max(err.pos[1], err.pos[0] + 1), severity: 'error', message: err.message });
    if (doc.errors.length) continue;
    const value = doc.toJS() as Record<string, unknown> | null;
    if (!value || typeof value !== 'object') continue;
    const range = doc.range ?? [0, 0];
    const missing = ['apiVersion', 'kind'].filter((k) => !value[k]);
    if (!(value.metadata as { name?: unknown } | undefined)?.name) missing.push('metadata.name');
    if (missing.length) out.push({ from: range[0], to: Math.max(range[0] + 1, Math.min(range[1], text.length)), severity: 'warning', message: `a KRM resource needs ${missing.join(', ')}` });
  }
  return out;
}

export function Editor(props: { path: string; text: string; editable: boolean; onSave: (text: string) => Promise<void> | void }) {
  const host = useRef<HTMLDivElement>(null);
  const save = useRef(props.onSave);
  save.current = props.onSave;
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
    const view = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: props.text,
        extensions: [
          basicSetup,
          yaml(),
          linter((v) => checkYaml(props.path, v.state.doc.toString()), { delay: 200 }),
          EditorView.editable.of(props.editable),
          EditorState.readOnly.of(!props.editable),
          EditorView.updateListener.of((u) => {
            if (!u.docChanged) return;
            pending = u.state.doc.toString();
            clearTimeout(timer);
            timer = setTimeout(() => void flush(), AUTOSAVE_MS);
          }),
        ],
      }),
    });
    return () => {
      unregister();
      void flush();
      view.destroy();
    };
    // A new file or a lifecycle change gets a new editor; typing does not.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.path, props.editable]);
  return <div className="editor" ref={host} data-testid="editor" />;
}

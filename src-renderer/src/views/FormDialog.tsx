// A small modal form: every question the window asks (new revision, clone,
// upgrade, rename, ...) is one of these, never window.prompt. Enter submits,
// Escape cancels; the dialog stays open with the service's error when the
// action fails, so nothing typed is lost.
import { useEffect, useState, type FormEvent } from 'react';

export interface Field {
  name: string;
  label: string;
  type?: 'text' | 'password' | 'select' | 'checkbox' | 'number';
  options?: readonly { value: string; label: string }[];
  initial?: string | boolean;
  required?: boolean;
  placeholder?: string;
  /** Shown under the field. */
  help?: string;
  /** Hidden unless this returns true for the current values. */
  when?: (values: Values) => boolean;
}

export type Values = Record<string, string | boolean>;

export function FormDialog(props: {
  title: string;
  fields: readonly Field[];
  submit: string;
  onSubmit: (values: Values) => Promise<boolean | string>;
  onClose: () => void;
}) {
  const [values, setValues] = useState<Values>(() =>
    Object.fromEntries(props.fields.map((f) => [f.name, f.initial ?? (f.type === 'checkbox' ? false : (f.options?.[0]?.value ?? ''))])),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && props.onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [props]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const out = await props.onSubmit(values);
      if (out === true) props.onClose();
      else if (typeof out === 'string') setError(out);
    } finally {
      setBusy(false);
    }
  };
  const shown = props.fields.filter((f) => !f.when || f.when(values));
  return (
    <div className="palette-backdrop" onClick={props.onClose}>
      <form className="dialog" role="dialog" aria-label={props.title} onClick={(e) => e.stopPropagation()} onSubmit={(e) => void submit(e)}>
        <h3>{props.title}</h3>
        {shown.map((f, i) => (
          <label key={f.name} className={f.type === 'checkbox' ? 'check' : ''}>
            {f.type === 'checkbox' ? (
              <input type="checkbox" checked={values[f.name] === true} onChange={(e) => setValues({ ...values, [f.name]: e.target.checked })} />
            ) : null}
            {f.label}
            {f.type === 'select' ? (
              <select aria-label={f.label} value={String(values[f.name])} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}>
                {f.options?.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            ) : f.type === 'checkbox' ? null : (
              <input
                aria-label={f.label}
                autoFocus={i === 0}
                type={f.type ?? 'text'}
                required={f.required}
                placeholder={f.placeholder}
                value={String(values[f.name])}
                onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
              />
            )}
            {f.help && <small>{f.help}</small>}
          </label>
        ))}
        {error && (
          <p className="bad" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" disabled={busy}>
            {busy ? 'Working…' : props.submit}
          </button>
        </div>
      </form>
    </div>
  );
}

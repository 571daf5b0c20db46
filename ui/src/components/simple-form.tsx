// The small forms shown without a session (installer, e-mail confirmations, sign-in): a heading, inputs, a
// status line. A failure shows the server's message and its per-field details, as the minimal page did.
import { useState } from 'preact/hooks';
import { errorText, fieldErrors } from '../pb';
import { Field } from './field';

export interface SimpleField {
  name: string;
  label: string;
  type: 'email' | 'password' | 'text';
  autocomplete?: string;
}

interface Props {
  title: string;
  fields: SimpleField[];
  submitLabel: string;
  /** A line above the form (why it is shown). */
  intro?: string | undefined;
  /** Does the work; resolves to the success message (or undefined when the page moves on by itself). */
  onSubmit: (values: Record<string, string>) => Promise<string | undefined>;
}

export function SimpleForm({ title, fields, submitLabel, intro, onSubmit }: Props) {
  const [status, setStatus] = useState<{ kind: '' | 'ok' | 'error'; text: string }>({ kind: '', text: '' });
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const values = Object.fromEntries(new FormData(form)) as Record<string, string>;
    setBusy(true);
    setStatus({ kind: '', text: 'Working...' });
    try {
      const message = await onSubmit(values);
      if (message) {
        setDone(true);
        setStatus({ kind: 'ok', text: message });
      }
    } catch (err) {
      const details = Object.entries(fieldErrors(err)).map(([field, text]) => `${field}: ${text}`);
      setStatus({ kind: 'error', text: [errorText(err), ...details].join(' ') });
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="narrow">
      <p class="brand">Satchel</p>
      <h1>{title}</h1>
      {intro && <p>{intro}</p>}
      {!done && (
        <form onSubmit={submit}>
          {fields.map((field) => (
            <Field key={field.name} id={field.name} label={field.label}>
              <input id={field.name} name={field.name} type={field.type} autocomplete={field.autocomplete} required />
            </Field>
          ))}
          <button type="submit" class="primary" disabled={busy}>
            {submitLabel}
          </button>
        </form>
      )}
      <p class={status.kind} role="status">
        {status.text}
      </p>
    </main>
  );
}

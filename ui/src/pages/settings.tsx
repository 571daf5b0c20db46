// #/settings: the application settings (meta) through pb.settings.
import { useEffect, useState } from 'preact/hooks';
import { errorText, fieldErrors, pb } from '../pb';
import { Field } from '../components/field';

const META = [
  ['appName', 'Application name', 'text'],
  ['appURL', 'Application URL', 'url'],
  ['senderName', 'Sender name', 'text'],
  ['senderAddress', 'Sender address', 'email'],
] as const;

type Meta = Record<(typeof META)[number][0], string>;

export function SettingsPage() {
  const [meta, setMeta] = useState<Meta | undefined>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<{ kind: string; text: string }>({ kind: '', text: '' });

  useEffect(() => {
    pb.settings
      .getAll()
      .then((all) => setMeta({ ...(all.meta as Meta) }))
      .catch((err: unknown) => setStatus({ kind: 'error', text: errorText(err) }));
  }, []);

  async function save(event: Event) {
    event.preventDefault();
    if (!meta) return;
    setStatus({ kind: '', text: 'Saving...' });
    try {
      const saved = await pb.settings.update({ meta });
      setMeta({ ...(saved.meta as Meta) });
      setErrors({});
      setStatus({ kind: 'ok', text: 'Settings saved.' });
    } catch (err) {
      // Errors come nested under the group: data.meta.<field>.
      const nested = (fieldErrors(err).meta ?? '') as string;
      let byField: Record<string, string> = {};
      try {
        byField = Object.fromEntries(
          Object.entries(JSON.parse(nested || '{}') as Record<string, { message?: string }>).map(([k, v]) => [
            k,
            v.message ?? '',
          ]),
        );
      } catch {
        byField = {};
      }
      setErrors(byField);
      setStatus({ kind: 'error', text: errorText(err) });
    }
  }

  return (
    <main class="content narrow-content">
      <h1>Settings</h1>
      <h2>Application</h2>
      {meta && (
        <form onSubmit={save}>
          {META.map(([name, label, type]) => (
            <Field key={name} id={`meta-${name}`} label={label} error={errors[name]}>
              <input
                id={`meta-${name}`}
                type={type}
                value={meta[name] ?? ''}
                onInput={(e) => setMeta({ ...meta, [name]: e.currentTarget.value })}
              />
            </Field>
          ))}
          <button type="submit" class="primary">
            Save settings
          </button>
        </form>
      )}
      <p class={status.kind} role="status">
        {status.text}
      </p>
    </main>
  );
}

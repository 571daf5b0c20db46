// One section of the settings: its inputs over the group's values, saved with a PATCH of that group only; the
// server's messages beside their inputs; a note where a flag decides the value; a connection test where one exists.
import { useState } from 'preact/hooks';
import { ClientResponseError } from 'pocketbase';
import { Field } from '../components/field';
import { errorText, pb } from '../pb';
import { schemaErrors } from '../collections/schema-draft';
import { RateLimitRules } from './rate-limit-rules';
import { valueAt, withValue, type RateLimitRuleValue, type SettingInput, type SettingsGroup } from './groups';

interface Props {
  section: SettingsGroup;
  /** The group's values as the server answered them. */
  values: Record<string, unknown>;
  overriddenBy: Record<string, string>;
  onSaved: (all: Record<string, unknown>) => void;
}

/** The group's values with empty secrets left out: the server keeps a secret a PATCH does not send. */
function withoutEmptySecrets(section: SettingsGroup, values: Record<string, unknown>): Record<string, unknown> {
  let out = values;
  for (const input of section.inputs) {
    if (input.kind === 'secret' && !valueAt(out, input.path)) {
      const parts = input.path.split('.');
      const last = parts.pop()!;
      const parent = { ...((parts.length ? valueAt(out, parts.join('.')) : out) as Record<string, unknown>) };
      delete parent[last];
      out = parts.length ? withValue(out, parts.join('.'), parent) : parent;
    }
  }
  return out;
}

export function SettingsForm({ section, values, overriddenBy, onSaved }: Props) {
  const [draft, setDraft] = useState(values);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState({ kind: '', text: '' });
  const [testTo, setTestTo] = useState('');
  const id = (input: SettingInput) => `setting-${section.id}-${input.path.replaceAll('.', '-')}`;
  const override = (path: string) =>
    overriddenBy[`${section.group}.${path}`] ?? overriddenBy[section.group] ?? undefined;

  async function save(event: Event) {
    event.preventDefault();
    setStatus({ kind: '', text: 'Saving...' });
    try {
      const saved = await pb.settings.update({ [section.group]: withoutEmptySecrets(section, draft) });
      setErrors({});
      setDraft(saved[section.group] as Record<string, unknown>);
      setStatus({ kind: 'ok', text: 'Settings saved.' });
      onSaved(saved);
    } catch (err) {
      const all = err instanceof ClientResponseError ? schemaErrors(err.response?.data) : {};
      const prefix = `${section.group}.`;
      setErrors(
        Object.fromEntries(Object.entries(all).map(([k, v]) => [k.startsWith(prefix) ? k.slice(prefix.length) : k, v])),
      );
      setStatus({ kind: 'error', text: errorText(err) });
    }
  }

  async function test() {
    setStatus({ kind: '', text: 'Testing...' });
    try {
      if (section.test === 'email') await pb.settings.testEmail('_superusers', testTo, 'verification');
      else await pb.settings.testS3(section.test === 'backups' ? 'backups' : 'storage');
      setStatus({
        kind: 'ok',
        text:
          section.test === 'email'
            ? `A test mail was sent to ${testTo}.`
            : 'The bucket answered: written, read and deleted a test file.',
      });
    } catch (err) {
      setStatus({ kind: 'error', text: `The test failed: ${errorText(err)}` });
    }
  }

  return (
    <form onSubmit={save} aria-labelledby={`settings-${section.id}-heading`}>
      <h2 id={`settings-${section.id}-heading`}>{section.title}</h2>
      {section.inputs.map((input) => {
        const value = valueAt(draft, input.path);
        const set = (next: unknown) => setDraft(withValue(draft, input.path, next));
        const note = override(input.path);
        const hint = note ? `Decided by ${note}: what is saved here applies once it is no longer given.` : input.hint;
        if (input.kind === 'bool') {
          return (
            <div class="field" key={input.path}>
              <label>
                <input
                  id={id(input)}
                  type="checkbox"
                  checked={Boolean(value)}
                  onChange={(e) => set(e.currentTarget.checked)}
                />{' '}
                {input.label}
              </label>
              {hint && <small class="hint">{hint}</small>}
              {errors[input.path] && <p class="field-error">{errors[input.path]}</p>}
            </div>
          );
        }
        return (
          <Field key={input.path} id={id(input)} label={input.label} error={errors[input.path]} hint={hint}>
            {input.kind === 'select' ? (
              <select
                id={id(input)}
                value={String(value ?? '')}
                onChange={(e) => set(typeof value === 'number' ? Number(e.currentTarget.value) : e.currentTarget.value)}
              >
                {input.options!.map(([v, label]) => (
                  <option key={v} value={v}>
                    {label}
                  </option>
                ))}
              </select>
            ) : input.kind === 'list' ? (
              <textarea
                id={id(input)}
                rows={3}
                value={((value as string[] | undefined) ?? []).join('\n')}
                onInput={(e) =>
                  set(
                    e.currentTarget.value
                      .split('\n')
                      .map((l) => l.trim())
                      .filter(Boolean),
                  )
                }
              />
            ) : (
              <input
                id={id(input)}
                type={input.kind === 'secret' ? 'password' : input.kind === 'number' ? 'number' : input.kind}
                autocomplete={input.kind === 'secret' ? 'new-password' : undefined}
                placeholder={input.kind === 'secret' ? 'Unchanged (stored, never shown)' : undefined}
                value={value === undefined || value === null ? '' : String(value)}
                onInput={(e) => set(input.kind === 'number' ? Number(e.currentTarget.value) : e.currentTarget.value)}
              />
            )}
          </Field>
        );
      })}
      {section.rules && (
        <RateLimitRules
          rules={(draft.rules as RateLimitRuleValue[] | undefined) ?? []}
          errors={errors}
          onChange={(rules) => setDraft({ ...draft, rules })}
        />
      )}
      <div class="actions">
        <button type="submit" class="primary">
          Save settings
        </button>
      </div>
      {section.test && (
        <div class="actions">
          {section.test === 'email' && (
            <>
              <label for={`settings-test-to`}>Send a test mail to</label>
              <input
                id="settings-test-to"
                type="email"
                value={testTo}
                onInput={(e) => setTestTo(e.currentTarget.value)}
              />
            </>
          )}
          <button type="button" onClick={() => void test()}>
            {section.test === 'email' ? 'Send test mail' : 'Test the bucket'}
          </button>
        </div>
      )}
      <p class={status.kind} role="status">
        {status.text}
      </p>
    </form>
  );
}

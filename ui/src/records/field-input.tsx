// One form control per field type, labelled, with the field's error next to it.
import type { CollectionField } from 'pocketbase';
import { Field, errorId } from '../components/field';
import { RelationPicker } from './relation-picker';
import { isMultiple, type Draft } from './values';

interface Props {
  field: CollectionField;
  value: Draft;
  error: string | undefined;
  onChange: (value: Draft) => void;
}

export const inputId = (name: string) => `field-${name}`;

export function FieldInput({ field, value, error, onChange }: Props) {
  const id = inputId(field.name);
  const common = {
    id,
    name: field.name,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? errorId(id) : undefined,
  };
  const text = (e: Event) => onChange((e.currentTarget as HTMLInputElement).value);
  const label = field.required ? `${field.name} *` : field.name;

  switch (field.type) {
    case 'bool':
      return (
        <div class={error ? 'field check invalid' : 'field check'}>
          <input
            {...common}
            type="checkbox"
            checked={value === true}
            onChange={(e) => onChange(e.currentTarget.checked)}
          />
          <label for={id}>{field.name}</label>
          {error && (
            <p class="field-error" id={errorId(id)} role="alert">
              {error}
            </p>
          )}
        </div>
      );
    case 'select': {
      const options = (field.values ?? []) as string[];
      if (isMultiple(field)) {
        const chosen = Array.isArray(value) ? value : [];
        const toggle = (option: string, on: boolean) =>
          onChange(on ? [...chosen, option] : chosen.filter((o) => o !== option));
        return (
          <fieldset class={error ? 'field invalid' : 'field'} aria-describedby={error ? errorId(id) : undefined}>
            <legend>{label}</legend>
            {options.map((option) => (
              <label key={option} class="check">
                <input
                  type="checkbox"
                  checked={chosen.includes(option)}
                  onChange={(e) => toggle(option, e.currentTarget.checked)}
                />{' '}
                {option}
              </label>
            ))}
            {error && (
              <p class="field-error" id={errorId(id)} role="alert">
                {error}
              </p>
            )}
          </fieldset>
        );
      }
      return (
        <Field id={id} label={label} error={error}>
          <select {...common} value={String(value)} onChange={text}>
            <option value="">(none)</option>
            {options.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        </Field>
      );
    }
    case 'autodate':
      return (
        <Field id={id} label={field.name} hint="Set by the server.">
          <input {...common} type="text" value={String(value)} readOnly />
        </Field>
      );
    case 'editor':
      return (
        <Field id={id} label={label} error={error}>
          <textarea {...common} rows={6} value={String(value)} onInput={text} />
        </Field>
      );
    case 'text':
    case 'email':
    case 'url':
    case 'number':
    case 'password':
    case 'date': {
      const type = field.type === 'date' ? 'datetime-local' : field.type === 'text' ? 'text' : field.type;
      return (
        <Field id={id} label={label} error={error}>
          <input
            {...common}
            type={type}
            step={field.type === 'number' ? 'any' : undefined}
            autocomplete={field.type === 'password' ? 'new-password' : undefined}
            value={String(value)}
            onInput={text}
          />
        </Field>
      );
    }
    case 'relation':
      return (
        <Field
          id={id}
          label={label}
          error={error}
          hint={isMultiple(field) ? 'Search to add records.' : 'Search to choose a record.'}
        >
          <RelationPicker id={id} field={field} value={String(value)} onChange={onChange} />
        </Field>
      );
    default:
      return (
        <Field id={id} label={label} error={error} hint="JSON">
          <textarea {...common} class="code" rows={4} value={String(value)} onInput={text} />
        </Field>
      );
  }
}

// One field in the schema editor: name, type (chosen once: a stored field keeps its type), required / hidden /
// presentable, every type-specific option as JSON, and moving or removing it.
import type { FieldDraft } from './schema-draft';
import { FIELD_TYPES } from './schema-draft';

interface Props {
  field: FieldDraft;
  index: number;
  count: number;
  errors: Record<string, string>;
  onChange: (field: FieldDraft) => void;
  onMove: (by: number) => void;
  onRemove: () => void;
}

export function FieldRow({ field, index, count, errors, onChange, onMove, onRemove }: Props) {
  const id = (part: string) => `field-${index}-${part}`;
  const error = (key: string) => errors[`fields.${index}.${key}`];
  const fieldError = Object.entries(errors).find(([k]) => k.startsWith(`fields.${index}.`))?.[1];
  const set = (patch: Partial<FieldDraft>) => onChange({ ...field, ...patch });
  return (
    <li class={fieldError ? 'field-row invalid' : 'field-row'} aria-label={`Field ${field.name}`}>
      <div class="row">
        <label class="visually-hidden" for={id('name')}>
          Field {index + 1} name
        </label>
        <input
          id={id('name')}
          value={field.name}
          disabled={field.system}
          onInput={(e) => set({ name: e.currentTarget.value })}
        />
        <label class="visually-hidden" for={id('type')}>
          Field {index + 1} type
        </label>
        <select
          id={id('type')}
          value={field.type}
          disabled={Boolean(field.id)}
          onChange={(e) => set({ type: e.currentTarget.value })}
        >
          {(FIELD_TYPES as readonly string[]).includes(field.type) ? null : (
            <option value={field.type}>{field.type}</option>
          )}
          {FIELD_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        {field.system && <span class="tag">system</span>}
        <label>
          <input
            type="checkbox"
            checked={field.required}
            onChange={(e) => set({ required: e.currentTarget.checked })}
          />{' '}
          required
        </label>
        <label>
          <input type="checkbox" checked={field.hidden} onChange={(e) => set({ hidden: e.currentTarget.checked })} />{' '}
          hidden
        </label>
        <span class="grow" />
        <button type="button" aria-label={`Move ${field.name} up`} disabled={index === 0} onClick={() => onMove(-1)}>
          ↑
        </button>
        <button
          type="button"
          aria-label={`Move ${field.name} down`}
          disabled={index === count - 1}
          onClick={() => onMove(1)}
        >
          ↓
        </button>
        {!field.system && (
          <button type="button" class="danger" aria-label={`Remove ${field.name}`} onClick={onRemove}>
            Remove
          </button>
        )}
      </div>
      <details>
        <summary>Options</summary>
        <label for={id('options')}>Options of {field.name} (JSON)</label>
        <textarea
          id={id('options')}
          class="code"
          rows={4}
          value={field.options}
          onInput={(e) => set({ options: e.currentTarget.value })}
        />
      </details>
      {fieldError && (
        <p class="field-error" role="alert">
          {error('name') ?? error('options') ?? fieldError}
        </p>
      )}
    </li>
  );
}

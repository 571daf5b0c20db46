// A file field: the stored files as links (each removable) and an upload input for new ones, previewed.
import type { CollectionField, RecordModel } from 'pocketbase';
import { Field, errorId } from '../components/field';
import { pb } from '../pb';
import { inputId } from './field-input';
import { isMultiple } from './values';
import { UploadPreviews } from './upload-previews';

export interface FileDraft {
  /** File names the record has now. */
  existing: string[];
  /** Of those, the ones to delete on save. */
  removed: string[];
  /** New uploads. */
  added: File[];
}

interface Props {
  field: CollectionField;
  record: RecordModel | undefined;
  value: FileDraft;
  error: string | undefined;
  onChange: (value: FileDraft) => void;
}

export function FileInput({ field, record, value, error, onChange }: Props) {
  const id = inputId(field.name);
  const toggle = (name: string) =>
    onChange({
      ...value,
      removed: value.removed.includes(name) ? value.removed.filter((n) => n !== name) : [...value.removed, name],
    });
  return (
    <Field id={id} label={field.required ? `${field.name} *` : field.name} error={error}>
      {value.existing.length > 0 && record && (
        <ul class="files">
          {value.existing.map((name) => {
            const removed = value.removed.includes(name);
            return (
              <li key={name} class={removed ? 'removed' : undefined}>
                <a href={pb.files.getURL(record, name)} target="_blank" rel="noopener">
                  {name}
                </a>{' '}
                <button
                  type="button"
                  class="link"
                  onClick={() => toggle(name)}
                  aria-label={`${removed ? 'Keep' : 'Remove'} ${name}`}
                >
                  {removed ? 'Keep' : 'Remove'}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <input
        id={id}
        name={field.name}
        type="file"
        multiple={isMultiple(field)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId(id) : undefined}
        onChange={(e) => onChange({ ...value, added: Array.from(e.currentTarget.files ?? []) })}
      />
      <UploadPreviews files={value.added} />
    </Field>
  );
}

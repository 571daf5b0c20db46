// Create, edit and delete one record. Only changed values are sent on edit, so a field the form shows
// approximately (a datetime to the minute) is not rewritten by saving something else.
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { CollectionField, CollectionModel, RecordModel } from 'pocketbase';
import { errorText, fieldErrors, pb } from '../pb';
import { href, navigate } from '../router';
import { setNotice } from '../notice';
import { Field } from '../components/field';
import { FieldInput, inputId } from './field-input';
import { FileInput, type FileDraft } from './file-input';
import { AuthActions } from './auth-actions';
import { DraftError, fromDraft, isMultiple, toDraft, type Draft } from './values';

interface Props {
  collection: CollectionModel;
  recordId: string | undefined;
  /** For a new record: the id of one whose values it starts with (Duplicate). */
  copyOf?: string | undefined;
  /** Called after a save or delete, so the table reloads. */
  onChanged: () => void;
}

/**
 * The fields the form shows: not id (the server makes it), not hidden ones except a password, no dates the server
 * sets on a record that does not exist yet; an auth collection's password comes after its e-mail, as people expect.
 */
function formFields(collection: CollectionModel, creating: boolean): CollectionField[] {
  const shown = collection.fields.filter(
    (f) => f.name !== 'id' && (!f.hidden || f.type === 'password') && !(creating && f.type === 'autodate'),
  );
  const password = shown.findIndex((f) => f.type === 'password');
  const email = shown.findIndex((f) => f.name === 'email');
  if (password >= 0 && email > password) shown.splice(email, 0, ...shown.splice(password, 1));
  return shown;
}

const isAuth = (collection: CollectionModel) => collection.type === 'auth';

export function RecordForm({ collection, recordId, copyOf, onChanged }: Props) {
  const fields = formFields(collection, !recordId);
  const [record, setRecord] = useState<RecordModel | undefined>();
  const [initial, setInitial] = useState<Record<string, Draft>>({});
  const [draft, setDraft] = useState<Record<string, Draft>>({});
  const [files, setFiles] = useState<Record<string, FileDraft>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  // Inputs appear once the record is there: typing into them earlier would be overwritten by the load.
  const [loaded, setLoaded] = useState(false);
  const back = href('collections', collection.name);

  useEffect(() => {
    // A new record may start as a copy of another (Duplicate): its values, never its id, files or password.
    const sourceId = recordId ?? copyOf;
    const load = sourceId ? pb.collection(collection.name).getOne(sourceId) : Promise.resolve(undefined);
    load
      .then((loaded) => {
        const found = recordId ? loaded : undefined;
        const copy = recordId ? undefined : loaded;
        const values: Record<string, Draft> = {};
        const stored: Record<string, FileDraft> = {};
        for (const f of fields) {
          if (f.type === 'file') {
            const names = found?.[f.name] as unknown;
            stored[f.name] = {
              existing: Array.isArray(names) ? names : names ? [String(names)] : [],
              removed: [],
              added: [],
            };
          } else {
            const source = found ?? copy;
            values[f.name] = toDraft(f, f.type === 'password' ? '' : source?.[f.name]);
          }
        }
        if (isAuth(collection)) values.passwordConfirm = '';
        setRecord(found);
        setInitial(values);
        setDraft(values);
        setFiles(stored);
        setLoaded(true);
      })
      .catch((err: unknown) => setStatus(errorText(err)));
    // The form is keyed by collection and record (collections.tsx), so it loads once.
  }, []);

  /** The request body, or per-field errors found before asking the server. */
  function body(): { data: Record<string, unknown>; errors: Record<string, string> } {
    const data: Record<string, unknown> = {};
    const found: Record<string, string> = {};
    for (const f of fields) {
      if (f.type === 'autodate') continue;
      if (f.type === 'file') {
        const value = files[f.name];
        if (!value) continue;
        if (!record) {
          if (value.added.length) data[f.name] = isMultiple(f) ? value.added : value.added[0];
        } else if (isMultiple(f)) {
          if (value.added.length) data[`${f.name}+`] = value.added;
          if (value.removed.length) data[`${f.name}-`] = value.removed;
        } else if (value.added.length) {
          data[f.name] = value.added[0];
        } else if (value.removed.length) {
          data[f.name] = '';
        }
        continue;
      }
      const value = draft[f.name] ?? '';
      if (record && JSON.stringify(value) === JSON.stringify(initial[f.name])) continue;
      if (f.type === 'password' && value === '') continue;
      try {
        data[f.name] = fromDraft(f, value);
      } catch (err) {
        if (err instanceof DraftError) found[f.name] = err.message;
        else throw err;
      }
      if (f.type === 'password') data.passwordConfirm = draft.passwordConfirm ?? '';
    }
    return { data, errors: found };
  }

  async function save(event: Event) {
    event.preventDefault();
    const { data, errors: local } = body();
    setErrors(local);
    if (Object.keys(local).length) {
      setStatus('Some values need fixing.');
      return;
    }
    setBusy(true);
    setStatus('');
    try {
      const records = pb.collection(collection.name);
      const saved = record ? await records.update(record.id, data) : await records.create(data);
      setNotice(`Saved record ${saved.id}.`);
      onChanged();
      navigate(back);
    } catch (err) {
      setErrors(fieldErrors(err));
      setStatus(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    if (!record) return;
    setBusy(true);
    try {
      await pb.collection(collection.name).delete(record.id);
      setNotice(`Deleted record ${record.id}.`);
      onChanged();
      navigate(back);
    } catch (err) {
      setStatus(errorText(err));
      setConfirmDelete(false);
    } finally {
      setBusy(false);
    }
  }

  // A view collection's records come from its query: they are shown, never written.
  const readOnly = collection.type === 'view';
  const title = readOnly
    ? `Record ${recordId}`
    : recordId
      ? `Edit record ${recordId}`
      : `New ${collection.name} record`;
  return (
    <aside class="panel" aria-labelledby="record-form-heading">
      <div class="toolbar">
        <h2 id="record-form-heading">{title}</h2>
        <a href={back}>Close</a>
      </div>
      {!loaded && <p role="status">{status || 'Loading...'}</p>}
      <form onSubmit={save} noValidate hidden={!loaded}>
        <fieldset class="plain" disabled={readOnly}>
          {fields.map((f) => {
            if (f.type === 'file') {
              const value = files[f.name];
              return (
                value && (
                  <FileInput
                    key={f.name}
                    field={f}
                    record={record}
                    value={value}
                    error={errors[f.name]}
                    onChange={(next) => setFiles({ ...files, [f.name]: next })}
                  />
                )
              );
            }
            const input = (
              <FieldInput
                key={f.name}
                field={f}
                value={draft[f.name] ?? ''}
                error={errors[f.name]}
                onChange={(next) => setDraft({ ...draft, [f.name]: next })}
              />
            );
            if (f.type !== 'password' || !isAuth(collection)) return input;
            // The confirmation sits right under the password it confirms.
            return (
              <Fragment key={f.name}>
                {input}
                <Field id={inputId('passwordConfirm')} label="passwordConfirm" error={errors.passwordConfirm}>
                  <input
                    id={inputId('passwordConfirm')}
                    type="password"
                    autocomplete="new-password"
                    value={String(draft.passwordConfirm ?? '')}
                    onInput={(e) => setDraft({ ...draft, passwordConfirm: e.currentTarget.value })}
                  />
                </Field>
              </Fragment>
            );
          })}
        </fieldset>
        {status && (
          <p class="error" role="alert">
            {status}
          </p>
        )}
        <div class="actions" hidden={readOnly}>
          <button type="submit" class="primary" disabled={busy}>
            {record ? 'Save changes' : 'Create'}
          </button>
          {record && !confirmDelete && (
            <button
              type="button"
              onClick={() => {
                navigate(href('collections', collection.name, 'new', record.id));
              }}
            >
              Duplicate
            </button>
          )}
          {record && !confirmDelete && (
            <button type="button" class="danger" onClick={() => setConfirmDelete(true)}>
              Delete
            </button>
          )}
        </div>
        {record && confirmDelete && (
          <div class="confirm" role="alertdialog" aria-labelledby="delete-question">
            <p id="delete-question">
              Delete record {record.id} of {collection.name}? Its values and files are lost.
            </p>
            <button type="button" class="danger" disabled={busy} onClick={() => void remove()}>
              Yes, delete it
            </button>{' '}
            <button type="button" onClick={() => setConfirmDelete(false)}>
              Cancel
            </button>
          </div>
        )}
      </form>
      {record && isAuth(collection) && <AuthActions key={record.id} collection={collection} record={record} />}
    </aside>
  );
}

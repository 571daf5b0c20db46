// Create or change a collection: its name and type, fields of every type with every option (added, renamed,
// reordered, removed), the API rules in the filter language, indexes, a view's query. Nothing is applied before
// a review: the server's preview says what happens to the stored data and which collection file changes.
import { useEffect, useState } from 'preact/hooks';
import type { CollectionModel } from 'pocketbase';
import { ClientResponseError } from 'pocketbase';
import { Field } from '../components/field';
import { setNotice } from '../notice';
import { errorText, pb } from '../pb';
import { href, navigate } from '../router';
import { DangerZone } from './danger-zone';
import { FieldRow } from './field-row';
import { RulesEditor } from './rules-editor';
import {
  collectionBody,
  collectionDraft,
  fieldDraft,
  FIELD_TYPES,
  OptionsError,
  schemaErrors,
  type CollectionDraft,
  type FieldDraft,
} from './schema-draft';

export interface SchemaPreview {
  collection: CollectionModel | null;
  plan: { action: string; collection: string; field?: string; valuesLost?: number; text: string }[];
  files: { path: string; action: 'write' | 'delete' }[];
}

interface Props {
  /** The collection being changed; undefined for a new one. */
  collection: CollectionModel | undefined;
  /** For a new collection: one to start from (duplicate). */
  copyOf?: CollectionModel | undefined;
  /** Called after a change was applied, with the collection's name (null once deleted). */
  onApplied: (name: string | null) => void;
}

function startingDraft(collection: CollectionModel | undefined, copyOf: CollectionModel | undefined): CollectionDraft {
  if (collection || !copyOf) return collectionDraft(collection);
  // A duplicate: the same fields, rules and type under a new name; new ids, and indexes named after the copy.
  const draft = collectionDraft(copyOf);
  const name = `${copyOf.name}_copy`;
  return {
    ...draft,
    name,
    fields: draft.fields.map(({ id: _id, ...f }) => ({ ...f })),
    indexes: draft.indexes.replaceAll(copyOf.name, name),
  };
}

/** The draft with the system fields of `type` (from the scaffolds) in place of those it had. */
function withSystemFields(
  draft: CollectionDraft,
  type: string,
  scaffolds: Record<string, CollectionModel>,
): CollectionDraft {
  const system = (scaffolds[type]?.fields ?? []).filter((f) => f.system).map((f) => fieldDraft(f));
  return { ...draft, fields: [...system, ...draft.fields.filter((f) => !f.system)] };
}

export function CollectionEditor({ collection, copyOf, onApplied }: Props) {
  const [draft, setDraft] = useState<CollectionDraft>(() => startingDraft(collection, copyOf));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<{ body: Record<string, unknown>; result: SchemaPreview } | undefined>();
  const [newType, setNewType] = useState('text');
  const [scaffolds, setScaffolds] = useState<Record<string, CollectionModel>>({});
  const creating = !collection;
  const system = Boolean(collection?.system);

  // A new collection starts with the system fields of its type, as the server's scaffolds give them.
  useEffect(() => {
    if (!creating || copyOf) return;
    pb.collections
      .getScaffolds()
      .then((found) => {
        setScaffolds(found);
        setDraft((d) => withSystemFields(d, d.type, found));
      })
      .catch((err: unknown) => setStatus(errorText(err)));
  }, []);

  const change = (patch: Partial<CollectionDraft>) => {
    const next = { ...draft, ...patch };
    setDraft(
      creating && patch.type && patch.type !== draft.type ? withSystemFields(next, patch.type, scaffolds) : next,
    );
    setPreview(undefined);
  };
  const setField = (index: number, field: FieldDraft) =>
    change({ fields: draft.fields.map((f, i) => (i === index ? field : f)) });
  const moveField = (index: number, by: number) => {
    const fields = [...draft.fields];
    const [moved] = fields.splice(index, 1);
    fields.splice(index + by, 0, moved!);
    change({ fields });
  };
  const removeField = (index: number) => change({ fields: draft.fields.filter((_, i) => i !== index) });
  const addField = () => {
    const taken = new Set(draft.fields.map((f) => f.name));
    let n = draft.fields.length + 1;
    while (taken.has(`field${n}`)) n++;
    // Before the trailing created / updated dates, where the server keeps its user fields too.
    const fields = [...draft.fields];
    const trailing = fields.findIndex((f) => f.system && f.type === 'autodate');
    fields.splice(trailing < 0 ? fields.length : trailing, 0, fieldDraft({ name: `field${n}`, type: newType }));
    change({ fields });
  };

  const path = creating ? '/api/collections' : `/api/collections/${encodeURIComponent(collection.name)}`;

  function failed(err: unknown) {
    if (err instanceof OptionsError) {
      setErrors({ [`fields.${err.index}.options`]: err.message });
      setStatus('A field has options that are not valid JSON.');
      return;
    }
    const found = err instanceof ClientResponseError ? schemaErrors(err.response?.data) : {};
    setErrors(found);
    setStatus(Object.keys(found).length ? 'The server refused the change: see the messages below.' : errorText(err));
  }

  async function review(event: Event) {
    event.preventDefault();
    setBusy(true);
    setStatus('');
    try {
      const body = collectionBody(draft);
      const result = await pb.send<SchemaPreview>(`${path}?preview=true`, {
        method: creating ? 'POST' : 'PATCH',
        body,
      });
      setErrors({});
      setPreview({ body, result });
    } catch (err) {
      setPreview(undefined);
      failed(err);
    } finally {
      setBusy(false);
    }
  }

  async function apply() {
    if (!preview) return;
    setBusy(true);
    try {
      const saved = creating
        ? await pb.collections.create(preview.body)
        : await pb.collections.update(collection.name, preview.body);
      setNotice(`Saved collection ${saved.name}.`);
      setPreview(undefined);
      onApplied(saved.name);
    } catch (err) {
      setPreview(undefined);
      failed(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="schema-heading" class="schema-editor">
      <div class="toolbar">
        <h1 id="schema-heading">{creating ? 'New collection' : `Edit ${collection.name}`}</h1>
        <a class="button" href={creating ? href('collections') : href('collections', collection.name)}>
          Close
        </a>
      </div>
      <form onSubmit={review} novalidate>
        <div class="row">
          <Field id="collection-name" label="Name" error={errors.name}>
            <input
              id="collection-name"
              value={draft.name}
              disabled={system}
              onInput={(e) => change({ name: e.currentTarget.value })}
            />
          </Field>
          <Field id="collection-type" label="Type" error={errors.type}>
            <select
              id="collection-type"
              value={draft.type}
              disabled={!creating}
              onChange={(e) => change({ type: e.currentTarget.value as CollectionDraft['type'] })}
            >
              <option value="base">base</option>
              <option value="auth">auth</option>
              <option value="view">view</option>
            </select>
          </Field>
        </div>

        {draft.type === 'view' ? (
          <Field
            id="collection-view-query"
            label="View query"
            error={errors.viewQuery}
            hint="One SELECT; its columns become the view's fields (an id column is required)."
          >
            <textarea
              id="collection-view-query"
              rows={5}
              class="code"
              value={draft.viewQuery}
              onInput={(e) => change({ viewQuery: e.currentTarget.value })}
            />
          </Field>
        ) : (
          <fieldset class="fields-editor">
            <legend>Fields</legend>
            {errors.fields && <p class="field-error">{errors.fields}</p>}
            <ol>
              {draft.fields.map((f, i) => (
                <FieldRow
                  key={f.key}
                  field={f}
                  index={i}
                  count={draft.fields.length}
                  errors={errors}
                  onChange={(next) => setField(i, next)}
                  onMove={(by) => moveField(i, by)}
                  onRemove={() => removeField(i)}
                />
              ))}
            </ol>
            <div class="add-field">
              <label for="new-field-type">New field of type</label>
              <select id="new-field-type" value={newType} onChange={(e) => setNewType(e.currentTarget.value)}>
                {FIELD_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
              <button type="button" onClick={addField}>
                Add field
              </button>
            </div>
          </fieldset>
        )}

        <RulesEditor draft={draft} errors={errors} onChange={(rules) => change({ rules })} />

        {draft.type !== 'view' && (
          <Field
            id="collection-indexes"
            label="Indexes"
            error={errors.indexes}
            hint="One statement per line, e.g. CREATE UNIQUE INDEX idx_posts_slug ON posts (slug)"
          >
            <textarea
              id="collection-indexes"
              rows={3}
              class="code"
              value={draft.indexes}
              onInput={(e) => change({ indexes: e.currentTarget.value })}
            />
          </Field>
        )}

        {status && (
          <p class="error" role="alert">
            {status}
          </p>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            Review changes
          </button>
        </div>
      </form>

      {preview && (
        <div class="review" role="region" aria-labelledby="review-heading">
          <h2 id="review-heading">What this change does</h2>
          {preview.result.plan.length ? (
            <ul class="plan">
              {preview.result.plan.map((step, i) => (
                <li key={i} class={step.valuesLost ? 'loses' : undefined}>
                  {step.text}
                </li>
              ))}
            </ul>
          ) : (
            <p>No change to the stored data.</p>
          )}
          <p>
            Files:{' '}
            {preview.result.files.map((f) => `${f.action === 'write' ? 'writes' : 'deletes'} ${f.path}`).join('; ')}
          </p>
          <div class="actions">
            <button type="button" class="primary" disabled={busy} onClick={() => void apply()}>
              Apply
            </button>
            <button type="button" disabled={busy} onClick={() => setPreview(undefined)}>
              Back to editing
            </button>
          </div>
        </div>
      )}

      {collection && !system && (
        <DangerZone
          collection={collection}
          onDone={(name) => onApplied(name)}
          onDuplicate={() => navigate(href('collections', '~new', 'schema', collection.name))}
        />
      )}
    </section>
  );
}

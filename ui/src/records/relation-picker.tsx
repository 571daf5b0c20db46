// A relation field in the record form: the chosen records by name (their presentable fields, else their first text
// field, else the id), each removable, and a search of the related collection to add one (or replace the one).
import { useEffect, useState } from 'preact/hooks';
import type { CollectionField, CollectionModel, RecordModel } from 'pocketbase';
import { errorText, pb } from '../pb';
import { isMultiple } from './values';

interface Props {
  id: string;
  field: CollectionField;
  /** The draft: ids separated by commas. */
  value: string;
  onChange: (value: string) => void;
}

const split = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The fields a record of `collection` is searched by and named by: presentable ones first, then text-like ones. */
function nameFields(collection: CollectionModel | undefined): string[] {
  if (!collection) return [];
  const visible = collection.fields.filter((f) => !f.hidden && f.name !== 'id');
  const presentable = visible.filter((f) => f.presentable).map((f) => f.name);
  // A name or title says more than an e-mail address.
  const rank = (name: string) => (/^(name|title|label)$/i.test(name) ? 0 : 1);
  const textual = visible
    .filter((f) => ['text', 'email', 'url'].includes(f.type))
    .map((f) => f.name)
    .sort((a, b) => rank(a) - rank(b));
  return [...new Set([...presentable, ...textual])].slice(0, 5);
}

export function RelationPicker({ id, field, value, onChange }: Props) {
  const ids = split(value);
  const multiple = isMultiple(field);
  const [target, setTarget] = useState<CollectionModel | undefined>();
  const [names, setNames] = useState<Record<string, string>>({});
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<RecordModel[]>([]);
  const [error, setError] = useState('');
  const shown = nameFields(target);
  const nameOf = (record: RecordModel) =>
    shown
      .map((f) => String(record[f] ?? ''))
      .filter(Boolean)
      .join(' · ') || record.id;

  useEffect(() => {
    pb.collections
      .getOne(String(field.collectionId))
      .then(setTarget)
      .catch((err: unknown) => setError(errorText(err)));
  }, [field.collectionId]);

  // The names of chosen records not yet known (those loaded with the record, or chosen before).
  useEffect(() => {
    const missing = ids.filter((i) => !(i in names));
    if (!target || !missing.length) return;
    const filter = missing.map((_, n) => `id = {:id${n}}`).join(' || ');
    const params = Object.fromEntries(missing.map((v, n) => [`id${n}`, v]));
    pb.collection(target.name)
      .getList(1, missing.length, { filter: pb.filter(filter, params) })
      .then((list) =>
        setNames((before) => ({ ...before, ...Object.fromEntries(list.items.map((r) => [r.id, nameOf(r)])) })),
      )
      .catch(() => undefined);
  }, [target, value]);

  // Search as the person types (a short pause first), by id and by the naming fields.
  useEffect(() => {
    if (!target) return;
    const timer = setTimeout(() => {
      const terms = ['id', ...shown].map((f) => `${f} ~ {:q}`).join(' || ');
      pb.collection(target.name)
        .getList(1, 8, { filter: query.trim() ? pb.filter(terms, { q: query.trim() }) : undefined, sort: '-created' })
        .then((list) => {
          setFound(list.items);
          setError('');
        })
        .catch((err: unknown) => setError(errorText(err)));
    }, 200);
    return () => clearTimeout(timer);
  }, [target, query]);

  function choose(record: RecordModel) {
    setNames({ ...names, [record.id]: nameOf(record) });
    onChange((multiple ? [...ids.filter((i) => i !== record.id), record.id] : [record.id]).join(', '));
  }

  return (
    <div class="relation-picker">
      {ids.length > 0 && (
        <ul class="chosen" aria-label={`Chosen for ${field.name}`}>
          {ids.map((i) => (
            <li key={i}>
              <span>{names[i] ?? i}</span>{' '}
              <button
                type="button"
                class="link"
                aria-label={`Remove ${names[i] ?? i}`}
                onClick={() => onChange(ids.filter((x) => x !== i).join(', '))}
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
      <input
        id={id}
        type="search"
        placeholder={`Search ${target?.name ?? 'records'}`}
        value={query}
        onInput={(e) => setQuery(e.currentTarget.value)}
      />
      {error && <p class="field-error">{error}</p>}
      {found.length > 0 && (
        <ul class="options" aria-label={`Records to choose for ${field.name}`}>
          {found.map((r) => (
            <li key={r.id}>
              <button type="button" disabled={ids.includes(r.id)} onClick={() => choose(r)}>
                {nameOf(r)} <small>{r.id}</small>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

// #/collections[/<name>[/new[/<id to copy>] | /records/<id> | /schema | /api]]: the side list of collections, the selected one's
// records table with the record form beside it, its schema editor, or its API; #/collections/~new/schema[/<copy of>] for a new one.
// (~ is never part of a collection name.)
import { useEffect, useState } from 'preact/hooks';
import type { CollectionModel } from 'pocketbase';
import { errorText, pb } from '../pb';
import { href, navigate } from '../router';
import { CollectionEditor } from '../collections/collection-editor';
import { ApiPreview } from '../collections/api-preview';
import { RecordsTable } from '../records/records-table';
import { RecordForm } from '../records/record-form';

export function CollectionsPage({ route }: { route: string[] }) {
  const [collections, setCollections] = useState<CollectionModel[] | undefined>();
  const [error, setError] = useState('');
  const [search, setSearch] = useState('');
  // Bumped after a save or delete so the table reloads with its paging, sort and filter kept.
  const [version, setVersion] = useState(0);
  // Bumped after a schema change: the side list and the selected collection are loaded again.
  const [schemaVersion, setSchemaVersion] = useState(0);

  useEffect(() => {
    pb.collections
      .getFullList({ sort: 'name' })
      .then(setCollections)
      .catch((err: unknown) => setError(errorText(err)));
  }, [schemaVersion]);

  const [name, sub, id] = route;
  const newCollection = name === '~new' && sub === 'schema';
  const schemaOf = newCollection ? undefined : sub === 'schema' ? name : undefined;
  const applied = (changed: string | null) => {
    setSchemaVersion((v) => v + 1);
    navigate(changed ? href('collections', changed) : href('collections'));
  };
  const selected = collections?.find((c) => c.name === name);
  const shown = (collections ?? []).filter((c) => c.name.toLowerCase().includes(search.trim().toLowerCase()));
  const editing = selected && (sub === 'new' ? 'new' : sub === 'records' && id ? id : undefined);

  return (
    <div class="with-sidebar">
      <aside class="sidebar" aria-label="Collections">
        <div class="toolbar">
          <h2>Collections</h2>
          <a class="button" href={href('collections', '~new', 'schema')}>
            New
          </a>
        </div>
        <label for="collection-search" class="visually-hidden">
          Search collections
        </label>
        <input
          id="collection-search"
          type="search"
          placeholder="Search collections"
          value={search}
          onInput={(e) => setSearch(e.currentTarget.value)}
        />
        {error && <p class="error">{error}</p>}
        <ul class="collection-list">
          {shown.map((c) => (
            <li key={c.id}>
              <a href={href('collections', c.name)} aria-current={c.name === name ? 'page' : undefined}>
                {c.name}
                {c.type !== 'base' && <span class="tag">{c.type}</span>}
              </a>
            </li>
          ))}
        </ul>
      </aside>
      <main class="content">
        {!collections && !error && <p>Loading...</p>}
        {collections && !selected && !newCollection && (
          <p>{name ? `There is no collection named “${name}”.` : 'Choose a collection on the left.'}</p>
        )}
        {collections && newCollection && (
          <CollectionEditor
            key={`new/${id ?? ''}/${schemaVersion}`}
            collection={undefined}
            copyOf={collections.find((c) => c.name === id)}
            onApplied={applied}
          />
        )}
        {selected && schemaOf && (
          <CollectionEditor key={`${selected.id}/${schemaVersion}`} collection={selected} onApplied={applied} />
        )}
        {selected && sub === 'api' && <ApiPreview key={selected.id} collection={selected} />}
        {selected && !schemaOf && sub !== 'api' && (
          <RecordsTable key={selected.id} collection={selected} version={version} />
        )}
      </main>
      {selected && editing && !schemaOf && (
        <RecordForm
          key={`${selected.id}/${editing}/${sub === 'new' ? (id ?? '') : ''}`}
          collection={selected}
          recordId={editing === 'new' ? undefined : editing}
          copyOf={sub === 'new' ? id : undefined}
          onChanged={() => setVersion((v) => v + 1)}
        />
      )}
    </div>
  );
}

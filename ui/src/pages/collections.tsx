// #/collections[/<name>[/new | /records/<id>]]: the side list of collections, the selected one's records
// table, and the record form beside it.
import { useEffect, useState } from 'preact/hooks';
import type { CollectionModel } from 'pocketbase';
import { errorText, pb } from '../pb';
import { href } from '../router';
import { RecordsTable } from '../records/records-table';
import { RecordForm } from '../records/record-form';

export function CollectionsPage({ route }: { route: string[] }) {
  const [collections, setCollections] = useState<CollectionModel[] | undefined>();
  const [error, setError] = useState('');
  const [search, setSearch] = useState('');
  // Bumped after a save or delete so the table reloads with its paging, sort and filter kept.
  const [version, setVersion] = useState(0);

  useEffect(() => {
    pb.collections
      .getFullList({ sort: 'name' })
      .then(setCollections)
      .catch((err: unknown) => setError(errorText(err)));
  }, []);

  const [name, sub, id] = route;
  const selected = collections?.find((c) => c.name === name);
  const shown = (collections ?? []).filter((c) => c.name.toLowerCase().includes(search.trim().toLowerCase()));
  const editing = selected && (sub === 'new' ? 'new' : sub === 'records' && id ? id : undefined);

  return (
    <div class="with-sidebar">
      <aside class="sidebar" aria-label="Collections">
        <h2>Collections</h2>
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
        {collections && !selected && (
          <p>{name ? `There is no collection named “${name}”.` : 'Choose a collection on the left.'}</p>
        )}
        {selected && <RecordsTable key={selected.id} collection={selected} version={version} />}
      </main>
      {selected && editing && (
        <RecordForm
          key={`${selected.id}/${editing}`}
          collection={selected}
          recordId={editing === 'new' ? undefined : editing}
          onChanged={() => setVersion((v) => v + 1)}
        />
      )}
    </div>
  );
}

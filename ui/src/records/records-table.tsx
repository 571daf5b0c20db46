// The records of one collection: a filter box (the filter language), a sortable table, paging.
import { Pager } from '../components/pager';
import { useEffect, useState } from 'preact/hooks';
import type { CollectionModel, ListResult, RecordModel } from 'pocketbase';
import { errorText, pb } from '../pb';
import { href } from '../router';
import { cellText, defaultSort, tableFields } from './columns';

const PER_PAGE = 30;

interface Props {
  collection: CollectionModel;
  /** Changes when a record was saved or deleted elsewhere on the page: reload. */
  version: number;
}

export function RecordsTable({ collection, version }: Props) {
  const [page, setPage] = useState(1);
  const [sort, setSort] = useState(() => defaultSort(collection));
  const [filter, setFilter] = useState('');
  const [draft, setDraft] = useState('');
  const [result, setResult] = useState<ListResult<RecordModel> | undefined>();
  const [error, setError] = useState('');
  const fields = tableFields(collection);

  useEffect(() => {
    let current = true; // an older answer arriving late must not replace a newer one
    pb.collection(collection.name)
      .getList(page, PER_PAGE, { sort: sort || undefined, filter: filter || undefined })
      .then((list) => {
        if (!current) return;
        setResult(list);
        setError('');
      })
      .catch((err: unknown) => current && setError(errorText(err)));
    return () => {
      current = false;
    };
  }, [collection.name, page, sort, filter, version]);

  function sortBy(name: string) {
    setSort(sort === name ? `-${name}` : name);
    setPage(1);
  }

  function applyFilter(event: Event) {
    event.preventDefault();
    setFilter(draft.trim());
    setPage(1);
  }

  return (
    <section aria-labelledby="records-heading">
      <div class="toolbar">
        <h1 id="records-heading">{collection.name}</h1>
        {collection.type !== 'view' && (
          <a class="button primary" href={href('collections', collection.name, 'new')}>
            New record
          </a>
        )}
      </div>
      <form class="filter" role="search" onSubmit={applyFilter}>
        <label for="records-filter">Filter</label>
        <input
          id="records-filter"
          type="search"
          placeholder={`e.g. ${fields.find((f) => f.name !== 'id')?.name ?? 'id'} ~ "word"`}
          value={draft}
          onInput={(e) => setDraft(e.currentTarget.value)}
          aria-describedby={error ? 'records-error' : undefined}
        />
        <button type="submit">Search</button>
      </form>
      {error && (
        <p class="error" id="records-error" role="alert">
          {error}
        </p>
      )}
      <div class="table-wrap">
        <table class="records">
          <thead>
            <tr>
              {fields.map((f) => {
                const state = sort === f.name ? 'ascending' : sort === `-${f.name}` ? 'descending' : undefined;
                return (
                  <th key={f.name} scope="col" aria-sort={state}>
                    <button type="button" class="sort" onClick={() => sortBy(f.name)}>
                      {f.name}
                      <span aria-hidden="true">
                        {state === 'ascending' ? ' ▲' : state === 'descending' ? ' ▼' : ''}
                      </span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {result?.items.map((record) => (
              <tr key={record.id}>
                {fields.map((f) => (
                  <td key={f.name} title={cellText(record[f.name])}>
                    {f.name === 'id' ? (
                      <a href={href('collections', collection.name, 'records', record.id)}>{record.id}</a>
                    ) : (
                      cellText(record[f.name])
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {result && result.items.length === 0 && <p class="empty">No records{filter ? ' match the filter' : ''}.</p>}
      </div>
      {result && (
        <Pager
          page={result.page}
          totalPages={result.totalPages}
          totalItems={result.totalItems}
          noun="records"
          onPage={setPage}
        />
      )}
    </section>
  );
}

// The records of one collection: a filter box (the filter language), a sortable table, paging, bulk delete of
// the selected rows, and live updates when records change elsewhere.
import { Pager } from '../components/pager';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CollectionModel, ListResult, RecordModel } from 'pocketbase';
import { setNotice } from '../notice';
import { errorText, pb } from '../pb';
import { href } from '../router';
import { cellText, defaultSort, loadHiddenColumns, relationText, saveHiddenColumns, tableFields } from './columns';
import { FileCell } from './file-cell';
import { NameChips } from '../components/name-chips';
import { useLiveVersion } from './live-reload';

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
  const filterInput = useRef<HTMLInputElement>(null);
  const [result, setResult] = useState<ListResult<RecordModel> | undefined>();
  const [error, setError] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confirmBulk, setConfirmBulk] = useState(false);
  const [deleting, setDeleting] = useState(false);
  // Bumped after the bulk delete here; `live` by changes made anywhere.
  const [deletedVersion, setDeletedVersion] = useState(0);
  const live = useLiveVersion(collection.name);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(() => loadHiddenColumns(collection.name));
  const allFields = tableFields(collection);
  const fields = allFields.filter((f) => f.name === 'id' || !hidden.has(f.name));
  // Relations show the related records' names: the list asks for them expanded.
  const expand = allFields
    .filter((f) => f.type === 'relation')
    .map((f) => f.name)
    .join(',');
  const editable = collection.type !== 'view';

  function toggleColumn(name: string) {
    const next = new Set(hidden);
    if (next.has(name)) next.delete(name);
    else next.add(name);
    setHidden(next);
    saveHiddenColumns(collection.name, next);
  }

  useEffect(() => {
    let current = true; // an older answer arriving late must not replace a newer one
    pb.collection(collection.name)
      .getList(page, PER_PAGE, { sort: sort || undefined, filter: filter || undefined, expand: expand || undefined })
      .then((list) => {
        if (!current) return;
        setResult(list);
        setError('');
        // A selected record that is gone (deleted elsewhere, or off this page) is no longer selected.
        const shown = new Set(list.items.map((r) => r.id));
        setSelected((before) => new Set([...before].filter((id) => shown.has(id))));
      })
      .catch((err: unknown) => current && setError(errorText(err)));
    return () => {
      current = false;
    };
  }, [collection.name, page, sort, filter, version, live, deletedVersion]);

  const items = result?.items ?? [];
  const allSelected = items.length > 0 && items.every((r) => selected.has(r.id));

  function toggle(id: string) {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
    setConfirmBulk(false);
  }

  function toggleAll() {
    setSelected(allSelected ? new Set() : new Set(items.map((r) => r.id)));
    setConfirmBulk(false);
  }

  async function deleteSelected() {
    setDeleting(true);
    const ids = [...selected];
    const failed: string[] = [];
    // One by one: each delete runs the collection's rules and hooks, and a refused one leaves the others done.
    for (const id of ids) {
      try {
        await pb.collection(collection.name).delete(id);
      } catch (err) {
        failed.push(`${id}: ${errorText(err)}`);
      }
    }
    setDeleting(false);
    setConfirmBulk(false);
    setSelected(new Set());
    setDeletedVersion((v) => v + 1);
    const done = ids.length - failed.length;
    setNotice(`Deleted ${done} record${done === 1 ? '' : 's'}.`);
    setError(failed.length ? `Not deleted: ${failed.join('; ')}` : '');
  }

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
        <span class="grow" />
        <a class="button" href={href('collections', collection.name, 'api')}>
          API
        </a>
        <a class="button" href={href('collections', collection.name, 'schema')}>
          Edit collection
        </a>
        {editable && (
          <a class="button primary" href={href('collections', collection.name, 'new')}>
            New record
          </a>
        )}
      </div>
      <form class="filter" role="search" onSubmit={applyFilter}>
        <label for="records-filter">Filter</label>
        <input
          id="records-filter"
          ref={filterInput}
          type="search"
          placeholder={`e.g. ${fields.find((f) => f.name !== 'id')?.name ?? 'id'} ~ "word"`}
          value={draft}
          onInput={(e) => setDraft(e.currentTarget.value)}
          aria-describedby={error ? 'records-error' : undefined}
        />
        <button type="submit">Search</button>
        <details class="columns">
          <summary>Columns</summary>
          <fieldset>
            <legend class="visually-hidden">Columns shown</legend>
            {allFields
              .filter((f) => f.name !== 'id')
              .map((f) => (
                <label key={f.name}>
                  <input type="checkbox" checked={!hidden.has(f.name)} onChange={() => toggleColumn(f.name)} /> {f.name}
                </label>
              ))}
          </fieldset>
        </details>
      </form>
      <NameChips
        names={[...allFields.map((f) => f.name), '@request.auth.id', '@now', '&&', '||']}
        label="Insert a field name"
        target={filterInput}
        value={draft}
        onChange={setDraft}
      />
      {error && (
        <p class="error" id="records-error" role="alert">
          {error}
        </p>
      )}
      {editable && selected.size > 0 && (
        <div class="bulk" role="group" aria-label="Selected records">
          {!confirmBulk ? (
            <>
              <span>{selected.size} selected</span>
              <button type="button" class="danger" onClick={() => setConfirmBulk(true)}>
                Delete selected
              </button>
              <button type="button" onClick={() => setSelected(new Set())}>
                Clear selection
              </button>
            </>
          ) : (
            <div class="confirm" role="alertdialog" aria-labelledby="bulk-question">
              <p id="bulk-question">
                Delete {selected.size} record{selected.size === 1 ? '' : 's'} of {collection.name}? Their values and
                files are lost.
              </p>
              <button type="button" class="danger" disabled={deleting} onClick={() => void deleteSelected()}>
                {deleting ? 'Deleting...' : `Yes, delete ${selected.size}`}
              </button>
              <button type="button" disabled={deleting} onClick={() => setConfirmBulk(false)}>
                Cancel
              </button>
            </div>
          )}
        </div>
      )}
      <div class="table-wrap">
        <table class="records">
          <thead>
            <tr>
              {editable && (
                <th scope="col" class="select">
                  <input
                    type="checkbox"
                    aria-label="Select all records on this page"
                    checked={allSelected}
                    onChange={toggleAll}
                  />
                </th>
              )}
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
            {items.map((record) => (
              <tr key={record.id} aria-selected={editable ? selected.has(record.id) : undefined}>
                {editable && (
                  <td class="select">
                    <input
                      type="checkbox"
                      aria-label={`Select record ${record.id}`}
                      checked={selected.has(record.id)}
                      onChange={() => toggle(record.id)}
                    />
                  </td>
                )}
                {fields.map((f) => (
                  <td key={f.name} title={cellText(record[f.name])}>
                    {f.name === 'id' ? (
                      <a href={href('collections', collection.name, 'records', record.id)}>{record.id}</a>
                    ) : f.type === 'file' ? (
                      <FileCell record={record} field={f} />
                    ) : f.type === 'relation' ? (
                      relationText(record[f.name], (record.expand as Record<string, unknown> | undefined)?.[f.name])
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

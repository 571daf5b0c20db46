// Which fields a table or form shows, and how a stored value reads in a table cell.
import type { CollectionField, CollectionModel } from 'pocketbase';

/** Fields whose values never leave the server (password, tokenKey, hidden fields) have no column. */
export function tableFields(collection: CollectionModel): CollectionField[] {
  return collection.fields.filter((f) => !f.hidden && f.type !== 'password');
}

/** Newest first when the collection has a `created` date; the server's order otherwise. */
export function defaultSort(collection: CollectionModel): string {
  return collection.fields.some((f) => f.name === 'created') ? '-created' : '';
}

/** A short text for a table cell. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  if (Array.isArray(value)) return value.map(cellText).join(', ');
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A related record's name for a table cell (expanded relations): a name-like field, else its id. */
export function recordName(record: Record<string, unknown>): string {
  for (const key of ['name', 'title', 'label', 'username', 'email']) {
    const value = record[key];
    if (typeof value === 'string' && value) return value;
  }
  return String(record.id ?? '');
}

/** The text of a relation cell: the related records' names when expanded, else their ids. */
export function relationText(value: unknown, expanded: unknown): string {
  if (Array.isArray(expanded)) return expanded.map((r) => recordName(r as Record<string, unknown>)).join(', ');
  if (expanded && typeof expanded === 'object') return recordName(expanded as Record<string, unknown>);
  return cellText(value);
}

const hiddenKey = (collection: string) => `satchel.hiddenColumns.${collection}`;

/** The columns a person hid in a collection's table (kept in this browser). */
export function loadHiddenColumns(collection: string): Set<string> {
  try {
    return new Set(JSON.parse(localStorage.getItem(hiddenKey(collection)) ?? '[]') as string[]);
  } catch {
    return new Set();
  }
}

export function saveHiddenColumns(collection: string, hidden: ReadonlySet<string>): void {
  localStorage.setItem(hiddenKey(collection), JSON.stringify([...hidden]));
}

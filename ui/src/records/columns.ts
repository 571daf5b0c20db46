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

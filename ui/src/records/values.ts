// Between a record's stored values and what the form's inputs hold, one rule per field type.
import type { CollectionField } from 'pocketbase';

/** What an input holds: text for most types, a flag for bool, a list for a multiple select. */
export type Draft = string | boolean | string[];

const pad = (n: number) => String(n).padStart(2, '0');

/** A stored datetime ("2025-01-03 12:23:01.865Z") as a datetime-local value in the browser's time zone. */
export function toLocalInput(stored: string): string {
  if (!stored) return '';
  const date = new Date(stored.replace(' ', 'T'));
  if (Number.isNaN(date.getTime())) return '';
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${day}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local value as the server's UTC form. */
export function fromLocalInput(local: string): string {
  if (!local) return '';
  return new Date(local).toISOString().replace('T', ' ');
}

export const isMultiple = (field: CollectionField): boolean => Number(field.maxSelect ?? 1) > 1;

/** The input value for a stored value. */
export function toDraft(field: CollectionField, value: unknown): Draft {
  switch (field.type) {
    case 'bool':
      return value === true;
    case 'date':
    case 'autodate':
      return field.type === 'date' ? toLocalInput(String(value ?? '')) : String(value ?? '');
    case 'select':
      if (isMultiple(field)) return Array.isArray(value) ? value.map(String) : [];
      return String(value ?? '');
    case 'relation':
      return Array.isArray(value) ? value.join(', ') : String(value ?? '');
    case 'number':
      return value === undefined || value === null ? '' : String(value);
    case 'text':
    case 'editor':
    case 'email':
    case 'url':
    case 'password':
      return String(value ?? '');
    default:
      // json, geoPoint and any type this form does not know yet: edited as JSON text.
      return value === undefined || value === null ? '' : JSON.stringify(value, null, 2);
  }
}

/** Thrown for an input the form can reject before asking the server (e.g. JSON that does not parse). */
export class DraftError extends Error {}

/** The value to send for an input's value. */
export function fromDraft(field: CollectionField, draft: Draft): unknown {
  switch (field.type) {
    case 'bool':
      return draft === true;
    case 'date':
      return fromLocalInput(String(draft));
    case 'select':
      return draft;
    case 'number':
      return draft === '' ? null : Number(draft);
    case 'relation': {
      const ids = String(draft)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      return isMultiple(field) ? ids : (ids[0] ?? '');
    }
    case 'text':
    case 'editor':
    case 'email':
    case 'url':
    case 'password':
      return draft;
    default: {
      const text = String(draft).trim();
      if (text === '') return null;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new DraftError('Must be valid JSON.');
      }
    }
  }
}

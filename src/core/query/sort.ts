// Owns parsing the `sort` query parameter into validated field names and directions.

import { FilterError, quoteForMessage } from './errors.js';
import { isValidIdentifier } from './lexer.js';

/** Max number of sort entries (PocketBase `DefaultSortExprLimit`). */
export const MAX_SORT_FIELDS = 8;
/** Max length of one sort field name (PocketBase `MaxSortFieldLength`). */
export const MAX_SORT_FIELD_LENGTH = 255;

/** One sort entry. `@random` and `@rowid` are passed through for the engine to special-case. */
export interface SortField {
  name: string;
  desc: boolean;
}

/**
 * Parses `-created,+title,id`: comma separated, `-` for descending, `+` or nothing for ascending.
 * An empty (or all-whitespace) text gives `[]`. Names must be identifiers as in filters
 * (e.g. `author.name`, `title:lower`), `@random` or `@rowid`. Throws {@link FilterError} on
 * an empty entry, a bad name, more than 8 entries, or a name longer than 255 characters.
 */
export function parseSort(text: string): SortField[] {
  if (text.trim() === '') return [];
  const entries = text.split(',');
  if (entries.length > MAX_SORT_FIELDS) {
    throw new FilterError(`Invalid sort: too many sort fields (max ${MAX_SORT_FIELDS}).`);
  }
  return entries.map((entry) => {
    const trimmed = entry.trim();
    const desc = trimmed.startsWith('-');
    const name = desc || trimmed.startsWith('+') ? trimmed.slice(1) : trimmed;
    if (name.length > MAX_SORT_FIELD_LENGTH) {
      throw new FilterError(`Invalid sort: sort field name is too long (max ${MAX_SORT_FIELD_LENGTH} characters).`);
    }
    if (name === '') throw new FilterError('Invalid sort: empty sort field.');
    if (!isValidIdentifier(name)) throw new FilterError(`Invalid sort: invalid sort field ${quoteForMessage(name)}.`);
    return { name, desc };
  });
}

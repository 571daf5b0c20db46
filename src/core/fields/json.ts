// The `json` field: any JSON value, bounded by its serialized size.
import * as v from 'valibot';
import { optionalCount, optionsSchema, requiredCheck, type OptionsOf } from './common.js';
import { fieldIssue } from './issue.js';
import { withKeywords } from './json-schema.js';
import type { FieldType } from './types.js';

const DEFAULT_MAX_SIZE = 1024 * 1024;

const jsonOptions = optionsSchema({ maxSize: optionalCount });

/** Bytes of the value as JSON; a value too deep or too odd to serialize counts as too large. */
function serializedSize(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? 'null');
  } catch {
    return Infinity;
  }
}

export const jsonField: FieldType<OptionsOf<typeof jsonOptions>> = {
  type: 'json',
  options: jsonOptions,
  storage: () => ({ kind: 'json', empty: null }),
  empty: () => null,
  cast: (raw) => {
    if (raw === undefined) return null;
    // Multipart forms carry JSON as text; text that is not JSON is kept as a JSON string.
    if (typeof raw === 'string') {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        return raw;
      }
    }
    return raw;
  },
  schema: (field) => {
    const maxSize = field.maxSize || DEFAULT_MAX_SIZE;
    return v.pipe(
      v.unknown(),
      requiredCheck<unknown>(
        field,
        (value) =>
          value === null ||
          value === '' ||
          (Array.isArray(value) && value.length === 0) ||
          (typeof value === 'object' && Object.keys(value).length === 0),
      ),
      withKeywords(
        v.check<unknown, string>(
          (value) => serializedSize(value) <= maxSize,
          fieldIssue('validation_json_size_limit', `The maximum allowed JSON size is ${maxSize} bytes.`),
        ),
        { description: `Any JSON value, at most ${maxSize} bytes serialized.` },
      ),
    );
  },
  toDb: (value) => (value === null ? null : JSON.stringify(value)),
  fromDb: (value) => {
    if (value === null || value === undefined) return null;
    try {
      return JSON.parse(String(value)) as unknown;
    } catch {
      // Text that is not JSON (a view's computed column, e.g. UPPER(title)) is shown as the text it is.
      return typeof value === 'string' ? value : null;
    }
  },
  exactEquality: true,
  // As PocketBase: `meta = 1` and `meta = 'x'` compare the JSON value, `meta.a.0` a value inside it.
  filterValue: (column, dialect) => dialect.jsonPath(column, []),
  subfield: (column, path, _field, dialect) => dialect.jsonPath(column, path),
};

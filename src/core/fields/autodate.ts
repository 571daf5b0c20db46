// The `autodate` field: set by the server on create and/or update; what a client sends is ignored.
import * as v from 'valibot';
import { optionsSchema, type OptionsOf } from './common.js';
import { DATETIME_PATTERN } from './date.js';
import { withKeywords } from './json-schema.js';
import type { FieldType } from './types.js';

const autodateOptions = optionsSchema({ onCreate: v.optional(v.boolean()), onUpdate: v.optional(v.boolean()) });

export const autodateField: FieldType<OptionsOf<typeof autodateOptions>> = {
  type: 'autodate',
  options: autodateOptions,
  storage: () => ({ kind: 'text', empty: '' }),
  empty: () => '',
  cast: (raw) => raw,
  // Never checked (the server sets it); the keywords tell the API reference what it holds.
  schema: (field) =>
    withKeywords(v.unknown(), {
      type: 'string',
      pattern: DATETIME_PATTERN,
      readOnly: true,
      description: `Set by the server${field.onUpdate ? ' on create and on every update' : ' on create'}.`,
    }),
  autoValue: (field, op, now) => {
    if (op === 'create' && (field.onCreate || field.onUpdate)) return now;
    if (op === 'update' && field.onUpdate) return now;
    return undefined;
  },
  toDb: (value) => value,
  fromDb: (value) => (value === null || value === undefined ? '' : String(value)),
};

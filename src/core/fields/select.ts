// The `select` field: one value (maxSelect <= 1) or a list of values from a fixed set.
import * as v from 'valibot';
import { castList, castSingle, mustBeList, mustBeText, optionsSchema, parseList, requiredCheck } from './common.js';
import { fieldIssue } from './issue.js';
import type { FieldDefinition, FieldType } from './types.js';

const isMultiple = (field: FieldDefinition) => ((field.maxSelect as number | undefined) ?? 0) > 1;

export const selectField: FieldType = {
  type: 'select',
  options: optionsSchema({
    values: v.pipe(v.array(v.pipe(v.string(), v.minLength(1))), v.minLength(1, 'needs at least one value')),
    maxSelect: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  }),
  column: (field) => (isMultiple(field) ? "JSON DEFAULT '[]' NOT NULL" : "TEXT DEFAULT '' NOT NULL"),
  isMultiple,
  empty: (field) => (isMultiple(field) ? [] : ''),
  cast: (raw, field) => (isMultiple(field) ? castList(raw) : castSingle(raw)),
  schema: (field) => {
    const allowed = new Set(field.values as string[]);
    const notAllowed = fieldIssue('validation_in_invalid', 'Must be a valid value.');
    if (!isMultiple(field)) {
      return v.pipe(
        v.string(mustBeText),
        requiredCheck<string>(field, (s) => s === ''),
        v.check((s) => s === '' || allowed.has(s), notAllowed),
      );
    }
    const maxSelect = field.maxSelect as number;
    return v.pipe(
      v.array(v.string(), mustBeList),
      requiredCheck<string[]>(field, (list) => list.length === 0),
      v.check((list) => list.every((s) => allowed.has(s)), notAllowed),
      v.check(
        (list) => list.length <= maxSelect,
        fieldIssue('validation_too_many_values', `Select no more than ${maxSelect}.`),
      ),
    );
  },
  toDb: (value, field) => (isMultiple(field) ? JSON.stringify(value) : value),
  fromDb: (value, field) => (isMultiple(field) ? parseList(value) : (value ?? '')),
};

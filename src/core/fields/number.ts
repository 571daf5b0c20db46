// The `number` field: a finite number with optional bounds and an integer-only switch.
import * as v from 'valibot';
import { optionsSchema, requiredCheck } from './common.js';
import { fieldIssue } from './issue.js';
import type { FieldType } from './types.js';

export const numberField: FieldType = {
  type: 'number',
  options: optionsSchema({
    min: v.optional(v.nullable(v.number())),
    max: v.optional(v.nullable(v.number())),
    onlyInt: v.optional(v.boolean()),
  }),
  column: () => 'NUMERIC DEFAULT 0 NOT NULL',
  empty: () => 0,
  cast: (raw) => {
    if (raw === null || raw === undefined || raw === '') return 0;
    if (typeof raw === 'boolean') return raw ? 1 : 0;
    if (typeof raw === 'string' && raw.trim() !== '') {
      const n = Number(raw);
      return Number.isNaN(n) ? raw : n;
    }
    return raw;
  },
  schema: (field) => {
    const min = field.min as number | null | undefined;
    const max = field.max as number | null | undefined;
    return v.pipe(
      v.number(fieldIssue('validation_not_a_number', 'Must be a number.')),
      v.check((n) => Number.isFinite(n), fieldIssue('validation_not_a_number', 'Must be a finite number.')),
      requiredCheck<number>(field, (n) => n === 0),
      v.check(
        (n) => !field.onlyInt || Number.isInteger(n),
        fieldIssue('validation_only_int_constraint', 'Decimal numbers are not allowed.'),
      ),
      v.check(
        // As in PocketBase, an empty (0) optional number skips the bounds.
        (n) => min === null || min === undefined || n >= min || (n === 0 && !field.required),
        fieldIssue('validation_min_number_constraint', `Must be larger than ${min}.`),
      ),
      v.check(
        (n) => max === null || max === undefined || n <= max || (n === 0 && !field.required),
        fieldIssue('validation_max_number_constraint', `Must be less than ${max}.`),
      ),
    );
  },
  toDb: (value) => value,
  fromDb: (value) => (typeof value === 'number' ? value : Number(value) || 0),
};

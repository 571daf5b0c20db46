// The `number` field: a finite number with optional bounds and an integer-only switch; `n+` / `n-` add and subtract.
import * as v from 'valibot';
import { ApiError } from '../errors.js';
import { optionsSchema, requiredCheck, type OptionsOf } from './common.js';
import { fieldIssue } from './issue.js';
import { unlessEmpty, withKeywords } from './json-schema.js';
import type { FieldType } from './types.js';

const numberOptions = optionsSchema({
  min: v.optional(v.nullable(v.number())),
  max: v.optional(v.nullable(v.number())),
  onlyInt: v.optional(v.boolean()),
});

const castNumber = (raw: unknown): unknown => {
  if (raw === null || raw === undefined || raw === '') return 0;
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  if (typeof raw === 'string' && raw.trim() !== '') {
    const n = Number(raw);
    return Number.isNaN(n) ? raw : n;
  }
  return raw;
};

export const numberField: FieldType<OptionsOf<typeof numberOptions>> = {
  type: 'number',
  options: numberOptions,
  storage: () => ({ kind: 'number', empty: 0 }),
  empty: () => 0,
  cast: castNumber,
  schema: (field) => {
    const { min, max } = field;
    return v.pipe(
      v.number(fieldIssue('validation_not_a_number', 'Must be a number.')),
      v.check((n) => Number.isFinite(n), fieldIssue('validation_not_a_number', 'Must be a finite number.')),
      requiredCheck<number>(field, (n) => n === 0, { not: { const: 0 } }),
      withKeywords(
        v.check<number, string>(
          (n) => !field.onlyInt || Number.isInteger(n),
          fieldIssue('validation_only_int_constraint', 'Decimal numbers are not allowed.'),
        ),
        field.onlyInt ? { type: 'integer' } : {},
      ),
      withKeywords(
        v.check<number, string>(
          // As in PocketBase, an empty (0) optional number skips the bounds.
          (n) => min === null || min === undefined || n >= min || (n === 0 && !field.required),
          fieldIssue('validation_min_number_constraint', `Must be larger than ${min}.`),
        ),
        typeof min === 'number' ? unlessEmpty(field.required, { const: 0 }, { minimum: min }) : {},
      ),
      withKeywords(
        v.check<number, string>(
          (n) => max === null || max === undefined || n <= max || (n === 0 && !field.required),
          fieldIssue('validation_max_number_constraint', `Must be less than ${max}.`),
        ),
        typeof max === 'number' ? unlessEmpty(field.required, { const: 0 }, { maximum: max }) : {},
      ),
    );
  },
  toDb: (value) => value,
  fromDb: (value) => (typeof value === 'number' ? value : Number(value) || 0),
  modify: (field, current, raw, kind) => {
    if (kind === '+x') return current;
    const delta = castNumber(raw);
    if (typeof delta !== 'number' || typeof current !== 'number') {
      throw ApiError.badRequest('Failed to apply the field modifier.', {
        [field.name]: { code: 'validation_not_a_number', message: 'Must be a number.' },
      });
    }
    return kind === 'x+' ? current + delta : current - delta;
  },
};

// The `text` field: a string with length bounds, a pattern and an optional autogenerate pattern.
import * as v from 'valibot';
import { castText, mustBeText, optionalCount, optionsSchema, requiredCheck } from './common.js';
import { fieldIssue } from './issue.js';
import type { FieldDefinition, FieldType } from './types.js';

const DEFAULT_MAX = 5000;

export const textField: FieldType = {
  type: 'text',
  options: optionsSchema({
    min: optionalCount,
    max: optionalCount,
    pattern: v.optional(v.string()),
    autogeneratePattern: v.optional(v.string()),
    primaryKey: v.optional(v.boolean()),
  }),
  column: (field) =>
    field.primaryKey
      ? "TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL"
      : "TEXT DEFAULT '' NOT NULL",
  empty: () => '',
  cast: castText,
  schema: (field) => textSchema(field),
  toDb: (value) => value,
  fromDb: (value) => (value === null || value === undefined ? '' : String(value)),
};

/** The string checks text and password share: required, min, max and pattern. */
export function textSchema(field: FieldDefinition, defaultMax = DEFAULT_MAX): v.GenericSchema {
  const min = (field.min as number | undefined) ?? 0;
  const max = (field.max as number | undefined) || defaultMax;
  const pattern = field.pattern ? new RegExp(field.pattern as string) : undefined;
  return v.pipe(
    v.string(mustBeText),
    requiredCheck<string>(field, (s) => s === ''),
    v.check(
      (s) => s === '' || [...s].length >= min,
      fieldIssue('validation_min_text_constraint', `Must be at least ${min} character(s).`),
    ),
    v.check(
      (s) => [...s].length <= max,
      fieldIssue('validation_max_text_constraint', `Must be no more than ${max} character(s).`),
    ),
    v.check(
      (s) => s === '' || !pattern || pattern.test(s),
      fieldIssue('validation_match_invalid', 'Invalid value format.'),
    ),
  );
}

// The `date` field: a datetime in the wire format, with optional earliest and latest values.
import * as v from 'valibot';
import { parseDateTime } from '../datetime.js';
import { mustBeText, NON_EMPTY_TEXT, optionsSchema, requiredCheck, type OptionsOf } from './common.js';
import { fieldIssue } from './issue.js';
import { unlessEmpty, withKeywords } from './json-schema.js';
import type { FieldType } from './types.js';

/** The stored form of a datetime, as JSON Schema sees it. */
export const DATETIME_PATTERN = '^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$';

const dateOptions = optionsSchema({ min: v.optional(v.string()), max: v.optional(v.string()) });

export const dateField: FieldType<OptionsOf<typeof dateOptions>> = {
  type: 'date',
  options: dateOptions,
  storage: () => ({ kind: 'text', empty: '' }),
  empty: () => '',
  cast: (raw) => {
    if (raw === null || raw === undefined || raw === '') return '';
    return parseDateTime(raw) ?? raw;
  },
  schema: (field) => {
    const min = field.min ? parseDateTime(field.min) : undefined;
    const max = field.max ? parseDateTime(field.max) : undefined;
    return v.pipe(
      v.string(mustBeText),
      requiredCheck<string>(field, (s) => s === '', NON_EMPTY_TEXT),
      withKeywords(
        v.check<string, string>(
          (s) => s === '' || parseDateTime(s) === s,
          fieldIssue('validation_invalid_date', 'Must be a valid datetime.'),
        ),
        {
          ...unlessEmpty(field.required, { maxLength: 0 }, { pattern: DATETIME_PATTERN }),
          description: 'A UTC datetime, `2025-01-03 12:23:01.865Z` (ISO 8601 and bare dates are accepted on input).',
        },
      ),
      withKeywords(
        v.check<string, string>(
          (s) => s === '' || !min || s >= min,
          fieldIssue('validation_min_date_constraint', `Must be no earlier than ${min}.`),
        ),
        min ? { description: `No earlier than ${min}.` } : {},
      ),
      withKeywords(
        v.check<string, string>(
          (s) => s === '' || !max || s <= max,
          fieldIssue('validation_max_date_constraint', `Must be no later than ${max}.`),
        ),
        max ? { description: `No later than ${max}.` } : {},
      ),
    );
  },
  toDb: (value) => value,
  fromDb: (value) => (value === null || value === undefined ? '' : String(value)),
};

// The `date` field: a datetime in the wire format, with optional earliest and latest values.
import * as v from 'valibot';
import { parseDateTime } from '../datetime.js';
import { mustBeText, optionsSchema, requiredCheck, type OptionsOf } from './common.js';
import { fieldIssue } from './issue.js';
import type { FieldType } from './types.js';

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
      requiredCheck<string>(field, (s) => s === ''),
      v.check(
        (s) => s === '' || parseDateTime(s) === s,
        fieldIssue('validation_invalid_date', 'Must be a valid datetime.'),
      ),
      v.check(
        (s) => s === '' || !min || s >= min,
        fieldIssue('validation_min_date_constraint', `Must be no earlier than ${min}.`),
      ),
      v.check(
        (s) => s === '' || !max || s <= max,
        fieldIssue('validation_max_date_constraint', `Must be no later than ${max}.`),
      ),
    );
  },
  toDb: (value) => value,
  fromDb: (value) => (value === null || value === undefined ? '' : String(value)),
};

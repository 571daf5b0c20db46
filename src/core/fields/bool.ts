// The `bool` field: true or false; `required` means it must be true, as in PocketBase.
import * as v from 'valibot';
import { optionsSchema, requiredCheck, type OptionsOf } from './common.js';
import { fieldIssue } from './issue.js';
import type { FieldType } from './types.js';

const TRUE_TEXT = new Set(['true', '1', 't', 'on', 'yes']);
const FALSE_TEXT = new Set(['false', '0', 'f', 'off', 'no', '']);

const boolOptions = optionsSchema({});

export const boolField: FieldType<OptionsOf<typeof boolOptions>> = {
  type: 'bool',
  options: boolOptions,
  storage: () => ({ kind: 'bool', empty: false }),
  empty: () => false,
  cast: (raw) => {
    if (raw === null || raw === undefined) return false;
    if (raw === 0 || raw === 1) return raw === 1;
    if (typeof raw === 'string') {
      const text = raw.trim().toLowerCase();
      if (TRUE_TEXT.has(text)) return true;
      if (FALSE_TEXT.has(text)) return false;
    }
    return raw;
  },
  schema: (field) =>
    v.pipe(
      v.boolean(fieldIssue('validation_invalid_value', 'Must be true or false.')),
      requiredCheck<boolean>(field, (b) => !b, { const: true }),
    ),
  toDb: (value) => (value ? 1 : 0),
  fromDb: (value) => value === 1 || value === true || value === '1',
};

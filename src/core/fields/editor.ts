// The `editor` field: rich text (HTML) bounded by size in bytes.
import * as v from 'valibot';
import { castText, mustBeText, optionalCount, optionsSchema, requiredCheck } from './common.js';
import { fieldIssue } from './issue.js';
import type { FieldType } from './types.js';

const DEFAULT_MAX_SIZE = 5 * 1024 * 1024;

export const editorField: FieldType = {
  type: 'editor',
  options: optionsSchema({ maxSize: optionalCount, convertURLs: v.optional(v.boolean()) }),
  column: () => "TEXT DEFAULT '' NOT NULL",
  empty: () => '',
  cast: castText,
  schema: (field) => {
    const maxSize = (field.maxSize as number | undefined) || DEFAULT_MAX_SIZE;
    return v.pipe(
      v.string(mustBeText),
      requiredCheck<string>(field, (s) => s === ''),
      v.check(
        (s) => Buffer.byteLength(s) <= maxSize,
        fieldIssue('validation_max_size_constraint', `Must be no more than ${maxSize} bytes.`),
      ),
    );
  },
  toDb: (value) => value,
  fromDb: (value) => (value === null || value === undefined ? '' : String(value)),
};

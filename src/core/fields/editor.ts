// The `editor` field: rich text (HTML) bounded by size in bytes.
import * as v from 'valibot';
import {
  castText,
  mustBeText,
  NON_EMPTY_TEXT,
  optionalCount,
  optionsSchema,
  requiredCheck,
  type OptionsOf,
} from './common.js';
import { fieldIssue } from './issue.js';
import { withKeywords } from './json-schema.js';
import type { FieldType } from './types.js';

const DEFAULT_MAX_SIZE = 5 * 1024 * 1024;

const editorOptions = optionsSchema({ maxSize: optionalCount, convertURLs: v.optional(v.boolean()) });

export const editorField: FieldType<OptionsOf<typeof editorOptions>> = {
  type: 'editor',
  options: editorOptions,
  storage: () => ({ kind: 'text', empty: '' }),
  empty: () => '',
  cast: castText,
  schema: (field) => {
    const maxSize = field.maxSize || DEFAULT_MAX_SIZE;
    return v.pipe(
      v.string(mustBeText),
      requiredCheck<string>(field, (s) => s === '', NON_EMPTY_TEXT),
      withKeywords(
        v.check<string, string>(
          // Three bytes per UTF-16 unit at most: short texts skip the byte count.
          (s) => s.length * 3 <= maxSize || Buffer.byteLength(s) <= maxSize,
          fieldIssue('validation_max_size_constraint', `Must be no more than ${maxSize} bytes.`),
        ),
        { description: `Rich text (HTML), at most ${maxSize} bytes in UTF-8.`, contentMediaType: 'text/html' },
      ),
    );
  },
  toDb: (value) => value,
  fromDb: (value) => (value === null || value === undefined ? '' : String(value)),
};

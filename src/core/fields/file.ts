// The `file` field: stored file names (uploads arrive with the files issue; names only for now).
import * as v from 'valibot';
import { optionalCount, optionsSchema, type OptionsOf } from './common.js';
import { fieldIssue } from './issue.js';
import { listFieldParts } from './list-field.js';
import type { FieldType } from './types.js';

// A stored name is one path segment: no separators, no dot-only names, no control characters.
const SAFE_NAME = /^(?!\.{1,2}$)[^/\\\u0000-\u001f]{1,255}$/;

const fileOptions = optionsSchema({
  maxSelect: optionalCount,
  maxSize: optionalCount,
  mimeTypes: v.optional(v.array(v.string())),
  thumbs: v.optional(v.array(v.string())),
  protected: v.optional(v.boolean()),
});

type FileOptions = OptionsOf<typeof fileOptions>;

export const fileField: FieldType<FileOptions> = {
  type: 'file',
  options: fileOptions,
  ...listFieldParts<FileOptions>({
    test: (name) => SAFE_NAME.test(name),
    issue: fieldIssue('validation_invalid_file', 'Invalid file name.'),
  }),
};

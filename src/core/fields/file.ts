// The `file` field: the names of a record's stored files (one, or a list with maxSelect > 1). Uploads are checked
// here against the field's options; the write pipeline stores them (see records/write/files.ts).
import * as v from 'valibot';
import { optionalCount, optionsSchema, type OptionsOf } from './common.js';
import { fieldIssue } from './issue.js';
import { listFieldParts } from './list-field.js';
import type { FieldType } from './types.js';

// A stored name is one path segment: no separators, no dot-only names, no control characters.
const SAFE_NAME = /^(?!\.{1,2}$)[^/\\\u0000-\u001f]{1,255}$/;

/** PocketBase's limit for a file field that sets none: 5 MiB. */
export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

const fileOptions = optionsSchema({
  maxSelect: optionalCount,
  maxSize: optionalCount,
  mimeTypes: v.optional(v.array(v.string())),
  thumbs: v.optional(
    v.array(v.pipe(v.string(), v.regex(/^\d+x\d+[tbf]?$/, 'a thumb size is WxH, WxHt, WxHb or WxHf'))),
  ),
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
  uploads: {
    check(field, upload) {
      if (upload.size === 0) {
        return { code: 'validation_invalid_file', message: `Failed to upload "${upload.name}" - the file is empty.` };
      }
      const max = field.maxSize || DEFAULT_MAX_FILE_SIZE;
      if (upload.size > max) {
        return {
          code: 'validation_file_size_limit',
          message: `Failed to upload "${upload.name}" - the maximum allowed file size is ${max} bytes.`,
          params: { maxSize: max },
        };
      }
      const types = field.mimeTypes ?? [];
      if (types.length && !types.includes(upload.mime)) {
        return {
          code: 'validation_invalid_mime_type',
          message: `"${upload.name}" mime type must be one of: ${types.join(', ')}.`,
          params: { mimeTypes: types.join(', ') },
        };
      }
      return undefined;
    },
    isProtected: (field) => field.protected === true,
    thumbs: (field) => field.thumbs ?? [],
  },
};

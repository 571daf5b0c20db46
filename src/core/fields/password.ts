// The `password` field (auth collections): a plain password in, an argon2id hash stored, never shown.
import * as v from 'valibot';
import { castText, optionalCount, optionsSchema } from './common.js';
import { textSchema } from './text.js';
import type { FieldType } from './types.js';

export const passwordField: FieldType = {
  type: 'password',
  options: optionsSchema({
    min: optionalCount,
    max: optionalCount,
    pattern: v.optional(v.string()),
    cost: optionalCount,
  }),
  column: () => "TEXT DEFAULT '' NOT NULL",
  empty: () => '',
  cast: castText,
  schema: (field) => textSchema(field, 71),
  // The record engine replaces the plain value with its hash before it is stored.
  toDb: (value) => value,
  fromDb: (value) => value,
  alwaysHidden: true,
};

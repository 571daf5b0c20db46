// The `select` field: one value (maxSelect <= 1) or a list of values from a fixed set.
import * as v from 'valibot';
import { optionsSchema, type OptionsOf } from './common.js';
import { fieldIssue } from './issue.js';
import { listFieldParts } from './list-field.js';
import type { FieldType } from './types.js';

const selectOptions = optionsSchema({
  values: v.pipe(v.array(v.pipe(v.string(), v.minLength(1))), v.minLength(1, 'needs at least one value')),
  maxSelect: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});

type SelectOptions = OptionsOf<typeof selectOptions>;

/** The allowed values of each select field, built once. */
const allowedOf = new WeakMap<SelectOptions, Set<string>>();

export const selectField: FieldType<SelectOptions> = {
  type: 'select',
  options: selectOptions,
  ...listFieldParts<SelectOptions>({
    test: (item, field) => {
      let allowed = allowedOf.get(field);
      if (!allowed) allowedOf.set(field, (allowed = new Set(field.values)));
      return allowed.has(item);
    },
    issue: fieldIssue('validation_in_invalid', 'Must be a valid value.'),
    keywords: (field) => ({ enum: field.values }),
  }),
};

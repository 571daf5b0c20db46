// The `relation` field: ids of records in another collection; existence is checked by the record engine.
import * as v from 'valibot';
import { optionalCount, optionsSchema } from './common.js';
import { fieldIssue } from './issue.js';
import { listFieldParts } from './list-field.js';
import type { FieldType } from './types.js';

export const relationField: FieldType = {
  type: 'relation',
  options: optionsSchema({
    // The target collection, by id or (in hand-written files) by name.
    collectionId: v.pipe(v.string(), v.minLength(1, 'must name the related collection')),
    cascadeDelete: v.optional(v.boolean()),
    minSelect: optionalCount,
    maxSelect: optionalCount,
  }),
  ...listFieldParts({
    test: (id) => /^[A-Za-z0-9_]{1,100}$/.test(id),
    issue: fieldIssue('validation_missing_rel_records', 'Failed to find all relation records with the provided ids.'),
  }),
};

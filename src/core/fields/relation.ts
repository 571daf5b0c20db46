// The `relation` field: ids of records in another collection; existence is checked by the record engine.
import * as v from 'valibot';
import { optionalCount, optionsSchema, type OptionsOf } from './common.js';
import { fieldIssue } from './issue.js';
import { listFieldParts } from './list-field.js';
import type { FieldType } from './types.js';

const relationOptions = optionsSchema({
  // The target collection, by id or (in hand-written files) by name.
  collectionId: v.pipe(v.string(), v.minLength(1, 'must name the related collection')),
  cascadeDelete: v.optional(v.boolean()),
  minSelect: optionalCount,
  maxSelect: optionalCount,
});

type RelationOptions = OptionsOf<typeof relationOptions>;

export const relationField: FieldType<RelationOptions> = {
  type: 'relation',
  options: relationOptions,
  ...listFieldParts<RelationOptions>({
    test: (id) => /^[A-Za-z0-9_]{1,100}$/.test(id),
    issue: fieldIssue('validation_missing_rel_records', 'Failed to find all relation records with the provided ids.'),
    keywords: () => ({ pattern: '^[A-Za-z0-9_]{1,100}$' }),
  }),
  references: {
    target: (field) => field.collectionId,
    retarget: (field, collectionId) => ({ ...field, collectionId }),
    cascadeDelete: (field) => field.cascadeDelete === true,
  },
};

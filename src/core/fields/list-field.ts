// The single-or-many value shape that relation and file share (maxSelect <= 1: one string, else a list).
import * as v from 'valibot';
import { castList, castSingle, mustBeList, mustBeText, parseList, requiredCheck } from './common.js';
import { fieldIssue } from './issue.js';
import type { FieldDefinition } from './types.js';

export const isMultiple = (field: FieldDefinition) => ((field.maxSelect as number | undefined) ?? 0) > 1;

/** The members of FieldType that a single-or-many string field has in common. */
export function listFieldParts(itemCheck?: { test: (item: string) => boolean; issue: string }) {
  return {
    isMultiple,
    column: (field: FieldDefinition) => (isMultiple(field) ? "JSON DEFAULT '[]' NOT NULL" : "TEXT DEFAULT '' NOT NULL"),
    empty: (field: FieldDefinition) => (isMultiple(field) ? [] : ''),
    cast: (raw: unknown, field: FieldDefinition) => (isMultiple(field) ? castList(raw) : castSingle(raw)),
    schema: (field: FieldDefinition): v.GenericSchema => {
      const itemOk = (item: string) => !itemCheck || itemCheck.test(item);
      const itemIssue = itemCheck?.issue ?? '';
      if (!isMultiple(field)) {
        return v.pipe(
          v.string(mustBeText),
          requiredCheck<string>(field, (s) => s === ''),
          v.check((s) => s === '' || itemOk(s), itemIssue),
        );
      }
      const min = (field.minSelect as number | undefined) ?? 0;
      const max = field.maxSelect as number;
      return v.pipe(
        v.array(v.string(), mustBeList),
        requiredCheck<string[]>(field, (list) => list.length === 0),
        v.check((list) => list.every(itemOk), itemIssue),
        v.check(
          (list) => list.length === 0 || list.length >= min,
          fieldIssue('validation_not_enough_values', `Select at least ${min}.`),
        ),
        v.check((list) => list.length <= max, fieldIssue('validation_too_many_values', `Select no more than ${max}.`)),
      );
    },
    toDb: (value: unknown, field: FieldDefinition) => (isMultiple(field) ? JSON.stringify(value) : value),
    fromDb: (value: unknown, field: FieldDefinition) => (isMultiple(field) ? parseList(value) : (value ?? '')),
  };
}

// The single-or-many value shape that select, relation and file share (maxSelect <= 1: one string, else a list).
import * as v from 'valibot';
import { castList, castSingle, mustBeList, mustBeText, parseList, requiredCheck } from './common.js';
import { fieldIssue } from './issue.js';
import { withKeywords, type JsonKeywords } from './json-schema.js';
import type { FieldDefinition, FieldType, ModifierKind } from './types.js';

/** The options the list shape reads. */
export interface ListShapeOptions {
  required?: boolean | undefined;
  minSelect?: number | undefined;
  maxSelect?: number | undefined;
}

export const isMultiple = (field: ListShapeOptions) => (field.maxSelect ?? 0) > 1;

/** Checks each item (a select's allowed values, a relation id's shape), with the issue to report. */
export interface ItemCheck<O> {
  test(item: string, field: O): boolean;
  issue: string;
  /** The same check in JSON Schema, for one item (`{enum: values}`), for the API reference. */
  keywords?(field: O): JsonKeywords;
}

/** `field+` appends, `+field` prepends, `field-` removes; on a single value the last item wins. */
function modifyList(field: ListShapeOptions, current: unknown, raw: unknown, kind: ModifierKind): unknown {
  const items = castList(raw);
  if (!Array.isArray(items)) return items;
  const multiple = isMultiple(field);
  const list = multiple ? (current as string[]) : current === '' ? [] : [current as string];
  let next: string[];
  if (kind === 'x-') next = list.filter((item) => !items.includes(item));
  else if (kind === 'x+') next = [...list, ...items.filter((item: string) => !list.includes(item))];
  else next = [...items.filter((item: string) => !list.includes(item)), ...list];
  return multiple ? next : (next[next.length - 1] ?? '');
}

type ListParts<O extends FieldDefinition & ListShapeOptions> = Pick<
  FieldType<O>,
  'isMultiple' | 'storage' | 'empty' | 'cast' | 'schema' | 'toDb' | 'fromDb' | 'modify'
>;

/** The members of FieldType that a single-or-many string field has in common. */
export function listFieldParts<O extends FieldDefinition & ListShapeOptions>(itemCheck?: ItemCheck<O>): ListParts<O> {
  return {
    isMultiple,
    storage: (field) => (isMultiple(field) ? { kind: 'list', empty: [] } : { kind: 'text', empty: '' }),
    empty: (field) => (isMultiple(field) ? [] : ''),
    cast: (raw, field) => (isMultiple(field) ? castList(raw) : castSingle(raw)),
    schema: (field): v.GenericSchema => {
      const itemOk = (item: string) => !itemCheck || itemCheck.test(item, field);
      const itemIssue = itemCheck?.issue ?? '';
      const item = itemCheck?.keywords?.(field) ?? {};
      if (!isMultiple(field)) {
        return v.pipe(
          v.string(mustBeText),
          requiredCheck<string>(field, (s) => s === '', { minLength: 1 }),
          withKeywords(
            v.check<string, string>((s) => s === '' || itemOk(s), itemIssue),
            Object.keys(item).length ? (field.required ? item : { anyOf: [{ const: '' }, item] }) : {},
          ),
        );
      }
      const min = field.minSelect ?? 0;
      const max = field.maxSelect ?? 0;
      return v.pipe(
        v.array(v.string(), mustBeList),
        requiredCheck<string[]>(field, (list) => list.length === 0, { minItems: 1 }),
        withKeywords(
          v.check<string[], string>((list) => list.every(itemOk), itemIssue),
          Object.keys(item).length ? { items: { type: 'string', ...item } } : {},
        ),
        withKeywords(
          v.check<string[], string>(
            (list) => list.length === 0 || list.length >= min,
            fieldIssue('validation_not_enough_values', `Select at least ${min}.`),
          ),
          min > 1 ? (field.required ? { minItems: min } : { anyOf: [{ maxItems: 0 }, { minItems: min }] }) : {},
        ),
        withKeywords(
          v.check<string[], string>(
            (list) => list.length <= max,
            fieldIssue('validation_too_many_values', `Select no more than ${max}.`),
          ),
          { maxItems: max, uniqueItems: true },
        ),
      );
    },
    toDb: (value, field) => (isMultiple(field) ? JSON.stringify(value) : value),
    fromDb: (value, field) => (isMultiple(field) ? parseList(value) : (value ?? '')),
    modify: modifyList,
  };
}

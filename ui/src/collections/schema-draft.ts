// A collection as the schema editor holds it while it is being edited, and back to the collections API's JSON.
// Each field keeps its common settings as controls and every type-specific option as JSON (all of them, whatever
// the type: min, max, pattern, values, maxSelect, collectionId, thumbs...), so no option is out of reach.
import type { CollectionField, CollectionModel } from 'pocketbase';

export const FIELD_TYPES = [
  'text',
  'editor',
  'number',
  'bool',
  'email',
  'url',
  'date',
  'autodate',
  'select',
  'file',
  'relation',
  'json',
  'geoPoint',
  'password',
] as const;

export const RULES = ['listRule', 'viewRule', 'createRule', 'updateRule', 'deleteRule'] as const;
export const AUTH_RULES = ['authRule', 'manageRule'] as const;
export type RuleName = (typeof RULES)[number] | (typeof AUTH_RULES)[number];

/** Keys edited with their own controls; everything else of a field is its options JSON. */
const COMMON_KEYS = new Set(['id', 'name', 'type', 'system', 'hidden', 'presentable', 'required']);

export interface FieldDraft {
  /** The server's id; absent for a field added here (the server gives it one). */
  id?: string;
  /** A stable key for the list while names change. */
  key: string;
  name: string;
  type: string;
  system: boolean;
  hidden: boolean;
  presentable: boolean;
  required: boolean;
  /** The type-specific options as JSON text. */
  options: string;
}

export interface RuleDraft {
  /** null: locked, superusers only. */
  locked: boolean;
  text: string;
}

export interface CollectionDraft {
  name: string;
  type: 'base' | 'auth' | 'view';
  viewQuery: string;
  fields: FieldDraft[];
  rules: Record<RuleName, RuleDraft>;
  /** One CREATE INDEX statement per line. */
  indexes: string;
}

let keys = 0;
const nextKey = () => `k${++keys}`;

export function fieldDraft(field: Partial<CollectionField> & { name: string; type: string }): FieldDraft {
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(field)) if (!COMMON_KEYS.has(k)) options[k] = v;
  return {
    ...(field.id ? { id: field.id } : {}),
    key: nextKey(),
    name: field.name,
    type: field.type,
    system: Boolean(field.system),
    hidden: Boolean(field.hidden),
    presentable: Boolean(field.presentable),
    required: Boolean(field.required),
    options: Object.keys(options).length ? JSON.stringify(options, null, 2) : '{}',
  };
}

const ruleDraft = (value: unknown): RuleDraft =>
  value === null || value === undefined ? { locked: true, text: '' } : { locked: false, text: String(value) };

export function collectionDraft(collection: CollectionModel | undefined): CollectionDraft {
  const rules = {} as Record<RuleName, RuleDraft>;
  for (const rule of [...RULES, ...AUTH_RULES]) {
    rules[rule] = collection ? ruleDraft(collection[rule]) : { locked: true, text: '' };
  }
  return {
    name: collection?.name ?? '',
    type: (collection?.type as CollectionDraft['type']) ?? 'base',
    viewQuery: String(collection?.viewQuery ?? ''),
    fields: (collection?.fields ?? []).map((f) => fieldDraft(f)),
    rules,
    indexes: ((collection?.indexes as string[] | undefined) ?? []).join('\n'),
  };
}

/** Thrown for a field whose options are not a JSON object: shown next to it, nothing is sent. */
export class OptionsError extends Error {
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(message);
  }
}

/** The collections API body for the draft (create or update). */
export function collectionBody(draft: CollectionDraft): Record<string, unknown> {
  const body: Record<string, unknown> = { name: draft.name.trim(), type: draft.type };
  if (draft.type === 'view') body.viewQuery = draft.viewQuery;
  else {
    body.fields = draft.fields.map((f, index) => {
      let options: unknown;
      try {
        options = JSON.parse(f.options || '{}');
      } catch (err) {
        throw new OptionsError(index, `Options are not valid JSON: ${(err as Error).message}`);
      }
      if (!options || typeof options !== 'object' || Array.isArray(options)) {
        throw new OptionsError(index, 'Options must be a JSON object, e.g. {"max": 100}.');
      }
      return {
        ...(options as Record<string, unknown>),
        ...(f.id ? { id: f.id } : {}),
        name: f.name.trim(),
        type: f.type,
        system: f.system,
        hidden: f.hidden,
        presentable: f.presentable,
        required: f.required,
      };
    });
  }
  const rules = draft.type === 'auth' ? [...RULES, ...AUTH_RULES] : RULES;
  for (const rule of rules) body[rule] = draft.rules[rule].locked ? null : draft.rules[rule].text;
  body.indexes = draft.indexes
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return body;
}

/** A 400's messages by where they belong: `name`, `listRule`, `indexes`, `fields.2.name`, ... */
export function schemaErrors(data: unknown, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  if (!data || typeof data !== 'object') return out;
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const message = (value as { message?: unknown } | null)?.message;
    if (typeof message === 'string' && typeof (value as { code?: unknown }).code === 'string') out[path] = message;
    else Object.assign(out, schemaErrors(value, path));
  }
  return out;
}

// Turns one parsed collection file into a complete Collection, or a DefinitionError naming what is wrong.
import * as v from 'valibot';
import { DefinitionError } from '../errors.js';
import { fieldType, fieldTypeNames, typeOf, type FieldDefinition } from '../fields/index.js';
import { checksumId } from '../ids.js';
import { AUTH_OPTION_KEYS, collectionFileSchema } from './definition-schema.js';
import type { Collection } from './model.js';
import { parseIndex } from './indexes.js';
import { oauth2Problem } from './oauth2-schema.js';
import { RESERVED_FIELD_NAMES, withSystemFields } from './system-fields.js';

/** Tables Satchel keeps for itself in the same database: a collection cannot take their names. */
const SATCHEL_TABLES = new Set(['_collections', '_params', '_sequences', '_otps', '_mfas', '_authOrigins']);

/** Edit distance between two short words (option names), for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The known key closest to `key` (case aside), if one is close enough to be what was meant. */
export function nearest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of known) {
    const score = distance(key.toLowerCase(), candidate.toLowerCase());
    if (score < bestScore) [best, bestScore] = [candidate, score];
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** One line for the first problem: an unknown key names itself and the nearest known one. */
function describeIssues(issues: readonly v.BaseIssue<unknown>[], known: readonly string[] = []): string {
  const first = issues[0]!;
  const path = first.path?.map((p) => String(p.key)).join('.');
  if (first.type === 'strict_object' && first.expected === 'never' && path && !path.includes('.')) {
    const guess = nearest(path, known);
    return `unknown option "${path}"${guess ? ` (did you mean "${guess}"?)` : ''}; the known ones are ${known.join(', ')}`;
  }
  return path ? `"${path}" ${first.message}` : first.message;
}

/** The keys a strict object schema knows. */
function keysOf(schema: unknown): string[] {
  const entries = (schema as { entries?: Record<string, unknown> }).entries;
  return entries ? Object.keys(entries) : [];
}

function normalizeField(file: string, raw: Record<string, unknown>, position: number): FieldDefinition {
  const label = typeof raw.name === 'string' ? `field "${raw.name}"` : `field #${position + 1}`;
  const type = fieldType(String(raw.type));
  if (!type) {
    throw new DefinitionError(
      file,
      `${label}: unknown type ${JSON.stringify(raw.type)} (one of ${fieldTypeNames().join(', ')})`,
    );
  }
  // PocketBase writes `null` for an unset option (`mimeTypes`, `thumbs`, `onlyDomains`...): it means "not set".
  const set = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== null));
  const withId = { ...set, id: raw.id ?? checksumId(String(raw.type), String(raw.name)) };
  const result = v.safeParse(type.options, withId);
  if (!result.success) {
    throw new DefinitionError(file, `${label}: ${describeIssues(result.issues, keysOf(type.options))}`);
  }
  const field = withId as FieldDefinition;
  for (const key of ['pattern'] as const) {
    if (typeof field[key] === 'string') {
      try {
        new RegExp(field[key]);
      } catch {
        throw new DefinitionError(file, `${label}: ${key} is not a valid regular expression`);
      }
    }
  }
  return field;
}

/** Reads one collection file's JSON into a Collection; relation targets are resolved later by the loader. */
export function normalizeCollection(file: string, json: unknown): Collection {
  const parsed = v.safeParse(collectionFileSchema, json);
  if (!parsed.success) throw new DefinitionError(file, describeIssues(parsed.issues, keysOf(collectionFileSchema)));
  const def = parsed.output;
  if (SATCHEL_TABLES.has(def.name.toLowerCase())) {
    throw new DefinitionError(file, `the name "${def.name}" is one of Satchel's own tables`);
  }
  if (def.type !== 'auth') {
    const stray = AUTH_OPTION_KEYS.filter((k) => (def as Record<string, unknown>)[k] !== undefined);
    if (stray.length) throw new DefinitionError(file, `${stray.join(', ')} only apply to auth collections`);
  }
  if (def.type === 'view') {
    if (!def.viewQuery?.trim()) throw new DefinitionError(file, 'a view collection needs a viewQuery (a SELECT)');
    if (def.indexes.length) throw new DefinitionError(file, 'a view collection cannot have indexes');
  } else if (def.viewQuery !== undefined) {
    throw new DefinitionError(file, 'viewQuery only applies to view collections');
  }
  // A view's fields come from its query (see views.ts); fields a file lists are kept as hints (ids, hidden).
  const listed = def.fields as FieldDefinition[];
  const fields = (def.type === 'view' ? listed : withSystemFields(def.type, listed)).map((f, i) =>
    normalizeField(file, f, i),
  );

  const seenNames = new Set<string>();
  const seenIds = new Set<string>();
  for (const field of fields) {
    const lower = field.name.toLowerCase();
    if (RESERVED_FIELD_NAMES.has(lower)) throw new DefinitionError(file, `field "${field.name}": the name is reserved`);
    if (seenNames.has(lower)) throw new DefinitionError(file, `field "${field.name}": the name is used twice`);
    if (seenIds.has(field.id))
      throw new DefinitionError(file, `field "${field.name}": the id "${field.id}" is used twice`);
    if (typeOf(field).authOnly && def.type !== 'auth') {
      throw new DefinitionError(file, `field "${field.name}": ${field.type} fields belong to auth collections only`);
    }
    seenNames.add(lower);
    seenIds.add(field.id);
  }

  for (const sql of def.indexes) {
    const index = parseIndex(sql);
    if (!index)
      throw new DefinitionError(file, `index ${JSON.stringify(sql)} is not a single CREATE [UNIQUE] INDEX statement`);
    if (index.table !== def.name) {
      throw new DefinitionError(file, `index "${index.name}" is on table "${index.table}", not on "${def.name}"`);
    }
  }

  for (const key of ['authRule', 'manageRule'] as const) {
    const value = (def as Record<string, unknown>)[key];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw new DefinitionError(file, `${key}: must be a rule (text) or null`);
    }
  }
  // As PocketBase: an empty manageRule would let everyone manage every account; null means superusers only.
  if ((def as Record<string, unknown>).manageRule === '') {
    throw new DefinitionError(file, 'manageRule: cannot be blank (null leaves managing to superusers)');
  }

  const oauth2 = (def as Record<string, unknown>).oauth2;
  if (def.type === 'auth' && oauth2 !== undefined) {
    const problem = oauth2Problem(
      oauth2,
      fields.map((f) => f.name),
    );
    if (problem) throw new DefinitionError(file, problem);
  }

  const options: Record<string, unknown> = {};
  for (const key of AUTH_OPTION_KEYS) {
    const value = (def as Record<string, unknown>)[key];
    if (value !== undefined) options[key] = value;
  }

  return {
    id: def.id ?? checksumId('pbc_', def.type + def.name),
    name: def.name,
    type: def.type,
    system: def.system,
    fields,
    indexes: def.indexes,
    listRule: def.listRule,
    viewRule: def.viewRule,
    createRule: def.createRule,
    updateRule: def.updateRule,
    deleteRule: def.deleteRule,
    ...(def.type === 'view' ? { viewQuery: def.viewQuery!.trim().replace(/;+\s*$/, '') } : {}),
    options,
  };
}

// One row of PocketBase's `_collections` (>= 0.23) as the JSON of a Satchel collection file, with what did not fit.
import * as v from 'valibot';
import { AUTH_OPTION_KEYS } from '../collections/definition-schema.js';
import { SUPERUSERS_SETTINGS } from '../collections/system-collections.js';
import { fieldType } from '../fields/index.js';

/** A `_collections` row as PocketBase stores it: the JSON columns still text. */
export interface PocketBaseCollectionRow {
  id: string;
  system: number | boolean;
  type: string;
  name: string;
  fields: string;
  indexes: string;
  listRule: string | null;
  viewRule: string | null;
  createRule: string | null;
  updateRule: string | null;
  deleteRule: string | null;
  options: string;
}

/** The token types whose secret PocketBase keeps in the collection options, by option key. */
export const TOKEN_OPTIONS = {
  authToken: 'auth',
  passwordResetToken: 'passwordReset',
  emailChangeToken: 'emailChange',
  verificationToken: 'verification',
  fileToken: 'file',
} as const;

export interface ConvertedCollection {
  name: string;
  type: string;
  /** The collection file's JSON. */
  json: Record<string, unknown>;
  /** Token secrets by Satchel token type: kept in the database, never in the files (which live in git). */
  secrets: Record<string, string>;
  /** Fields left out, whose column values are therefore not carried. */
  droppedFields: Set<string>;
}

const RULES = ['listRule', 'viewRule', 'createRule', 'updateRule', 'deleteRule'] as const;

function parseJson(text: unknown, fallback: unknown): unknown {
  if (typeof text !== 'string' || text === '') return fallback;
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}

/** The field as Satchel reads it, with options it does not know removed (and reported); undefined when it cannot be. */
function convertField(
  where: string,
  raw: Record<string, unknown>,
  notes: string[],
): Record<string, unknown> | undefined {
  const label = `${where}.${String(raw.name)}`;
  const type = fieldType(String(raw.type));
  if (!type) {
    notes.push(
      `${label}: field type "${String(raw.type)}" does not exist in Satchel; the field and its values were left out`,
    );
    return undefined;
  }
  const field = { ...raw };
  // Each round removes one option Satchel refuses; a field has far fewer options than this bound.
  for (let round = 0; round < 50; round++) {
    const set = Object.fromEntries(Object.entries(field).filter(([, value]) => value !== null));
    const result = v.safeParse(type.options, set);
    if (result.success) return field;
    const issue = result.issues[0];
    const key = issue.path?.[0]?.key;
    if (typeof key === 'string' && key in field && !['id', 'name', 'type'].includes(key)) {
      notes.push(
        `${label}: option ${key}=${JSON.stringify(field[key])} is not supported by Satchel (${issue.message}); left out`,
      );
      delete field[key];
      continue;
    }
    notes.push(`${label}: ${issue.message}; the field and its values were left out`);
    return undefined;
  }
  return undefined;
}

/** Auth options without their secrets (returned apart) and without OAuth2 providers, which Satchel cannot serve. */
function authOptions(
  name: string,
  options: Record<string, unknown>,
  keys: readonly string[],
  notes: string[],
): { options: Record<string, unknown>; secrets: Record<string, string> } {
  const out: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  for (const key of keys) {
    if (options[key] === undefined) continue;
    let value = options[key];
    if (key in TOKEN_OPTIONS && typeof value === 'object' && value !== null) {
      const { secret, ...rest } = value as { secret?: unknown };
      if (typeof secret === 'string' && secret) secrets[TOKEN_OPTIONS[key as keyof typeof TOKEN_OPTIONS]] = secret;
      value = rest;
    }
    if (key === 'oauth2' && typeof value === 'object' && value !== null) {
      const { providers, enabled, ...rest } = value as { providers?: unknown; enabled?: unknown };
      const names = Array.isArray(providers) ? providers.map((p) => String((p as { name?: unknown }).name)) : [];
      if (enabled === true || names.length) {
        notes.push(
          `${name}: OAuth2 providers${names.length ? ` (${names.join(', ')})` : ''} were not carried (their client secrets would land in the collection file); add them again under "oauth2" (see the README's "Sign in with OAuth2")`,
        );
      }
      value = { ...rest, enabled: false, providers: [] };
    }
    out[key] = value;
  }
  const unknown = Object.keys(options).filter((k) => !keys.includes(k) && k !== 'viewQuery');
  if (unknown.length) notes.push(`${name}: options ${unknown.join(', ')} are not supported by Satchel; left out`);
  return { options: out, secrets };
}

/**
 * The collection's indexes, less the two every auth collection has (unique tokenKey and e-mail): Satchel makes those
 * itself under the same names, so carrying them would define them twice.
 */
function ownIndexes(row: PocketBaseCollectionRow): string[] {
  const indexes = parseJson(row.indexes, []);
  if (!Array.isArray(indexes)) return [];
  const builtIn = [`idx_tokenkey_${row.id}`, `idx_email_${row.id}`].map((n) => n.toLowerCase());
  return indexes.filter((sql): sql is string => {
    if (typeof sql !== 'string') return false;
    const name = /INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?[`"[]?(\w+)/i.exec(sql)?.[1]?.toLowerCase();
    return row.type !== 'auth' || !name || !builtIn.includes(name);
  });
}

/** Converts one `_collections` row; notes receive one line per thing that did not fit. */
export function convertCollection(row: PocketBaseCollectionRow, notes: string[]): ConvertedCollection {
  const options = (parseJson(row.options, {}) ?? {}) as Record<string, unknown>;
  const rawFields = parseJson(row.fields, []) as Record<string, unknown>[];
  const droppedFields = new Set<string>();
  const secrets: Record<string, string> = {};

  if (row.name === '_superusers') {
    // The built-in collection: its file holds only the settings PocketBase lets one edit.
    const auth = authOptions(row.name, options, SUPERUSERS_SETTINGS, []);
    Object.assign(secrets, auth.secrets);
    const standard = new Set([
      'id',
      'password',
      'tokenKey',
      'email',
      'emailVisibility',
      'verified',
      'created',
      'updated',
    ]);
    for (const f of rawFields) {
      if (!standard.has(String(f.name))) {
        notes.push(`_superusers.${String(f.name)}: extra superuser fields are not supported by Satchel; left out`);
        droppedFields.add(String(f.name));
      }
    }
    return { name: row.name, type: 'auth', json: { name: row.name, ...auth.options }, secrets, droppedFields };
  }

  const fields: Record<string, unknown>[] = [];
  for (const raw of rawFields) {
    const field = convertField(row.name, raw, notes);
    if (field) fields.push(field);
    else droppedFields.add(String(raw.name));
  }
  const json: Record<string, unknown> = {
    id: row.id,
    name: row.name,
    type: row.type,
    system: Boolean(row.system),
    fields,
    indexes: row.type === 'view' ? [] : ownIndexes(row),
    ...Object.fromEntries(RULES.map((rule) => [rule, row[rule]])),
  };
  if (row.type === 'view') json.viewQuery = String(options.viewQuery ?? '');
  if (row.type === 'auth') {
    const auth = authOptions(row.name, options, AUTH_OPTION_KEYS, notes);
    Object.assign(json, auth.options);
    Object.assign(secrets, auth.secrets);
  }
  return { name: row.name, type: row.type, json, secrets, droppedFields };
}

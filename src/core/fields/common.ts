// Pieces shared by the field types: common option keys, casts and checks.
import * as v from 'valibot';
import { fieldIssue } from './issue.js';
import { withKeywords, type JsonKeywords } from './json-schema.js';

/** Options every field accepts, whatever its type. */
export const commonOptions = {
  id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_]{1,100}$/, 'must be letters, digits or _')),
  name: v.pipe(
    v.string(),
    v.regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/, 'must start with a letter or _ and hold only letters, digits or _'),
  ),
  type: v.string(),
  system: v.optional(v.boolean()),
  hidden: v.optional(v.boolean()),
  presentable: v.optional(v.boolean()),
  required: v.optional(v.boolean()),
  help: v.optional(v.string()),
};

/** Options for a type: the common ones plus its own, unknown keys refused so typos are caught. */
export function optionsSchema<E extends v.ObjectEntries>(entries: E) {
  return v.strictObject({ ...commonOptions, ...entries });
}

/** A type's options as its schema reads them. */
export type OptionsOf<S extends v.GenericSchema> = v.InferOutput<S>;

export const optionalCount = v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)));
export const optionalDomains = v.optional(v.array(v.string()));

/** Casts a scalar to text the way PocketBase does: null -> '', numbers and bools -> their text. */
export function castText(raw: unknown): unknown {
  if (raw === null || raw === undefined) return '';
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  return raw;
}

/** Casts input for a list field: a scalar becomes a one-item list, duplicates and empties go. */
export function castList(raw: unknown): unknown {
  if (raw === null || raw === undefined || raw === '') return [];
  const list = Array.isArray(raw) ? raw : [raw];
  if (!list.every((item) => typeof item === 'string')) return raw;
  return [...new Set(list.filter((item) => item !== ''))];
}

/** Casts input for a single-value reference field (select, relation, file): the last item of a list wins. */
export function castSingle(raw: unknown): unknown {
  if (Array.isArray(raw)) return raw.length ? castText(raw[raw.length - 1]) : '';
  return castText(raw);
}

export const mustBeText = fieldIssue('validation_invalid_value', 'Must be a text value.');
export const mustBeList = fieldIssue('validation_invalid_value', 'Must be a list of text values.');

/**
 * A check that fails on an empty value when the field is required; `nonEmpty` says the same in JSON Schema
 * (`{minLength: 1}` for text), for the API reference.
 */
export function requiredCheck<T>(
  field: { required?: boolean },
  isEmpty: (value: T) => boolean,
  nonEmpty?: JsonKeywords,
) {
  const check = v.check<T, string>(
    (value) => !field.required || !isEmpty(value),
    fieldIssue('validation_required', 'Cannot be blank.'),
  );
  return field.required && nonEmpty ? withKeywords(check, nonEmpty) : check;
}

/** JSON Schema for "not the empty text". */
export const NON_EMPTY_TEXT: JsonKeywords = { minLength: 1 };

/** Domain allow/deny lists shared by email and url. */
export function domainCheck(
  field: { onlyDomains?: string[] | undefined; exceptDomains?: string[] | undefined },
  hostOf: (value: string) => string,
  code: string,
) {
  const only = field.onlyDomains?.map((d) => d.toLowerCase()) ?? [];
  const except = field.exceptDomains?.map((d) => d.toLowerCase()) ?? [];
  const check = v.check<string, string>(
    (value) => {
      if (value === '') return true;
      const host = hostOf(value).toLowerCase();
      if (only.length && !only.includes(host)) return false;
      return !except.includes(host);
    },
    fieldIssue(code, 'Value domain is not allowed.'),
  );
  const said = [
    only.length ? `only the domains ${only.join(', ')}` : '',
    except.length ? `not the domains ${except.join(', ')}` : '',
  ].filter(Boolean);
  return said.length ? withKeywords(check, { description: `Allows ${said.join(' and ')}.` }) : check;
}

/** Parses a JSON array column; a corrupt or empty value reads as an empty list. */
export function parseList(value: unknown): string[] {
  if (typeof value !== 'string' || value === '') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? (parsed as string[]) : [];
  } catch {
    return [];
  }
}

/**
 * Whether `s` has at least `min` and at most `max` characters (code points). A UTF-16 length already decides
 * most strings: code points are never more than UTF-16 units nor fewer than half of them, so the string is only
 * walked when that range straddles a bound.
 */
export function codePointsWithin(s: string, min: number, max: number): boolean {
  const units = s.length;
  if (units < min || Math.ceil(units / 2) > max) return false;
  if (Math.ceil(units / 2) >= min && units <= max) return true;
  let count = 0;
  for (let i = 0; i < units; i++) {
    const c = s.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < units) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    count++;
  }
  return count >= min && count <= max;
}

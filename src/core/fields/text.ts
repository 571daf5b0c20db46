// The `text` field: a string with length bounds, a pattern and an optional autogenerate pattern.
import * as v from 'valibot';
import {
  castText,
  codePointsWithin,
  mustBeText,
  NON_EMPTY_TEXT,
  optionalCount,
  optionsSchema,
  requiredCheck,
  type OptionsOf,
} from './common.js';
import { randomString } from '../ids.js';
import { fieldIssue } from './issue.js';
import { unlessEmpty, withKeywords } from './json-schema.js';
import type { FieldType } from './types.js';

const DEFAULT_MAX = 5000;

const textOptions = optionsSchema({
  min: optionalCount,
  max: optionalCount,
  pattern: v.optional(v.string()),
  autogeneratePattern: v.optional(v.string()),
  primaryKey: v.optional(v.boolean()),
});

export type TextOptions = OptionsOf<typeof textOptions>;

export const textField: FieldType<TextOptions> = {
  type: 'text',
  options: textOptions,
  storage: (field) => ({ kind: 'text', empty: '', primaryKey: field.primaryKey === true }),
  empty: () => '',
  cast: castText,
  schema: (field) => textSchema(field),
  toDb: (value) => value,
  fromDb: (value) => (value === null || value === undefined ? '' : String(value)),
  generate: (field) => {
    const generator = field.autogeneratePattern ? generatorOf(field.autogeneratePattern) : undefined;
    return generator && randomString(generator.length, generator.alphabet);
  },
};

/** The `[class]{n}` form of autogenerate patterns (PocketBase's ids and token keys), parsed once each. */
const GENERATOR = /^\[((?:[^\]\\]|\\.)+)\]\{(\d{1,3})\}$/;
const generators = new Map<string, { alphabet: string; length: number } | undefined>();

function generatorOf(pattern: string): { alphabet: string; length: number } | undefined {
  if (generators.has(pattern)) return generators.get(pattern);
  const m = GENERATOR.exec(pattern);
  let generator: { alphabet: string; length: number } | undefined;
  if (m) {
    let alphabet = '';
    const spec = m[1]!;
    for (let i = 0; i < spec.length; i++) {
      const from = spec[i]!;
      if (spec[i + 1] === '-' && i + 2 < spec.length) {
        for (let c = from.charCodeAt(0); c <= spec.charCodeAt(i + 2); c++) alphabet += String.fromCharCode(c);
        i += 2;
      } else {
        alphabet += from;
      }
    }
    const unique = [...new Set(alphabet)].join('');
    const length = Number(m[2]);
    if (unique.length > 0 && unique.length <= 256 && length > 0) generator = { alphabet: unique, length };
  }
  generators.set(pattern, generator);
  return generator;
}

/** The string checks text and password share: required, min, max and pattern. */
export function textSchema(
  field: {
    required?: boolean | undefined;
    min?: number | undefined;
    max?: number | undefined;
    pattern?: string | undefined;
  },
  defaultMax = DEFAULT_MAX,
): v.GenericSchema<string> {
  const min = field.min ?? 0;
  const max = field.max || defaultMax;
  const pattern = field.pattern ? new RegExp(field.pattern) : undefined;
  // JSON Schema counts characters as code points too; an empty optional text skips min and pattern.
  return v.pipe(
    v.string(mustBeText),
    requiredCheck<string>(field, (s) => s === '', NON_EMPTY_TEXT),
    withKeywords(
      v.check<string, string>(
        (s) => s === '' || codePointsWithin(s, min, Infinity),
        fieldIssue('validation_min_text_constraint', `Must be at least ${min} character(s).`),
      ),
      min > 0 ? unlessEmpty(field.required, { maxLength: 0 }, { minLength: min }) : {},
    ),
    withKeywords(
      v.check<string, string>(
        (s) => codePointsWithin(s, 0, max),
        fieldIssue('validation_max_text_constraint', `Must be no more than ${max} character(s).`),
      ),
      { maxLength: max },
    ),
    withKeywords(
      v.check<string, string>(
        (s) => s === '' || !pattern || pattern.test(s),
        fieldIssue('validation_match_invalid', 'Invalid value format.'),
      ),
      field.pattern ? { pattern: field.required ? field.pattern : `^$|${field.pattern}` } : {},
    ),
  );
}

// Checks a candidate record: every field against its options, sealed inputs by their own rules.
import * as v from 'valibot';
import { ApiError, type ErrorData } from '../../errors.js';
import { decodeIssue } from '../../fields/issue.js';
import type { Op } from '../../fields/types.js';
import type { CompiledCollection } from '../compiled.js';
import type { AppliedInput } from './input.js';
import type { RecordJson } from '../read/export.js';

/** The message PocketBase gives a failed create or update. */
export function failureMessage(op: Op | 'delete'): string {
  if (op === 'delete') return 'Failed to delete record.';
  return op === 'create' ? 'Failed to create record.' : 'Failed to update record.';
}

/** The first error of each field whose value breaks its options (sealed fields aside). */
export function fieldErrors(compiled: CompiledCollection, values: RecordJson, only?: readonly string[]): ErrorData {
  const data: ErrorData = {};
  if (only) {
    for (const name of only) {
      const field = compiled.byName.get(name);
      if (!field || field.type.sealed) continue;
      const result = v.safeParse(field.type.schema(field.def), values[name], { abortPipeEarly: true });
      if (!result.success) data[name] = decodeIssue(result.issues[0]!.message);
    }
    return data;
  }
  const result = v.safeParse(compiled.validator, values, { abortPipeEarly: true });
  if (!result.success) {
    for (const issue of result.issues) {
      const key = issue.path?.[0]?.key;
      if (typeof key === 'string' && !data[key]) data[key] = decodeIssue(issue.message);
    }
  }
  return data;
}

/** Checks values again after hooks changed them; throws a 400 naming the fields. */
export function validateValues(
  compiled: CompiledCollection,
  values: RecordJson,
  op: Op,
  only?: readonly string[],
): void {
  const data = fieldErrors(compiled, values, only);
  if (Object.keys(data).length) throw ApiError.badRequest(failureMessage(op), data);
}

const NOT_TEXT = { code: 'validation_invalid_value', message: 'Must be a text value.' };
const REQUIRED = { code: 'validation_required', message: 'Cannot be blank.' };

/** Field errors of the input, sealed fields included (a required one must be given on create). */
export function inputErrors(compiled: CompiledCollection, input: AppliedInput, op: Op): ErrorData {
  const data = fieldErrors(compiled, input.values);
  for (const f of compiled.sealed) {
    const given = input.sealed.get(f.def.name);
    if (given === undefined) {
      if (op === 'create' && f.def.required) data[f.def.name] = REQUIRED;
      continue;
    }
    // Only text is a password: an object or a number is refused, never turned into text.
    const problem = typeof given === 'string' ? f.type.sealed!.check(given, f.def) : NOT_TEXT;
    if (problem) data[f.def.name] = problem;
  }
  return data;
}

/** The values a new record starts from: every field empty. */
export function emptyValues(compiled: CompiledCollection): RecordJson {
  const values: RecordJson = {};
  for (const f of compiled.fields) values[f.def.name] = f.type.empty(f.def);
  return values;
}

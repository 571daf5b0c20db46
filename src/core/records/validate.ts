// Checks a candidate record: every field against its options, then the password rules of auth collections.
import * as v from 'valibot';
import { ApiError, type ErrorData } from '../errors.js';
import { decodeIssue } from '../fields/issue.js';
import type { Access } from './access.js';
import type { CompiledCollection } from './compiled.js';
import type { AppliedInput } from './input.js';
import type { RecordJson } from './serialize.js';

export type Op = 'create' | 'update';

/** The message PocketBase gives a failed create or update. */
export function failureMessage(op: Op): string {
  return op === 'create' ? 'Failed to create record.' : 'Failed to update record.';
}

/** The first error of each field whose value breaks its options (passwords aside). */
function fieldErrors(compiled: CompiledCollection, values: RecordJson): ErrorData {
  const data: ErrorData = {};
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
export function validateValues(compiled: CompiledCollection, values: RecordJson, op: Op): void {
  const data = fieldErrors(compiled, values);
  if (Object.keys(data).length) throw ApiError.badRequest(failureMessage(op), data);
}

/** Collects field errors; throws one 400 carrying all of them. */
export function validateCandidate(compiled: CompiledCollection, input: AppliedInput, op: Op, access: Access): void {
  const data = fieldErrors(compiled, input.values);
  for (const f of compiled.passwords) {
    const given = input.passwords.get(f.def.name);
    if (given === undefined) {
      if (op === 'create' && f.def.required)
        data[f.def.name] = { code: 'validation_required', message: 'Cannot be blank.' };
      continue;
    }
    const checked = v.safeParse(f.type.schema(f.def), given, { abortPipeEarly: true });
    if (!checked.success) data[f.def.name] = decodeIssue(checked.issues[0]!.message);
  }
  if (compiled.collection.type === 'auth') checkPasswordConfirm(input, op, access, data);
  if (Object.keys(data).length) throw ApiError.badRequest(failureMessage(op), data);
}

function checkPasswordConfirm(input: AppliedInput, op: Op, access: Access, data: ErrorData): void {
  const password = input.passwords.get('password');
  if (password === undefined) return;
  if (input.passwordConfirm !== password) {
    data.passwordConfirm =
      input.passwordConfirm === undefined || input.passwordConfirm === ''
        ? { code: 'validation_required', message: 'Cannot be blank.' }
        : { code: 'validation_values_mismatch', message: "Values don't match." };
  }
  if (op === 'update' && !access.superuser && (typeof input.oldPassword !== 'string' || input.oldPassword === '')) {
    data.oldPassword = { code: 'validation_required', message: 'Cannot be blank.' };
  }
}

/** The values a new record starts from: every field empty. */
export function emptyValues(compiled: CompiledCollection): RecordJson {
  const values: RecordJson = {};
  for (const f of compiled.fields) values[f.def.name] = f.type.empty(f.def);
  return values;
}

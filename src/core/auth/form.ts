// Reading and checking the small bodies of the auth routes, with the codes and messages PocketBase gives.
import * as v from 'valibot';
import { ApiError, type ErrorData, type FieldError } from '../errors.js';
import { fieldType } from '../fields/index.js';
import { decodeIssue } from '../fields/issue.js';

export const INVALID_FORM = 'An error occurred while validating the submitted data.';

export const REQUIRED: FieldError = { code: 'validation_required', message: 'Cannot be blank.' };
export const INVALID_TOKEN: FieldError = { code: 'validation_invalid_token', message: 'Invalid or expired token.' };
export const TOKEN_COLLECTION_MISMATCH: FieldError = {
  code: 'validation_token_collection_mismatch',
  message: 'The provided token is for different auth collection.',
};

/** A text value of the body: strings as given, numbers and booleans as text, anything else empty. */
export function text(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

export const NOT_TEXT: FieldError = { code: 'validation_invalid_value', message: 'Must be a text value.' };

/**
 * A password (or its confirmation) from the body: text only. A number, object or list is never turned into
 * text (`{"a":1}` is not the password "[object Object]"): it is reported in `data` and reads as empty.
 */
export function secret(body: Record<string, unknown>, key: string, data: ErrorData): string {
  const value = body[key];
  if (typeof value === 'string') return value;
  if (value !== undefined && value !== null) data[key] = NOT_TEXT;
  return '';
}

const emailSchema = fieldType('email')!.schema({ id: 'email', name: 'email', type: 'email', required: true });

/** The problem with an e-mail address, if any: blank or malformed. */
export function emailProblem(value: string): FieldError | undefined {
  const result = v.safeParse(emailSchema, value, { abortPipeEarly: true });
  return result.success ? undefined : decodeIssue(result.issues[0]!.message);
}

/** The 400 of a form whose fields have problems. */
export function invalidForm(data: ErrorData): ApiError {
  return ApiError.badRequest(INVALID_FORM, data);
}

/** Throws the 400 of a form with field errors, when there are any. */
export function throwIfInvalid(data: ErrorData): void {
  if (Object.keys(data).length) throw invalidForm(data);
}

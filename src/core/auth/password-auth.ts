// Sign-in with an identity (e-mail, username, ...) and a password, one uniform failure for every wrong guess.
import { ApiError, type ErrorData } from '../errors.js';
import type { Collection } from '../collections/model.js';
import { verifyNothing } from '../passwords/argon2.js';
import { EMPTY_REQUEST, SUPERUSER, type RecordJson, type RecordService } from '../records/index.js';
import { emailProblem, REQUIRED, secret, text, throwIfInvalid } from './form.js';

export interface PasswordAuthOptions {
  enabled: boolean;
  identityFields: string[];
}

/** The collection's `passwordAuth`, with PocketBase's defaults (enabled, identity by e-mail). */
export function passwordAuthOptions(collection: Collection): PasswordAuthOptions {
  const given = (collection.options.passwordAuth ?? {}) as Partial<PasswordAuthOptions>;
  return {
    enabled: given.enabled ?? true,
    identityFields: Array.isArray(given.identityFields) ? given.identityFields.map(String) : ['email'],
  };
}

export const AUTH_FAILED = 'Failed to authenticate.';

/**
 * The record that `{identity, password, identityField?}` names, when the password is right. Wrong
 * identity and wrong password fail alike, and an unknown identity still costs one argon2 verification.
 */
export async function checkPasswordSignIn(
  records: RecordService,
  collection: Collection,
  body: Record<string, unknown>,
): Promise<RecordJson> {
  const options = passwordAuthOptions(collection);
  if (!options.enabled) throw ApiError.forbidden('The collection is not configured to allow password authentication.');
  const data: ErrorData = {};
  const identity = text(body, 'identity');
  const password = secret(body, 'password', data);
  const identityField = text(body, 'identityField');
  if (identity === '') data.identity = REQUIRED;
  if (password === '') data.password ??= REQUIRED;
  for (const [key, value] of [
    ['identity', identity],
    ['password', password],
  ] as const) {
    if (value.length > 255)
      data[key] = { code: 'validation_length_out_of_range', message: 'The length must be between 1 and 255.' };
  }
  if (identityField !== '' && !options.identityFields.includes(identityField)) {
    data.identityField = { code: 'validation_in_invalid', message: 'Must be a valid value.' };
  }
  throwIfInvalid(data);

  const record = await findByIdentity(records, collection, options.identityFields, identity, identityField);
  const hash = typeof record?.password === 'string' ? record.password : '';
  const ok =
    record && hash
      ? await records.matchesSealed(collection, 'password', hash, password)
      : await verifyNothing(password);
  if (!ok || !record) throw ApiError.badRequest(AUTH_FAILED);
  if (records.sealedOutdated(collection, 'password', hash)) return upgradeHash(records, collection, record, password);
  return record;
}

/**
 * Replaces a matching hash of an older scheme (bcrypt, from a PocketBase import) with argon2id, keeping the
 * tokenKey: the password is the same, so nobody is signed out. Only if the stored hash is still the one that
 * matched (a password change in between wins); a failed write leaves the old hash, which still works.
 */
async function upgradeHash(
  records: RecordService,
  collection: Collection,
  record: RecordJson,
  password: string,
): Promise<RecordJson> {
  const id = String(record.id);
  try {
    const sealed = await records.seal(collection, 'password', password);
    const written = await records.change(
      collection,
      id,
      (current) => (current.password === record.password ? { password: sealed } : undefined),
      { access: SUPERUSER, request: EMPTY_REQUEST, cause: 'passwordUpgrade', failure: AUTH_FAILED },
    );
    return written ? ((await records.storedById(collection, id)) ?? record) : record;
  } catch (err) {
    console.error(`[satchel] could not upgrade the password hash of ${collection.name}/${id}:`, (err as Error).message);
    return record;
  }
}

/** PocketBase's order: the named field only; else e-mail first when the identity looks like one, then the others. */
async function findByIdentity(
  records: RecordService,
  collection: Collection,
  fields: string[],
  identity: string,
  identityField: string,
): Promise<RecordJson | undefined> {
  if (identityField) return records.storedByField(collection, identityField, identity);
  const isEmail = emailProblem(identity) === undefined;
  const order = isEmail ? ['email', ...fields.filter((f) => f !== 'email')] : fields.filter((f) => f !== 'email');
  for (const field of order) {
    if (!fields.includes(field)) continue;
    const found = await records.storedByField(collection, field, identity);
    if (found) return found;
  }
  return undefined;
}

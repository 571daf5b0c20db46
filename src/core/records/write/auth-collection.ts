// What writes to an auth collection add: the password confirmation, the old password, and a new token key.
import { SUPERUSERS_ID } from '../../collections/system-collections.js';
import type { Queries } from '../../db/store.js';
import { ApiError, type ErrorData } from '../../errors.js';
import type { Catalog } from '../catalog.js';
import type { Op } from '../../fields/types.js';
import type { CompiledCollection } from '../compiled.js';
import type { RecordJson } from '../read/export.js';
import type { AppliedInput } from './input.js';

const PASSWORD = 'password';
const TOKEN_KEY = 'tokenKey';

const REQUIRED = { code: 'validation_required', message: 'Cannot be blank.' };
const MISMATCH = { code: 'validation_values_mismatch', message: "Values don't match." };
const given = (value: unknown) => value !== undefined && value !== null && value !== '';

/**
 * PocketBase's auth form, checked before the record's fields (a 400 naming only these when any fails): protected
 * fields (email, verified) left as they are unless the caller may change them, a password and its confirmation
 * given together and equal, and `oldPassword` (required, and right) when someone without manage access changes
 * the password of a stored record. `manager`: a superuser, or a caller the collection's manageRule lets through.
 */
export async function authFormErrors(
  compiled: CompiledCollection,
  input: AppliedInput,
  op: Op,
  manager: boolean,
  stored?: RecordJson,
): Promise<ErrorData> {
  const data: ErrorData = {};
  for (const name of input.refused) data[name] = MISMATCH;
  const password = input.sealed.get(PASSWORD);
  const [hasPassword, hasConfirm, hasOld] = [password, input.passwordConfirm, input.oldPassword].map(given);
  if (!hasPassword && (hasConfirm || hasOld)) data.password = REQUIRED;
  if (!hasConfirm && (hasPassword || hasOld)) data.passwordConfirm = REQUIRED;
  // Compared as JSON: a non-text password equal to its confirmation is left to the field's check (not text).
  else if (hasConfirm && JSON.stringify(input.passwordConfirm) !== JSON.stringify(password)) {
    data.passwordConfirm = MISMATCH;
  }
  if (op === 'update' && !manager && (hasPassword || hasConfirm)) {
    if (!hasOld) data.oldPassword = REQUIRED;
    else if (!stored || !(await oldPasswordMatches(compiled, stored, input))) {
      data.oldPassword = { code: 'validation_invalid_old_password', message: 'Missing or invalid old password.' };
    }
  }
  return data;
}

/** True when the input's `oldPassword` matches the stored password. */
export async function oldPasswordMatches(
  compiled: CompiledCollection,
  stored: RecordJson,
  input: AppliedInput,
): Promise<boolean> {
  const field = compiled.byName.get(PASSWORD);
  if (!field?.type.sealed || typeof input.oldPassword !== 'string') return false;
  return field.type.sealed.matches(String(stored[PASSWORD] ?? ''), input.oldPassword);
}

/** A new token key: every token signed with the old one stops working (a new password signs out everywhere). */
export function rotateTokenKey(compiled: CompiledCollection, values: RecordJson): void {
  const field = compiled.byName.get(TOKEN_KEY);
  const key = field?.type.generate?.(field.def);
  if (key) values[TOKEN_KEY] = key;
}

/** Superusers are always verified, whatever a body says, as PocketBase marks them on every save. */
export function markSuperuserVerified(compiled: CompiledCollection, values: RecordJson): void {
  if (compiled.collection.id === SUPERUSERS_ID) values.verified = true;
}

/**
 * An auth record's id is unique across every auth collection: rules compare `@request.auth.id` with stored ids,
 * so a record in another auth collection that takes a user's id (ids may be chosen by the client) must not be
 * able to pass for that user. Checked inside the write transaction.
 */
export async function assertIdFreeAcrossAuthCollections(
  db: Queries,
  catalog: Catalog,
  compiled: CompiledCollection,
  id: unknown,
  failure: string,
): Promise<void> {
  // Two creates of one id in two auth collections at once would each find the other's table free: where writers run
  // concurrently, creates of one auth id take turns.
  const lockName = catalog.dialect.concurrentWrites?.lockName;
  if (lockName) await db.one(lockName, [`satchel:auth-id:${String(id)}`]);
  for (const other of catalog.registry.all()) {
    if (other.type !== 'auth' || other.id === compiled.collection.id) continue;
    const taken = await db.one(`SELECT 1 AS taken FROM ${catalog.compiled(other).table} WHERE "id" = ?`, [id]);
    if (taken)
      throw ApiError.badRequest(failure, { id: { code: 'validation_not_unique', message: 'Value must be unique.' } });
  }
}

// What writes to an auth collection add: the password confirmation, the old password, and a new token key.
import type { Queries } from '../../db/store.js';
import { ApiError, type ErrorData } from '../../errors.js';
import type { Catalog } from '../catalog.js';
import type { Op } from '../../fields/types.js';
import type { Access } from '../access.js';
import type { CompiledCollection } from '../compiled.js';
import type { RecordJson } from '../read/export.js';
import type { AppliedInput } from './input.js';

const PASSWORD = 'password';
const TOKEN_KEY = 'tokenKey';

/** `passwordConfirm` must repeat a new password; a non-superuser changing it must give `oldPassword`. */
export function passwordChangeErrors(input: AppliedInput, op: Op, access: Access, data: ErrorData): void {
  const password = input.sealed.get(PASSWORD);
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

/** True when the input changes the record's password. */
export const changesPassword = (input: AppliedInput) => input.sealed.has(PASSWORD);

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
  for (const other of catalog.registry.all()) {
    if (other.type !== 'auth' || other.id === compiled.collection.id) continue;
    const taken = await db.one(`SELECT 1 AS taken FROM ${catalog.compiled(other).table} WHERE "id" = ?`, [id]);
    if (taken)
      throw ApiError.badRequest(failure, { id: { code: 'validation_not_unique', message: 'Value must be unique.' } });
  }
}

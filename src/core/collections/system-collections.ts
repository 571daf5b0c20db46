// The collections Satchel defines in code (not in collection files): `_superusers`.
import { join } from 'node:path';
import { DefinitionError } from '../errors.js';
import type { Collection } from './model.js';
import { normalizeCollection } from './normalize.js';

/** PocketBase's id for `_superusers` (crc32 of "auth_superusers"); the JS SDK relies on it. */
export const SUPERUSERS_ID = 'pbc_3142635823';
export const SUPERUSERS_NAME = '_superusers';

const superusersDefinition = {
  id: SUPERUSERS_ID,
  name: SUPERUSERS_NAME,
  type: 'auth',
  system: true,
  // Superusers pass every rule; nobody else may touch this collection.
  listRule: null,
  viewRule: null,
  createRule: null,
  updateRule: null,
  deleteRule: null,
  // Superusers may sign in (a null authRule would lock them out too).
  authRule: '',
  manageRule: null,
  passwordAuth: { enabled: true, identityFields: ['email'] },
  authToken: { duration: 86400 },
};

/**
 * The loaded collection files plus the system collections. A file may not take a system collection's
 * name or id: `_superusers` is always the built-in one, whatever the collections directory holds.
 */
export function withSystemCollections(collectionsDir: string, loaded: Collection[]): Collection[] {
  const superusers = normalizeCollection(`built-in ${SUPERUSERS_NAME}`, superusersDefinition);
  for (const c of loaded) {
    if (c.id === SUPERUSERS_ID || c.name.toLowerCase() === SUPERUSERS_NAME) {
      throw new DefinitionError(
        join(collectionsDir, `${c.name}.json`),
        `the name "${SUPERUSERS_NAME}" and the id "${SUPERUSERS_ID}" belong to the built-in superusers collection`,
      );
    }
  }
  return [superusers, ...loaded];
}

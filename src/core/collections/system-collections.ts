// The collections Satchel defines in code (not in collection files): `_superusers` and `_externalAuths`.
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

export const EXTERNAL_AUTHS_NAME = '_externalAuths';

/** The owner of a link (a signed-in record of the linked collection) may list, view and delete it. */
const externalAuthOwner =
  "@request.auth.id != '' && recordRef = @request.auth.id && collectionRef = @request.auth.collectionId";

const requiredText = (name: string) => ({ name, type: 'text', system: true, required: true, max: 255 });

/**
 * PocketBase's `_externalAuths`: which provider account (provider + providerId) signs in which record. Only
 * the OAuth2 flow creates links; owners list and unlink theirs through the records API (the SDK's
 * listExternalAuths / unlinkExternalAuth).
 */
const externalAuthsDefinition = {
  name: EXTERNAL_AUTHS_NAME,
  type: 'base',
  system: true,
  listRule: externalAuthOwner,
  viewRule: externalAuthOwner,
  createRule: null,
  updateRule: null,
  deleteRule: externalAuthOwner,
  fields: ['collectionRef', 'recordRef', 'provider', 'providerId'].map(requiredText),
  indexes: [
    'CREATE UNIQUE INDEX `idx_externalAuths_record_provider` ON `_externalAuths` (`collectionRef`, `recordRef`, `provider`)',
    'CREATE UNIQUE INDEX `idx_externalAuths_collection_provider` ON `_externalAuths` (`collectionRef`, `provider`, `providerId`)',
  ],
};

/** The system collections' names, lower-cased: a collection file may not take one. */
const SYSTEM_NAMES = new Set([SUPERUSERS_NAME.toLowerCase(), EXTERNAL_AUTHS_NAME.toLowerCase()]);

/** True for the collections defined here, which the collections API neither changes nor deletes. */
export function isBuiltInCollection(ref: { id?: unknown; name?: unknown }): boolean {
  return ref.id === SUPERUSERS_ID || (typeof ref.name === 'string' && SYSTEM_NAMES.has(ref.name.toLowerCase()));
}

/**
 * The loaded collection files plus the system collections. A file may not take a system collection's
 * name or id: `_superusers` is always the built-in one, whatever the collections directory holds.
 */
export function withSystemCollections(collectionsDir: string, loaded: Collection[]): Collection[] {
  const superusers = normalizeCollection(`built-in ${SUPERUSERS_NAME}`, superusersDefinition);
  const externalAuths = normalizeCollection(`built-in ${EXTERNAL_AUTHS_NAME}`, externalAuthsDefinition);
  for (const c of loaded) {
    if (c.id === SUPERUSERS_ID || c.name.toLowerCase() === SUPERUSERS_NAME) {
      throw new DefinitionError(
        join(collectionsDir, `${c.name}.json`),
        `the name "${SUPERUSERS_NAME}" and the id "${SUPERUSERS_ID}" belong to the built-in superusers collection`,
      );
    }
    if (c.id === externalAuths.id || SYSTEM_NAMES.has(c.name.toLowerCase())) {
      throw new DefinitionError(
        join(collectionsDir, `${c.name}.json`),
        `the name "${c.name}" and the id "${c.id}" belong to a built-in collection`,
      );
    }
  }
  return [superusers, externalAuths, ...loaded];
}

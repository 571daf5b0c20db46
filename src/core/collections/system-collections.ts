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

/** True for `_externalAuths` (by name or id), which neither files nor the collections API may change. */
export function isExternalAuths(ref: { id?: unknown; name?: unknown }): boolean {
  return (
    (typeof ref.name === 'string' && ref.name.toLowerCase() === EXTERNAL_AUTHS_NAME.toLowerCase()) ||
    ref.id === externalAuths().id
  );
}

let builtExternalAuths: Collection | undefined;
function externalAuths(): Collection {
  return (builtExternalAuths ??= normalizeCollection(`built-in ${EXTERNAL_AUTHS_NAME}`, externalAuthsDefinition));
}

/**
 * What `collections/_superusers.json` may set on the built-in collection, as PocketBase lets its `_superusers`
 * be edited: token lifetimes (and secrets), MFA, OTP and the new-device alert. Fields, rules and sign-in stay.
 */
export const SUPERUSERS_SETTINGS = [
  'authToken',
  'passwordResetToken',
  'fileToken',
  'verificationToken',
  'emailChangeToken',
  'mfa',
  'otp',
  'authAlert',
] as const;

/** Keys `_superusers.json` may carry besides its settings: those that only say which collection it is. */
const SUPERUSERS_IDENTITY = new Set(['id', 'name', 'type', 'system']);

/** True for the JSON of the `_superusers` settings file. */
export function isSuperusersJson(json: unknown): boolean {
  const j = json as { id?: unknown; name?: unknown } | null;
  return j?.id === SUPERUSERS_ID || (typeof j?.name === 'string' && j.name.toLowerCase() === SUPERUSERS_NAME);
}

/** The built-in `_superusers`, with the settings of its file (`_superusers.json`) when there is one. */
export function superusersCollection(file?: { file: string; json: unknown }): Collection {
  if (!file) return normalizeCollection(`built-in ${SUPERUSERS_NAME}`, superusersDefinition);
  const json = file.json as Record<string, unknown>;
  const settings: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    if ((SUPERUSERS_SETTINGS as readonly string[]).includes(key)) settings[key] = value;
    else if (
      !SUPERUSERS_IDENTITY.has(key) ||
      (key === 'type' && value !== 'auth') ||
      (key === 'id' && value !== SUPERUSERS_ID)
    ) {
      throw new DefinitionError(
        file.file,
        `${key}: the built-in ${SUPERUSERS_NAME} takes only its settings here (${SUPERUSERS_SETTINGS.join(', ')})`,
      );
    }
  }
  return normalizeCollection(file.file, { ...superusersDefinition, ...settings });
}

/**
 * The collection files plus the system collections. `_superusers` is always the built-in one; a file named
 * after it holds only its settings, and no other file may take its name or id.
 */
export function withSystemCollections(
  collectionsDir: string,
  entries: readonly { file: string; json: unknown }[],
  load: (entries: readonly { file: string; json: unknown }[]) => Collection[],
): Collection[] {
  const settingsFile = entries.find((e) => isSuperusersJson(e.json));
  const superusers = superusersCollection(settingsFile);
  const loaded = load(entries.filter((e) => e !== settingsFile));
  for (const c of loaded) {
    if (c.id === SUPERUSERS_ID || c.name.toLowerCase() === SUPERUSERS_NAME) {
      throw new DefinitionError(
        join(collectionsDir, `${c.name}.json`),
        `the name "${SUPERUSERS_NAME}" and the id "${SUPERUSERS_ID}" belong to the built-in superusers collection`,
      );
    }
    if (isExternalAuths(c)) {
      throw new DefinitionError(
        join(collectionsDir, `${c.name}.json`),
        `the name "${EXTERNAL_AUTHS_NAME}" and the id "${externalAuths().id}" belong to a built-in collection`,
      );
    }
  }
  return [superusers, externalAuths(), ...loaded];
}

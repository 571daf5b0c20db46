// A sign-up by OAuth2, as PocketBase makes it: the record is created through the collection's create rule as the
// caller (request context `oauth2`), from createData plus the provider user's mapped fields and a random password
// nobody knows; an e-mail the provider verified is marked verified.
import type { Collection } from '../../collections/model.js';
import { SUPERUSERS_ID } from '../../collections/system-collections.js';
import { ApiError } from '../../errors.js';
import { randomString } from '../../ids.js';
import {
  EMPTY_REQUEST,
  SUPERUSER,
  withBody,
  withContext,
  type Access,
  type RecordService,
  type RequestInfo,
} from '../../records/index.js';
import type { AuthUser } from './auth-user.js';
import type { MappedFields } from './options.js';

/** A new record from createData and the mapped fields, through the create rule as the caller; answers its id. */
export async function signUpWithOAuth2(
  records: RecordService,
  collection: Collection,
  mapped: MappedFields,
  createData: Record<string, unknown>,
  user: AuthUser,
  access: Access,
  request: RequestInfo,
): Promise<string> {
  if (collection.id === SUPERUSERS_ID) {
    throw ApiError.badRequest('Failed to authenticate.', {
      provider: { code: 'validation_superuser_oauth2', message: 'Superusers cannot sign up with OAuth2.' },
    });
  }
  const payload: Record<string, unknown> = { ...createData };
  if (typeof payload.email !== 'string' || payload.email === '') payload.email = user.email;
  const assign = (field: string, value: string) => {
    if (field && value && !(field in payload)) payload[field] = value;
  };
  assign(mapped.id, user.id);
  assign(mapped.name, user.name);
  if (mapped.username && user.username && !(await records.storedByField(collection, mapped.username, user.username))) {
    assign(mapped.username, user.username);
  }
  // An avatar mapped to a file field would need a download from the provider: only URL or text fields get it.
  const avatarField = collection.fields.find((f) => f.name === mapped.avatarURL);
  if (avatarField && avatarField.type !== 'file') assign(mapped.avatarURL, user.avatarURL);
  if (!('password' in payload)) {
    payload.password = randomString(30);
    payload.passwordConfirm = payload.password;
  }
  const created = await records.create(
    collection.id,
    payload,
    access,
    withContext(withBody(request, payload), 'oauth2'),
  );
  const id = String(created.id);
  if (created.email === user.email && created.verified !== true) {
    await records.change(collection, id, () => ({ verified: true }), {
      access: SUPERUSER,
      request: EMPTY_REQUEST,
      cause: 'oauth2',
      failure: 'Failed to authenticate.',
    });
  }
  return id;
}

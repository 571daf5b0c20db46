// Checks routes make on the caller before doing anything: signed in, from this collection, a superuser.
import type { Context } from 'hono';
import { ApiError } from '../core/errors.js';
import type { Collection } from '../core/collections/model.js';
import type { AuthIdentity } from '../core/records/index.js';
import type { AppEnv } from './context.js';

/** The signed-in record of this request, which must belong to `collection`: 401 for guests, 403 for others. */
export function requireCollectionAuth(c: Context<AppEnv>, collection: Collection): AuthIdentity {
  const { auth } = c.get('access');
  if (!auth) throw ApiError.unauthorized('The request requires valid record authorization token.');
  if (auth.collectionId !== collection.id) {
    throw ApiError.forbidden(`The request requires auth record from ${collection.name} collection.`);
  }
  return auth;
}

/** 401 for guests, 403 for signed-in records that are not superusers. */
export function requireSuperuser(c: Context<AppEnv>): void {
  const access = c.get('access');
  if (access.superuser) return;
  if (!access.auth) throw ApiError.unauthorized('The request requires valid record authorization token.');
  throw ApiError.forbidden('The authorized record is not allowed to perform this action.');
}

// Checks routes make on the caller before doing anything: signed in, from this collection, a superuser.
import type { Context } from 'hono';
import { ApiError } from '../core/errors.js';
import type { AuthIdentity } from '../core/records/index.js';
import type { AppEnv } from './context.js';

/**
 * The signed-in record of this request, which must belong to the collection the path names (by name or id): 401
 * for guests, 403 for others. Checked before the collection is looked up, as PocketBase's
 * RequireSameCollectionContextAuth, so a path naming a base or missing collection is a 401/403, not a 404; the
 * 403 names the caller's own collection, as PocketBase's does.
 */
export function requireCollectionAuth(c: Context<AppEnv>, ref: string): AuthIdentity {
  const { auth } = c.get('access');
  if (!auth) throw ApiError.unauthorized('The request requires valid record authorization token.');
  if (auth.collectionId !== ref && auth.collectionName.toLowerCase() !== ref.toLowerCase()) {
    throw ApiError.forbidden(`The request requires auth record from ${auth.collectionName} collection.`);
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

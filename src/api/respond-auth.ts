// Writes an auth response ({token, record}) as PocketBase does: the record with the request's `expand`.
import type { Context } from 'hono';
import type { Collection } from '../core/collections/model.js';
import type { AuthResponse, AuthService } from '../core/auth/service.js';
import { requestInfo } from './request-info.js';
import { respondJson } from './respond.js';

export async function respondAuth<R extends AuthResponse>(
  c: Context,
  auth: AuthService,
  collection: Collection,
  response: R,
): Promise<Response> {
  return respondJson(c, await auth.withExpand(collection, response, requestInfo(c)));
}

// Loads the caller's access from the Authorization header; a missing or bad token is a guest, never an error here.
import type { MiddlewareHandler } from 'hono';
import type { AuthService } from '../../core/auth/service.js';
import { GUEST } from '../../core/records/index.js';
import type { AppEnv } from '../context.js';

export interface LoadAuthOptions {
  auth: AuthService;
}

/** The token of an `Authorization: <token>` or `Authorization: Bearer <token>` header, if any. */
export function tokenFromHeader(header: string | undefined): string {
  return (header ?? '').replace(/^bearer\s+/i, '').trim();
}

/** Sets `access`: routes that need a signed-in caller refuse guests themselves (401). */
export function loadAuth(options: LoadAuthOptions): MiddlewareHandler<AppEnv> {
  const { auth } = options;
  return async function loadAuthMiddleware(c, next) {
    const token = tokenFromHeader(c.req.header('authorization'));
    c.set('access', token ? await auth.authenticate(token) : GUEST);
    await next();
  };
}

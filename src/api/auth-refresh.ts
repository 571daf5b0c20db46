// POST /api/collections/{collection}/auth-refresh: a new token for the signed-in record of this collection.
import type { Hono } from 'hono';
import type { AuthService } from '../core/auth/service.js';
import { requireCollectionAuth } from './auth-guards.js';
import type { AppEnv } from './context.js';
import { tokenFromHeader } from './auth-token.js';
import { respondAuth } from './respond-auth.js';

export function bindAuthRefreshRoute(app: Hono<AppEnv>, auth: AuthService): void {
  app.post('/api/collections/:collection/auth-refresh', async (c) => {
    const identity = requireCollectionAuth(c, c.req.param('collection'));
    const collection = auth.authCollection(c.req.param('collection'));
    const token = tokenFromHeader(c.req.header('authorization'));
    return respondAuth(c, auth, collection, await auth.refresh(collection, identity, token, c.get('access')));
  });
}

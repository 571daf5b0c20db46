// POST request-email-change `{newEmail}` (signed in) and confirm-email-change `{token, password}`: 204.
import type { Hono } from 'hono';
import type { AuthService } from '../core/auth/service.js';
import { requireCollectionAuth } from './auth-guards.js';
import type { AppEnv } from './context.js';
import { readBody } from './request-body.js';

export function bindEmailChangeRoutes(app: Hono<AppEnv>, auth: AuthService): void {
  app.post('/api/collections/:collection/request-email-change', async (c) => {
    const identity = requireCollectionAuth(c, c.req.param('collection'));
    const collection = auth.authCollection(c.req.param('collection'));
    await auth.requestEmailChange(collection, identity, await readBody(c));
    return c.body(null, 204);
  });

  app.post('/api/collections/:collection/confirm-email-change', async (c) => {
    const collection = auth.authCollection(c.req.param('collection'));
    await auth.confirmEmailChange(collection, await readBody(c));
    return c.body(null, 204);
  });
}

// POST request-verification `{email}` and confirm-verification `{token}`: both answer 204.
import type { Hono } from 'hono';
import type { AuthService } from '../core/auth/service.js';
import type { AppEnv } from './context.js';
import { readBody } from './request-body.js';

export function bindVerificationRoutes(app: Hono<AppEnv>, auth: AuthService): void {
  app.post('/api/collections/:collection/request-verification', async (c) => {
    const collection = auth.authCollection(c.req.param('collection'));
    await auth.requestVerification(collection, await readBody(c));
    return c.body(null, 204);
  });

  app.post('/api/collections/:collection/confirm-verification', async (c) => {
    const collection = auth.authCollection(c.req.param('collection'));
    await auth.confirmVerification(collection, await readBody(c));
    return c.body(null, 204);
  });
}

// POST request-password-reset `{email}` and confirm-password-reset `{token, password, passwordConfirm}`: 204.
import type { Hono } from 'hono';
import type { AuthService } from '../core/auth/service.js';
import type { AppEnv } from './context.js';
import { readBody } from './request-body.js';

export function bindPasswordResetRoutes(app: Hono<AppEnv>, auth: AuthService): void {
  app.post('/api/collections/:collection/request-password-reset', async (c) => {
    const collection = auth.authCollection(c.req.param('collection'));
    await auth.requestPasswordReset(collection, await readBody(c));
    return c.body(null, 204);
  });

  app.post('/api/collections/:collection/confirm-password-reset', async (c) => {
    const collection = auth.authCollection(c.req.param('collection'));
    await auth.confirmPasswordReset(collection, await readBody(c));
    return c.body(null, 204);
  });
}

// GET /api/collections/{collection}/auth-methods: how clients may sign in to this collection.
import type { Hono } from 'hono';
import type { AuthService } from '../core/auth/service.js';
import type { AppEnv } from './context.js';
import { respondJson } from './respond.js';

export function bindAuthMethodsRoute(app: Hono<AppEnv>, auth: AuthService): void {
  app.get('/api/collections/:collection/auth-methods', async (c) =>
    respondJson(c, await auth.methods(auth.authCollection(c.req.param('collection')))),
  );
}

// POST /api/collections/{collection}/impersonate/{id} (superusers): a non-refreshable token for that record, to
// see the app as one of its users (the SDK's impersonate()).
import type { Hono } from 'hono';
import type { AuthService } from '../core/auth/service.js';
import { requireSuperuser } from './auth-guards.js';
import type { AppEnv } from './context.js';
import { readBody } from './request-body.js';
import { respondJson } from './respond.js';

export function bindImpersonateRoute(app: Hono<AppEnv>, auth: AuthService): void {
  app.post('/api/collections/:collection/impersonate/:id', async (c) => {
    requireSuperuser(c);
    const collection = auth.authCollection(c.req.param('collection'));
    return respondJson(c, await auth.impersonate(collection, c.req.param('id'), await readBody(c), c.get('access')));
  });
}

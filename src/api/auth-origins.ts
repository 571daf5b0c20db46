// /api/collections/_authOrigins/records[/{id}]: the sign-in origins as PocketBase's records API serves them to
// their owner (list, view, delete). They live in a system table, not a collection, so these routes stand in front
// of the records routes for that one name.
import type { Hono } from 'hono';
import { AUTH_ORIGINS } from '../core/auth/auth-origins.js';
import type { AuthService } from '../core/auth/service.js';
import type { AppEnv } from './context.js';
import { respondJson } from './respond.js';

export function bindAuthOriginRoutes(app: Hono<AppEnv>, auth: AuthService): void {
  const bases = [AUTH_ORIGINS.name, AUTH_ORIGINS.id].map((ref) => `/api/collections/${ref}/records`);
  for (const base of bases) {
    app.get(base, async (c) => {
      const { page, perPage, sort, filter, skipTotal } = c.req.query();
      return respondJson(c, await auth.origins.list(c.get('access'), { page, perPage, sort, filter, skipTotal }));
    });
    app.get(`${base}/:id`, async (c) => respondJson(c, await auth.origins.view(c.get('access'), c.req.param('id'))));
    app.delete(`${base}/:id`, async (c) => {
      await auth.origins.delete(c.get('access'), c.req.param('id'));
      return c.body(null, 204);
    });
  }
}

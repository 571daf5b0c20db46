// /api/collections/_authOrigins/records[/{id}]: the sign-in origins as PocketBase's records API serves them to
// their owner (list, view, delete). They live in a system table, not a collection, so the records routes hand
// that one name to these handlers (routes of their own, a static segment beside :collection, would send every
// request through Hono's slower router).
import { AUTH_ORIGINS } from '../core/auth/auth-origins.js';
import type { AuthService } from '../core/auth/service.js';
import type { SystemRecordRoutes } from './records.js';
import { respondJson } from './respond.js';

/** The records routes of `_authOrigins` (by name and by id), answered from its system table. */
export function authOriginRoutes(auth: AuthService): Map<string, SystemRecordRoutes> {
  const routes: SystemRecordRoutes = {
    list: async (c) => {
      const { page, perPage, sort, filter, skipTotal } = c.req.query();
      return respondJson(c, await auth.origins.list(c.get('access'), { page, perPage, sort, filter, skipTotal }));
    },
    view: async (c, id) => respondJson(c, await auth.origins.view(c.get('access'), id)),
    delete: async (c, id) => {
      await auth.origins.delete(c.get('access'), id);
      return c.body(null, 204);
    },
  };
  return new Map([AUTH_ORIGINS.name, AUTH_ORIGINS.id].map((ref) => [ref, routes]));
}

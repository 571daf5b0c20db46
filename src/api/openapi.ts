// GET /api/openapi.json: the API reference as OpenAPI 3.1, built from the live schema; a superuser's token gets
// the whole document, anyone else the public one (collections and operations only superusers may use left out).
import type { Hono } from 'hono';
import type { ApiReference } from '../core/openapi/service.js';
import type { AppEnv } from './context.js';

export function bindOpenApiRoute(app: Hono<AppEnv>, reference: ApiReference): void {
  app.get('/api/openapi.json', async (c) => {
    c.header('Cache-Control', 'no-store');
    // The document differs by caller: caches must not hand a superuser's to anyone else.
    c.header('Vary', 'Authorization');
    return c.json(await reference.document(c.get('access').superuser ? 'superuser' : 'public'));
  });
}

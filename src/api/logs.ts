// GET /api/logs, /api/logs/stats and /api/logs/{id} (superusers only): the request and app logs, with the
// filter language over id, created, level, message and data.* (pb.logs in the SDK); DELETE /api/logs empties them.
import type { Hono } from 'hono';
import type { Logs } from '../core/logs/logs.js';
import { requireSuperuser } from './auth-guards.js';
import type { AppEnv } from './context.js';
import { respondJson } from './respond.js';

export function bindLogRoutes(app: Hono<AppEnv>, logs: Logs): void {
  app.get('/api/logs', async (c) => {
    requireSuperuser(c);
    const q = c.req.query();
    return respondJson(c, await logs.list({ ...q }));
  });

  // /api/logs/stats is this route's `stats`: a static segment beside a parameter would cost every request
  // Hono's slower router (see test/api/router.test.ts). No log id is "stats" (ids are 15 characters).
  app.get('/api/logs/:id', async (c) => {
    requireSuperuser(c);
    const id = c.req.param('id');
    if (id === 'stats') return respondJson(c, await logs.stats(c.req.query('filter')));
    return respondJson(c, await logs.view(id));
  });

  app.delete('/api/logs', async (c) => {
    requireSuperuser(c);
    await logs.truncate();
    return c.body(null, 204);
  });
}

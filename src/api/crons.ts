// GET /api/crons (the scheduled jobs) and POST /api/crons/{id} (run one now), superusers only, as PocketBase.
import type { Hono } from 'hono';
import type { Crons } from '../core/cron/crons.js';
import { requireSuperuser } from './auth-guards.js';
import type { AppEnv } from './context.js';

export function bindCronRoutes(app: Hono<AppEnv>, crons: Crons): void {
  app.get('/api/crons', (c) => {
    requireSuperuser(c);
    return c.json(crons.list());
  });

  app.post('/api/crons/:id', (c) => {
    requireSuperuser(c);
    // Started, not awaited (a job may take long); an unknown id throws here, a 404.
    void crons.runNow(c.req.param('id'));
    return c.body(null, 204);
  });
}

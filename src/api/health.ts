// GET /api/health: a liveness answer in PocketBase's shape.
import type { Hono } from 'hono';
import type { AppEnv } from './context.js';

export function bindHealthRoutes(app: Hono<AppEnv>): void {
  const healthy = { code: 200, message: 'API is healthy.', data: {} };
  app.get('/api/health', (c) => c.json(healthy));
}

// The HTTP API's table of contents: global middleware, then every group of routes.
import { Hono } from 'hono';
import type { Engine } from '../core/engine.js';
import { GUEST } from '../core/records/access.js';
import type { AppEnv } from './context.js';
import { onError, onNotFound } from './errors.js';
import { bindHealthRoutes } from './health.js';
import { bodyLimit } from './middlewares/body-limit.js';
import { bindRecordRoutes } from './records.js';

export interface ApiOptions {
  /** Largest accepted request body in bytes. */
  bodyLimit?: number;
}

/** Builds the Hono app over an engine. */
export function buildApi(engine: Engine, options: ApiOptions = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound(onNotFound);

  app.use('*', async function guestAccess(c, next) {
    c.set('access', GUEST);
    await next();
  });
  app.use('/api/*', bodyLimit({ maxSize: options.bodyLimit }));

  bindHealthRoutes(app);
  bindRecordRoutes(app, engine.records);
  return app;
}

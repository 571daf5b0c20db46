// The HTTP API's table of contents: global middleware, then every group of routes.
import { Hono } from 'hono';
import type { Engine } from '../core/engine.js';
import { bindAuthMethodsRoute } from './auth-methods.js';
import { bindBackupRoutes } from './backups.js';
import { bindAuthRefreshRoute } from './auth-refresh.js';
import { bindAuthWithPasswordRoute } from './auth-with-password.js';
import { bindEmailChangeRoutes } from './auth-email-change.js';
import { bindPasswordResetRoutes } from './auth-password-reset.js';
import { bindVerificationRoutes } from './auth-verification.js';
import type { AppEnv } from './context.js';
import { bindCollectionRoutes } from './collections.js';
import { bindCronRoutes } from './crons.js';
import { bindDashboardRoutes } from './dashboard.js';
import { onError, onNotFound } from './errors.js';
import { bindHealthRoutes } from './health.js';
import { bindInstallerRoute } from './installer.js';
import { bodyLimit } from './middlewares/body-limit.js';
import type { CorsOptions } from './middlewares/cors.js';
import { prelude } from './middlewares/prelude.js';
import { rateLimit, type RateLimitRule } from './middlewares/rate-limit.js';
import { bindFileRoutes } from './files.js';
import { bindRealtimeRoutes } from './realtime.js';
import { bindRecordRoutes } from './records.js';
import { bindSettingsRoutes } from './settings.js';

/** Per-client-IP limits; a rule set to false is off. */
export interface RateLimits {
  /** Sign-in, sign-up (PUT /user) and the request-* e-mail flows. */
  auth?: RateLimitRule | false;
  /** Record creates in any collection. */
  create?: RateLimitRule | false;
}

export const DEFAULT_RATE_LIMITS: Required<RateLimits> = {
  auth: { max: 20, windowSeconds: 60 },
  // Generous: a flood breaker, not a quota; a sync burst from one phone or a script must get through.
  create: { max: 500, windowSeconds: 10 },
};

export interface ApiOptions {
  /** Largest accepted request body in bytes. */
  bodyLimit?: number;
  /** Rate limits, merged over DEFAULT_RATE_LIMITS; false turns every limit off. */
  rateLimit?: RateLimits | false;
  /** Which browser origins may call the API (default any). */
  cors?: CorsOptions;
  /** How often idle realtime streams get a keep-alive comment (default 30 s). */
  realtimeKeepAliveMs?: number;
}

/** The routes under the `auth` limit: sign-in, sign-up and the requests that send mail. */
const AUTH_LIMITED: [method: string, path: string][] = [
  ['POST', '/api/collections/:collection/auth-with-password'],
  ['POST', '/api/collections/:collection/request-verification'],
  ['POST', '/api/collections/:collection/request-password-reset'],
  ['POST', '/api/collections/:collection/request-email-change'],
  ['PUT', '/user'],
];

/** Paths whose pages set their own Content-Security-Policy (the dashboard). */
export const DASHBOARD_PATHS = ['/_/'];

/** Builds the Hono app over an engine. */
export function buildApi(engine: Engine, options: ApiOptions = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound(onNotFound);

  // One middleware for what every request needs (error format, response headers, CORS, the caller's access):
  // each step in Hono's chain costs on the hottest routes.
  app.use(
    '*',
    prelude({
      errorFormat: () => engine.settings.get().errors,
      trustedProxy: () => engine.settings.get().trustedProxy,
      auth: engine.auth,
      cors: options.cors,
      ownPolicy: DASHBOARD_PATHS,
    }),
  );
  // Limits on the routes that sign in, sign up, send mail or create.
  const limits: RateLimits = options.rateLimit === false ? {} : { ...DEFAULT_RATE_LIMITS, ...options.rateLimit };
  if (limits.auth) {
    const limiter = rateLimit(limits.auth);
    for (const [method, path] of AUTH_LIMITED) app.on(method, path, limiter);
    // A create in an auth collection is a sign-up: its answers (an e-mail taken or not) fall under the auth limit.
    app.post('/api/collections/:collection/records', async (c, next) => {
      if (engine.auth.findAuthCollection(c.req.param('collection'))) return limiter(c, next);
      await next();
    });
  }
  if (limits.create) app.post('/api/collections/:collection/records', rateLimit(limits.create));
  // Only methods that carry a body pass the limiter: GETs skip a middleware on the hottest path.
  const limitBody = bodyLimit({ maxSize: options.bodyLimit });
  // A backup upload is bounded by the disk, not the body limit (it is for superusers only, checked by its route).
  const unlessBackupUpload: typeof limitBody = (c, next) =>
    c.req.path === '/api/backups/upload' ? next() : limitBody(c, next);
  app.on(['POST', 'PUT', 'PATCH', 'DELETE'], '/api/*', unlessBackupUpload);
  app.on(['POST', 'PUT', 'PATCH', 'DELETE'], '/user', limitBody);

  bindHealthRoutes(app, engine.settings, () => engine.backups.canBackup);
  bindDashboardRoutes(app);
  bindInstallerRoute(app, engine.auth);
  bindSettingsRoutes(app, engine.settings);
  bindAuthMethodsRoute(app, engine.auth);
  bindAuthWithPasswordRoute(app, engine.auth);
  bindAuthRefreshRoute(app, engine.auth);
  bindVerificationRoutes(app, engine.auth);
  bindPasswordResetRoutes(app, engine.auth);
  bindEmailChangeRoutes(app, engine.auth);
  bindRecordRoutes(app, engine.records);
  bindCollectionRoutes(app, engine.schema, engine.records);
  bindRealtimeRoutes(app, engine.realtime, options.realtimeKeepAliveMs);
  bindCronRoutes(app, engine.cron);
  bindFileRoutes(app, engine.records, engine.auth, engine.records.files);
  bindBackupRoutes(app, engine.backups, engine.auth);
  return app;
}

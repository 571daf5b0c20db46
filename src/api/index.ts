// The HTTP API's table of contents: global middleware, then every group of routes.
import { Hono } from 'hono';
import type { Engine } from '../core/engine.js';
import { bindImpersonateRoute } from './auth-impersonate.js';
import { bindOtpRoutes } from './auth-otp.js';
import { authOriginRoutes } from './auth-origins.js';
import { bindAuthMethodsRoute } from './auth-methods.js';
import { bindBatchRoute } from './batch.js';
import { bindBackupRoutes } from './backups.js';
import { bindAuthRefreshRoute } from './auth-refresh.js';
import { bindAuthWithPasswordRoute } from './auth-with-password.js';
import { bindAuthWithOAuth2Route } from './auth-with-oauth2.js';
import { bindOAuth2RedirectRoute } from './oauth2-redirect.js';
import { bindEmailChangeRoutes } from './auth-email-change.js';
import { bindPasswordResetRoutes } from './auth-password-reset.js';
import { bindVerificationRoutes } from './auth-verification.js';
import type { AppEnv } from './context.js';
import { bindCollectionRoutes } from './collections.js';
import { bindCronRoutes } from './crons.js';
import { bindDashboardRoutes } from './dashboard.js';
import { bindDocsRoutes } from './docs.js';
import { onError, onNotFound } from './errors.js';
import { bindHealthRoutes } from './health.js';
import { bindInstallerRoute } from './installer.js';
import { bindLogRoutes } from './logs.js';
import { bindOpenApiRoute } from './openapi.js';
import { requestLogger } from './request-log.js';
import { bodyLimit } from './middlewares/body-limit.js';
import type { CorsOptions } from './middlewares/cors.js';
import { prelude } from './middlewares/prelude.js';
import { rateLimitFromSettings } from './middlewares/rate-limit-settings.js';
import { bindFileRoutes } from './files.js';
import { bindRealtimeRoutes } from './realtime.js';
import { bindRecordRoutes } from './records.js';
import { bindSettingsRoutes } from './settings.js';

export interface ApiOptions {
  /** Largest accepted request body in bytes. */
  bodyLimit?: number;
  /** false turns every rate limit off, whatever the settings say. */
  rateLimit?: false;
  /** Which browser origins may call the API (default any). */
  cors?: CorsOptions;
  /** How often idle realtime streams get a keep-alive comment (default 30 s). */
  realtimeKeepAliveMs?: number;
}

/** Paths whose pages set their own Content-Security-Policy (the dashboard, the API reference page). */
export const OWN_POLICY_PATHS = ['/_/', '/api/docs'];

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
      ownPolicy: OWN_POLICY_PATHS,
      // The settings' rate limits (rules by label, editable at runtime), unless the options turn them off.
      rateLimit:
        options.rateLimit === false
          ? undefined
          : rateLimitFromSettings({
              rateLimits: () => engine.settings.get().rateLimits,
              collections: engine.collections,
            }),
      log: requestLogger(engine.logs, () => engine.settings.get().logs),
    }),
  );
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
  bindSettingsRoutes(app, { settings: engine.settings, mailer: engine.mailer, appUrl: engine.appUrl });
  bindAuthMethodsRoute(app, engine.auth);
  bindAuthWithPasswordRoute(app, engine.auth);
  bindAuthWithOAuth2Route(app, engine.auth);
  bindOAuth2RedirectRoute(app, engine.realtime);
  bindAuthRefreshRoute(app, engine.auth);
  bindImpersonateRoute(app, engine.auth);
  bindOtpRoutes(app, engine.auth);
  bindVerificationRoutes(app, engine.auth);
  bindPasswordResetRoutes(app, engine.auth);
  bindEmailChangeRoutes(app, engine.auth);
  const systemTables = authOriginRoutes(engine.auth);
  bindRecordRoutes(app, engine.records, systemTables);
  bindCollectionRoutes(app, engine.schema, engine.records);
  bindRealtimeRoutes(app, engine.realtime, options.realtimeKeepAliveMs);
  bindCronRoutes(app, engine.cron);
  bindLogRoutes(app, engine.logs);
  bindFileRoutes(app, engine.records, engine.auth, engine.records.files);
  bindBackupRoutes(app, engine.backups, engine.auth);
  bindOpenApiRoute(app, engine.openapi);
  bindDocsRoutes(app);
  bindBatchRoute(app, {
    settings: () => engine.settings.get().batch,
    records: engine.records,
    systemTables: new Set(systemTables.keys()),
    // All or nothing: one failed request fails the batch, so the writes inside need no savepoint each.
    transaction: (fn) => engine.store.transaction(fn, { allOrNothing: true }),
    exists: async (ref, id) => {
      const collection = engine.collections.find(ref);
      return collection !== undefined && (await engine.records.existsForWrite(collection, id));
    },
  });
  return app;
}

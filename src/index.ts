// The public library surface for users who embed or extend Satchel.
export { createApp, DEFAULT_HOST, DEFAULT_PORT } from './app.js';
export type { AppOptions, HookBinders, ListenOptions, RunningServer, SatchelApp } from './app.js';
export { HookLoadError } from './load-hooks.js';
export { ApiError } from './core/errors.js';
export type { ErrorData, FieldError } from './core/errors.js';
export { GUEST, SUPERUSER } from './core/records/index.js';
export type {
  Access,
  AuthIdentity,
  ListResult,
  RecordErrorEvent,
  RecordHooks,
  RecordJson,
  RecordModelEvent,
  RecordRequestEvent,
  RecordService,
  RecordSuccessEvent,
  RequestInfo,
  WriteCause,
} from './core/records/index.js';
export type { Collection } from './core/collections/model.js';
export type { HookEvent, Hook } from './core/hooks.js';
export type { AuthResponse, AuthService } from './core/auth/service.js';
export type { BusMessage, Coordination, MessageBus, Queries, Store, Transaction } from './core/db/index.js';
export type {
  ChangeNotice,
  ClientSink,
  PublishOptions,
  RealtimeClient,
  RealtimeConnectEvent,
  RealtimeHooks,
  RealtimeMessage,
  RealtimeMessageEvent,
  RealtimeService,
  RealtimeSubscribeEvent,
  RealtimeTransport,
  Subscription,
  SubscriptionOptions,
} from './core/realtime/index.js';
export type { ErrorFormat, Settings, SettingsService } from './core/settings/settings.js';
export type { Sequences } from './core/sequences.js';
export type { CronJob, Crons } from './core/cron/crons.js';
// The API reference: describe your routes with valibot schemas (`v`, the same valibot Satchel validates with).
export * as v from 'valibot';
export { buildOpenApiDocument } from './core/openapi/document.js';
export type { OpenApiInput } from './core/openapi/document.js';
export type { ApiReference } from './core/openapi/service.js';
export type { RouteDescriber, RouteDoc, RouteDocContext, RouteResponseDoc } from './core/openapi/routes.js';
export type { RequestExample, AuthNeed } from './core/openapi/operation.js';
export type { AppEnv } from './api/context.js';
// For custom routes: the caller's access is c.get('access'); these read the body and the request as the record routes do.
export { readBody } from './api/request-body.js';
export { requestInfo } from './api/request-info.js';
export { renderError } from './api/errors.js';
// For custom routes: the per-client-IP limiter the built-in routes use (429 with Retry-After, bounded memory).
export { rateLimit } from './api/middlewares/rate-limit.js';
export type { RateLimitOptions, RateLimitRule } from './api/middlewares/rate-limit.js';

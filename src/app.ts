// createApp(): wires the engine and the HTTP API into one object; the only module that knows both.
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { buildApi, OWN_POLICY_PATHS } from './api/index.js';
import { securityHeadersResponse } from './api/node-listener.js';
import type { AppEnv } from './api/context.js';
import type { AuthService } from './core/auth/service.js';
import { storeEngineFor, type Store } from './core/db/index.js';
import { openEngine, type Engine } from './core/engine.js';
import type { MailOptions } from './core/mail/mailer.js';
import { S3Storage, type S3Options } from './core/files/s3-storage.js';
import type { FileStorage } from './core/files/storage.js';
import type { RealtimeHooks, RealtimeService, RealtimeTransport } from './core/realtime/index.js';
import type { RecordHooks, RecordService } from './core/records/index.js';
import type { Crons } from './core/cron/crons.js';
import type { Logger } from './core/logs/logger.js';
import type { RouteDescriber } from './core/openapi/routes.js';
import { typeOf } from './core/fields/index.js';
import type { GenericSchema } from 'valibot';
import type { Sequences } from './core/sequences.js';
import { DEFAULT_SETTINGS, type ErrorFormat, type SettingsService } from './core/settings/settings.js';
import { loadHooks } from './load-hooks.js';
import { putUserPlugin } from './plugins/put-user/index.js';

export interface AppOptions {
  /** Data directory (default `./pb_data`): uploaded files, the outbox, and SQLite's database file. */
  dataDir?: string;
  /**
   * The database: `sqlite` (the default: `<dataDir>/data.db`) or a PostgreSQL URL,
   * `postgres://user:pass@host:5432/name`.
   */
  db?: string;
  /** Collection definitions directory (default `./collections`). */
  collectionsDir?: string;
  /** Let the start drop fields that still hold values (default false: the start is refused, naming the field). */
  allowDataLoss?: boolean;
  /** Largest accepted request body in bytes (default 32 MiB). */
  bodyLimit?: number;
  /** The public URL that e-mail and installer links point at (default: the address `listen` bound). */
  appUrl?: string;
  /** Outgoing mail: `smtpUrl` (smtp:// or smtps://) and `from`; without smtpUrl, mail goes to `<dataDir>/outbox/`. */
  mail?: Omit<MailOptions, 'outboxDir'>;
  /** Whether PUT /user is on until a superuser changes it in the settings (default true). */
  putUser?: boolean;
  /** false turns every rate limit off, whatever the settings' `rateLimits` say. */
  rateLimit?: false;
  /** How errors are written until a superuser changes it in the settings (default `pocketbase`). */
  errors?: ErrorFormat;
  /** How long a write waits for another process holding the database before it answers 503 (default 5 s). */
  busyTimeoutMs?: number;
  /** Browser origins allowed to call the API (CORS), e.g. `['https://app.example.com']`; default any (`*`). */
  origins?: string[];
  /** How long a client may take to send a whole request, headers and body (default 60 s); then 408. */
  requestTimeoutMs?: number;
  /** Open connections the server accepts at once; past it new ones are closed (default 10 000). */
  maxConnections?: number;
  /**
   * How record changes reach other Satchel processes on the same database, so their realtime clients hear them
   * (default: none; one process needs none). See RealtimeTransport.
   */
  realtimeTransport?: RealtimeTransport;
  /** How often idle realtime (SSE) streams get a keep-alive comment, in ms (default 30 000). */
  realtimeKeepAliveMs?: number;
  /** Keep uploaded files in an S3-compatible bucket instead of `<dataDir>/storage/`. */
  s3?: S3Options;
  /** Keep uploaded files in a storage of your own (overrides `s3`). */
  fileStorage?: FileStorage;
  /**
   * Called after a backup restore has been checked and staged: close this app (server first) and create it again
   * with the same options, and the restore is applied as it opens (the CLI's serve does). Without it the restore is
   * applied at the next start.
   */
  onRestartRequest?: () => void;
}

type HookName = keyof RecordHooks;
type HandlerOf<K extends HookName> = Parameters<RecordHooks[K]['bind']>[0];

/**
 * `app.onRecordCreate(handler)`, `app.onRecordCreate('users', handler)` or
 * `app.onRecordCreate(['users', 'posts'], handler)`: binds a record hook, returns its id for unbinding.
 */
export type HookBinders = {
  [K in HookName]: {
    (handler: HandlerOf<K>): string;
    (collections: string | string[], handler: HandlerOf<K>): string;
  };
};

export interface ListenOptions {
  host?: string;
  port?: number;
}

export interface RunningServer {
  /** The address actually bound, e.g. `http://127.0.0.1:8090`. */
  url: string;
  /** Stops accepting connections, lets in-flight requests finish, then resolves. */
  close(): Promise<void>;
}

export interface SatchelApp extends HookBinders {
  engine: Engine;
  /** The record engine: list/view/create/update/delete with a caller's access, rules and validation applied. */
  records: RecordService;
  /** Sign-in, tokens, the e-mail flows, superusers. */
  auth: AuthService;
  /** The settings kept in pb_data (what PATCH /api/settings changes). */
  settings: SettingsService;
  /**
   * The storage boundary, for an extension's own tables: statements with bound parameters and transactions.
   * Called from a model hook, it joins the record's write transaction.
   */
  store: Store;
  /** Every record hook, for unbinding or binding with options. */
  hooks: RecordHooks;
  /**
   * Realtime: the connected clients (`realtime.clients`), `publish(topic, data, { to })` for custom messages,
   * and its hooks (also bound with `app.onRealtimeSubscribeRequest(...)` and `app.onRealtimeMessageSend(...)`).
   */
  realtime: RealtimeService;
  /** Scheduled jobs: `app.cron.add('cleanup', '0 3 * * *', async () => ...)` (standard cron, local time; also
   * @hourly, @daily...); listed at GET /api/crons, run now with POST /api/crons/{id}. */
  cron: Crons;
  /** Log lines of your own, listed with the request logs at GET /api/logs: `app.logger.info('sent', { to })`. */
  logger: Logger;
  /** Sees (and may refuse, by throwing) each new realtime connection. */
  onRealtimeConnectRequest(handler: Parameters<RealtimeHooks['onRealtimeConnectRequest']['bind']>[0]): string;
  /** Sees, changes or refuses (by throwing) each POST /api/realtime after its client and auth were checked. */
  onRealtimeSubscribeRequest(handler: Parameters<RealtimeHooks['onRealtimeSubscribeRequest']['bind']>[0]): string;
  /** Sees, changes or holds back (by not calling next()) each message before it is written to a client. */
  onRealtimeMessageSend(handler: Parameters<RealtimeHooks['onRealtimeMessageSend']['bind']>[0]): string;
  /** Named counters (1, 2, 3 …) for integer keys; `await next()` inside a model hook is part of its transaction. */
  sequences: Sequences;
  /** Loads a pb_hooks folder (every *.ts / *.js file, each exporting `(app) => void`); returns the files. */
  loadHooks(dir: string): Promise<string[]>;
  /** The Hono app: add routes and middleware here before listening. */
  hono: Hono<AppEnv>;
  /**
   * Adds a route of yours to the API reference (GET /api/openapi.json, /api/docs, `satchel openapi`): its body,
   * query and answers as valibot schemas, with examples and their statuses. A function instead of the description
   * is asked each time the document is built (return undefined while the route is not served).
   */
  describeRoute(route: RouteDescriber): void;
  /**
   * The valibot schema that validates a collection's field (`app.fieldSchema('users', 'email')`), for describing
   * a route's body with the very checks the record engine applies. Throws when there is no such field.
   */
  fieldSchema(collection: string, field: string): GenericSchema;
  /** A fetch handler for tests and other servers. */
  fetch: (request: Request) => Response | Promise<Response>;
  listen(options?: ListenOptions): Promise<RunningServer>;
  /** The URL links point at: the appUrl option, else the address last bound by `listen`. */
  appUrl(): string;
  /** The one-time link that creates the first superuser, or undefined when a superuser exists. */
  installerLink(): Promise<string | undefined>;
  /** Closes the database. Call after the server (if any) is closed. */
  close(): Promise<void>;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8090;
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_CONNECTIONS = 10_000;

/** Opens the data directory, syncs the collections and builds the API. */
export async function createApp(options: AppOptions = {}): Promise<SatchelApp> {
  let boundUrl = `http://${DEFAULT_HOST}:${DEFAULT_PORT}`;
  // The flag wins, then the settings' meta.appURL (a superuser may set it), then the address `listen` bound.
  const appUrl = () => options.appUrl ?? (engine.settings.get().meta.appURL || boundUrl);
  const engine = await openEngine({
    dataDir: options.dataDir ?? 'pb_data',
    collectionsDir: options.collectionsDir ?? 'collections',
    allowDataLoss: options.allowDataLoss,
    settings: {
      ...DEFAULT_SETTINGS,
      putUser: { enabled: options.putUser ?? true },
      errors: options.errors ?? 'pocketbase',
    },
    settingsOverriddenBy: overriddenBy(options),
    mail: options.mail,
    appUrl,
    busyTimeoutMs: options.busyTimeoutMs,
    storeEngine: storeEngineFor(options.db),
    realtimeTransport: options.realtimeTransport,
    fileStorage: options.fileStorage ?? (options.s3 ? new S3Storage(options.s3) : undefined),
    onRestartRequest: options.onRestartRequest,
  });
  const hono = buildApi(engine, {
    bodyLimit: options.bodyLimit,
    rateLimit: options.rateLimit,
    cors: { origins: options.origins },
    realtimeKeepAliveMs: options.realtimeKeepAliveMs,
  });
  const app: SatchelApp = {
    ...hookBinders(engine.records.hooks),
    engine,
    records: engine.records,
    auth: engine.auth,
    settings: engine.settings,
    store: engine.store,
    hooks: engine.records.hooks,
    realtime: engine.realtime,
    cron: engine.cron,
    logger: engine.logger,
    onRealtimeConnectRequest: (handler) => engine.realtime.hooks.onRealtimeConnectRequest.bind(handler),
    onRealtimeSubscribeRequest: (handler) => engine.realtime.hooks.onRealtimeSubscribeRequest.bind(handler),
    onRealtimeMessageSend: (handler) => engine.realtime.hooks.onRealtimeMessageSend.bind(handler),
    sequences: engine.sequences,
    loadHooks: (dir) => loadHooks(dir, app),
    hono,
    describeRoute: (route) => engine.openapi.describe(route),
    fieldSchema: (collection, field) => {
      const def = engine.collections.find(collection)?.fields.find((f) => f.name === field);
      if (!def) throw new Error(`fieldSchema: the collection "${collection}" has no field "${field}"`);
      return typeOf(def).schema(def);
    },
    fetch: (request) => hono.fetch(request),
    listen: async (listenOptions) => {
      const server = await listen(hono, listenOptions ?? {}, {
        requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
        maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
        // Realtime streams never end by themselves: a graceful stop ends them first (the SDKs reconnect).
        beforeClose: () => engine.realtime.closeAll(),
      });
      boundUrl = server.url;
      return server;
    },
    appUrl,
    installerLink: () => engine.auth.installerLink(appUrl()),
    close: () => engine.close(),
  };
  // Built-in plugins use the same surface as any extension.
  putUserPlugin(app);
  return app;
}

/** The settings that these options decide, whatever a superuser stores (shown in GET /api/settings). */
function overriddenBy(options: AppOptions): Record<string, string> {
  const out: Record<string, string> = {};
  if (options.appUrl) out['meta.appURL'] = 'the app URL flag (--app-url, SATCHEL_APP_URL)';
  if (options.mail?.from) out['meta.senderAddress'] = 'the mail-from flag (--mail-from, SATCHEL_MAIL_FROM)';
  if (options.mail?.smtpUrl) out.smtp = 'the SMTP URL flag (--smtp-url, SATCHEL_SMTP_URL)';
  if (options.rateLimit === false)
    out['rateLimits.enabled'] = 'the rate-limit flag (--rate-limit=off, SATCHEL_RATE_LIMIT)';
  if (options.s3 || options.fileStorage) out.s3 = 'the S3 flag (--s3, SATCHEL_S3) or a file storage given in code';
  return out;
}

function hookBinders(hooks: RecordHooks): HookBinders {
  const binders: Record<string, unknown> = {};
  for (const name of Object.keys(hooks) as HookName[]) {
    binders[name] = (first: unknown, second?: unknown) => {
      const handler = (second ?? first) as never;
      const tags = second === undefined ? [] : Array.isArray(first) ? (first as string[]) : [first as string];
      return hooks[name].bind(handler, { tags });
    };
  }
  return binders as HookBinders;
}

interface ServerLimits {
  requestTimeoutMs: number;
  maxConnections: number;
  beforeClose: () => void;
}

function listen(hono: Hono<AppEnv>, options: ListenOptions, limits: ServerLimits): Promise<RunningServer> {
  const hostname = options.host ?? DEFAULT_HOST;
  return new Promise((resolve, reject) => {
    // A client that trickles its request (a slow body, slow headers) is cut off instead of holding a socket;
    // Node checks every connectionsCheckingInterval, so that interval bounds how late the cut comes.
    const serverOptions = {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: Math.min(limits.requestTimeoutMs, 20_000),
      connectionsCheckingInterval: Math.min(1000, limits.requestTimeoutMs),
      // Responses that add the security headers to their head as it is written.
      ServerResponse: securityHeadersResponse(OWN_POLICY_PATHS),
    };
    const server = serve(
      {
        fetch: hono.fetch,
        hostname,
        port: options.port ?? DEFAULT_PORT,
        serverOptions,
      },
      (info) => {
        const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${host}:${info.port}`,
          close: () => {
            limits.beforeClose();
            return closeServer(server as Server);
          },
        });
      },
    ) as Server;
    server.maxConnections = limits.maxConnections;
    server.once('error', reject);
  });
}

/** Graceful close: idle keep-alive sockets go at once, busy ones as soon as their response is sent, stragglers after 10 s. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), 10_000);
    // A socket busy now turns idle after its response; sweeping often closes it then instead of at keep-alive timeout.
    const sweep = setInterval(() => server.closeIdleConnections(), 25);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });
}

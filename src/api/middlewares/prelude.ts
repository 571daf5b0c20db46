// What every request needs before its route runs, in one middleware: the error format, the response headers
// (nosniff, CSP, CORS) and the caller's access. One step instead of four keeps Hono's chain short on hot routes.
import type { Context, MiddlewareHandler } from 'hono';
import type { AuthService } from '../../core/auth/service.js';
import { GUEST } from '../../core/records/index.js';
import type { ErrorFormat, TrustedProxy } from '../../core/settings/settings.js';
import { batchSubRequest, type AppEnv } from '../context.js';
import { corsHeaders, type CorsOptions } from './cors.js';
import { headHeadersApplied, requestHeader, setResponseHeader } from './node-response.js';
import { securityHeadersFor } from './security-headers.js';
import { tokenFromHeader } from '../auth-token.js';
import { removeTempFiles } from '../multipart.js';

export interface PreludeOptions {
  /** The error format the settings ask for (read per request: a superuser may change it). */
  errorFormat: () => ErrorFormat;
  /** The reverse proxy the settings trust (read per request, like the error format). */
  trustedProxy?: () => TrustedProxy;
  auth: AuthService;
  cors?: CorsOptions;
  /** Paths that set their own Content-Security-Policy (the dashboard's pages); prefix match. */
  ownPolicy?: string[];
  /** Once the caller is known: a 429 answer when a rate limit is reached, else undefined. */
  rateLimit?: (c: Context<AppEnv>) => Response | undefined;
  /** Logs the request once it is answered (started at `performance.now()` = startedMs). */
  log?: (c: Context<AppEnv>, startedMs: number, status: number) => void;
}

export function prelude(options: PreludeOptions): MiddlewareHandler<AppEnv> {
  const { auth } = options;
  const cors = corsHeaders(options.cors);
  const ownPolicy = options.ownPolicy ?? [];
  return async function preludeMiddleware(c, next) {
    // A request of a batch was limited and is logged as the batch: neither applies to it again.
    const inBatch = batchSubRequest(c.env);
    const log = inBatch ? undefined : options.log;
    const rateLimit = inBatch ? undefined : options.rateLimit;
    const started = log ? performance.now() : 0;
    c.set('errorFormat', options.errorFormat());
    const proxy = options.trustedProxy?.();
    if (proxy?.headers.length) c.set('trustedProxy', proxy);
    // Served by Satchel's own listener, the security headers join the response head as it is written.
    if (!headHeadersApplied(c)) {
      for (const [name, value] of securityHeadersFor(c.req.path, ownPolicy)) setResponseHeader(c, name, value);
    }
    const preflight = cors(c);
    if (preflight) return preflight;
    // Any token that fails verification leaves a guest: routes that need a signed-in caller refuse guests (401).
    if (inBatch) c.set('access', inBatch.access);
    else {
      const token = tokenFromHeader(requestHeader(c, 'authorization'));
      c.set('access', token ? await auth.authenticate(token) : GUEST);
    }
    const limited = rateLimit?.(c);
    if (limited) {
      log?.(c, started, limited.status);
      return limited;
    }
    await next();
    // Uploads of a multipart body were copied into storage by the route, if it kept them.
    const temp = c.get('tempFiles');
    if (temp) void removeTempFiles(temp);
    log?.(c, started, c.res.status);
  };
}

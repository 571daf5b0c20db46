// CORS: browser apps on other origins may call the API (any origin by default, as PocketBase allows).
import type { MiddlewareHandler } from 'hono';
import { nodeResponse } from './node-response.js';

export interface CorsOptions {
  /** Origins allowed to call the API, e.g. `https://app.example.com`; `['*']` (the default) allows any. */
  origins?: string[];
}

const METHODS = 'GET,HEAD,PUT,PATCH,POST,DELETE';
const MAX_AGE = '86400';

/**
 * Browsers send `Origin` on cross-origin requests: only those get CORS headers (a server-side client, the SDK in
 * Node or a mobile app pays nothing). Preflights answer 204 with the methods and the headers asked for; tokens
 * travel in `Authorization`, so credentials (cookies) are never allowed.
 */
export function cors(options: CorsOptions = {}): MiddlewareHandler {
  const origins = options.origins?.length ? options.origins : ['*'];
  const any = origins.includes('*');
  return async function corsMiddleware(c, next) {
    const origin = c.req.header('origin');
    if (!origin) return next();
    const allowed = any ? '*' : origins.includes(origin) ? origin : undefined;
    const set = (name: string, value: string) => {
      const outgoing = nodeResponse(c);
      if (outgoing) outgoing.setHeader(name, value);
      else c.header(name, value);
    };
    if (!any) set('Vary', 'Origin');
    if (allowed) set('Access-Control-Allow-Origin', allowed);
    const preflight = c.req.method === 'OPTIONS' && c.req.header('access-control-request-method') !== undefined;
    if (!preflight) return next();
    if (allowed) {
      set('Access-Control-Allow-Methods', METHODS);
      const asked = c.req.header('access-control-request-headers');
      if (asked) set('Access-Control-Allow-Headers', asked);
      set('Access-Control-Max-Age', MAX_AGE);
    }
    return c.body(null, 204);
  };
}

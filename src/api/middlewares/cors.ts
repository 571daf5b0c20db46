// CORS: browser apps on other origins may call the API (any origin by default, as PocketBase allows).
import type { Context } from 'hono';
import { requestHeader, setResponseHeader } from './node-response.js';

export interface CorsOptions {
  /** Origins allowed to call the API, e.g. `https://app.example.com`; `['*']` (the default) allows any. */
  origins?: string[];
}

const METHODS = 'GET,HEAD,PUT,PATCH,POST,DELETE';
const MAX_AGE = '86400';

/**
 * Sets the CORS headers of a request, and answers its preflight. Browsers send `Origin` on cross-origin requests:
 * only those get headers (a server-side client, the SDK in Node or a mobile app pays nothing). Tokens travel in
 * `Authorization`, so credentials (cookies) are never allowed. Returns the preflight's 204, else undefined.
 */
export function corsHeaders(options: CorsOptions = {}): (c: Context) => Response | undefined {
  const origins = options.origins?.length ? options.origins : ['*'];
  const any = origins.includes('*');
  return function cors(c) {
    const origin = requestHeader(c, 'origin');
    if (!origin) return undefined;
    const allowed = any ? '*' : origins.includes(origin) ? origin : undefined;
    if (!any) setResponseHeader(c, 'Vary', 'Origin');
    if (allowed) setResponseHeader(c, 'Access-Control-Allow-Origin', allowed);
    if (c.req.method !== 'OPTIONS' || requestHeader(c, 'access-control-request-method') === undefined) return undefined;
    if (allowed) {
      setResponseHeader(c, 'Access-Control-Allow-Methods', METHODS);
      const asked = requestHeader(c, 'access-control-request-headers');
      if (asked) setResponseHeader(c, 'Access-Control-Allow-Headers', asked);
      setResponseHeader(c, 'Access-Control-Max-Age', MAX_AGE);
    }
    return c.body(null, 204);
  };
}

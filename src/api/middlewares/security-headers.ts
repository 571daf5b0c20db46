// Headers every response carries so a browser treats API answers as data: no sniffing, no framing, no referrer.
import type { MiddlewareHandler } from 'hono';

export interface SecurityHeadersOptions {
  /** Paths that set their own Content-Security-Policy (the dashboard's pages); prefix match. */
  ownPolicy?: string[];
}

/** An API answer is never a document: nothing in it may load or run, and no page may frame it. */
const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

export function securityHeaders(options: SecurityHeadersOptions = {}): MiddlewareHandler {
  const ownPolicy = options.ownPolicy ?? [];
  return async function securityHeadersMiddleware(c, next) {
    await next();
    const headers = c.res.headers;
    headers.set('X-Content-Type-Options', 'nosniff');
    headers.set('Referrer-Policy', 'no-referrer');
    if (!ownPolicy.some((prefix) => c.req.path.startsWith(prefix))) {
      headers.set('Content-Security-Policy', API_POLICY);
      headers.set('X-Frame-Options', 'DENY');
    }
  };
}

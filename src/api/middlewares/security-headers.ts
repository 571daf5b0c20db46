// Headers every response carries so a browser treats API answers as data: no sniffing, no framing, no referrer.
import type { MiddlewareHandler } from 'hono';
import { nodeResponse } from './node-response.js';

export interface SecurityHeadersOptions {
  /** Paths that set their own Content-Security-Policy (the dashboard's pages); prefix match. */
  ownPolicy?: string[];
}

/** An API answer is never a document: nothing in it may load or run, and no page may frame it. */
const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

const ALWAYS: [string, string][] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
];
const API_ONLY: [string, string][] = [
  ['Content-Security-Policy', API_POLICY],
  ['X-Frame-Options', 'DENY'],
];

export function securityHeaders(options: SecurityHeadersOptions = {}): MiddlewareHandler {
  const ownPolicy = options.ownPolicy ?? [];
  return async function securityHeadersMiddleware(c, next) {
    const headers = ownPolicy.some((prefix) => c.req.path.startsWith(prefix)) ? ALWAYS : [...ALWAYS, ...API_ONLY];
    // Behind Node's HTTP server the headers go straight onto the outgoing message (no Headers object per
    // request); served in-process (app.fetch, tests) they go through the context.
    const outgoing = nodeResponse(c);
    for (const [name, value] of headers) {
      if (outgoing) outgoing.setHeader(name, value);
      else c.header(name, value);
    }
    await next();
  };
}

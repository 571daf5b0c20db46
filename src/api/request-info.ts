// What of an HTTP request the rules may read (`@request.method`, `.query.*`, `.headers.*`).
import type { Context } from 'hono';
import { ruleHeaderName, type RequestInfo } from '../core/records/request-info.js';

/**
 * The request as rules see it. Headers and query are read only when a rule asks for them: most requests
 * never do, and reading every header has a cost on the hot path.
 */
export function requestInfo(c: Context, body: Record<string, unknown> = {}): RequestInfo {
  let headers: Record<string, string> | undefined;
  let query: Record<string, string> | undefined;
  return {
    method: c.req.method,
    context: 'default',
    body,
    get query() {
      return (query ??= c.req.query());
    },
    get headers() {
      if (!headers) {
        headers = {};
        for (const [name, value] of c.req.raw.headers) headers[ruleHeaderName(name)] = value;
      }
      return headers;
    },
  };
}

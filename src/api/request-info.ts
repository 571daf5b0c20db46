// What of an HTTP request the rules may read (`@request.method`, `.query.*`, `.headers.*`).
import type { Context } from 'hono';
import { ruleHeaderName, type RequestInfo } from '../core/records/request-info.js';

export function requestInfo(c: Context, body: Record<string, unknown> = {}): RequestInfo {
  const headers: Record<string, string> = {};
  for (const [name, value] of c.req.raw.headers) headers[ruleHeaderName(name)] = value;
  return { method: c.req.method, context: 'default', query: c.req.query(), headers, body };
}

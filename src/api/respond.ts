// Writes a JSON response, honouring the `fields` query parameter as PocketBase does on every JSON answer.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { pickFields } from '../core/records/index.js';
import { batchSubRequest } from './context.js';

export function respondJson(c: Context, data: unknown, status: ContentfulStatusCode = 200): Response {
  const fields = c.req.url.includes('fields=') ? c.req.query('fields') : undefined;
  const value = fields === undefined ? data : pickFields(data, fields);
  // A request of a batch answers its batch directly (see BatchSubRequest); only the status goes through Hono.
  const sub = batchSubRequest(c.env);
  if (sub) {
    sub.answer = { status, value };
    return c.body(null, status);
  }
  return c.json(value as object, status);
}
